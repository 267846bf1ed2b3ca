import { fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { STAFF_ROLES } from '#server/auth/actor.ts';
import { CASE_IMPORT_FIELDS, MAX_IMPORT_BYTES } from '#server/domain/case-import/case-import.rules.ts';
import { createCaseImport, listCaseImports } from '#server/domain/case-import/case-import.service.ts';
import { requireActor, requireRole } from '#server/http/actor.ts';
import { failForm, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireRole({ locals, url }, STAFF_ROLES, {
		code: 'case_import.forbidden',
		message: 'Only programme staff import cases.'
	});
	try {
		const { imports } = await listCaseImports({ actor }, { db: getApp().database.db });
		return { imports, fields: [...CASE_IMPORT_FIELDS], maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024 };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const file = data.get('file');
		if (!(file instanceof File) || file.size === 0) {
			return fail(422, { values: {}, issues: { file: 'case_import.file_required' } });
		}
		let importId: string;
		try {
			const { import: created } = await createCaseImport(
				{ actor, input: { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } },
				{ db: getApp().database.db }
			);
			importId = created.id;
		} catch (err) {
			const failure = failForm(err, {});
			// A bad file is about the file field: show its message there.
			return fail(failure.status, {
				...failure.data,
				issues: failure.data.code ? { file: failure.data.code } : failure.data.issues
			});
		}
		seeOther(`/backoffice/cases/import/${importId}`);
	}
};
