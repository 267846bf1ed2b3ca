import { getApp } from '#server/app.ts';
import { CASE_IMPORT_FIELDS } from '#server/domain/case-import/case-import.rules.ts';
import {
	previewCaseImport,
	runCaseImport,
	setCaseImportMapping
} from '#server/domain/case-import/case-import.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor({ locals, url });
	try {
		const preview = await previewCaseImport(
			{ actor, importId: params.importId },
			{ db: getApp().database.db }
		);
		return { preview, fields: [...CASE_IMPORT_FIELDS], mappingSaved: url.searchParams.has('mapped') };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	/** The mapping form: one select per column (`column-0`, `column-1`...). */
	mapping: async ({ locals, request, url, params }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const count = Number(formText(data, 'columns'));
		const mapping = Array.from(
			{ length: Number.isInteger(count) && count >= 0 && count <= 500 ? count : 0 },
			(_, i) => formText(data, `column-${i}`)
		);
		try {
			await setCaseImportMapping({ actor, importId: params.importId, mapping }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, {});
		}
		seeOther(`/backoffice/cases/import/${params.importId}`, { mapped: '1' });
	},
	confirm: async ({ locals, url, params }) => {
		const actor = requireActor({ locals, url });
		try {
			await runCaseImport({ actor, importId: params.importId }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, {});
		}
		seeOther(`/backoffice/cases/import/${params.importId}`);
	}
};
