import { fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import {
	getTerritoryOverview,
	importBundledReference,
	MAX_REFERENCE_UPLOAD_BYTES,
	uploadCommuneOutlines,
	uploadInseeTable,
	type UploadedFile
} from '#server/domain/territory/territory-admin.service.ts';
import { isDomainError } from '#server/errors.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { requireActor } from '#server/http/actor.ts';
import { STATUS } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * The territory's reference data (admins): what it has and lacks, in words, and the uploads
 * of commune outlines and INSEE tables, with the report of the CLI. Plain form posts: the
 * page's script only adds an upload progress bar.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		const overview = await getTerritoryOverview({ actor }, { db: getApp().database.db });
		return { overview, maxMegabytes: MAX_REFERENCE_UPLOAD_BYTES / 1024 / 1024 };
	} catch (err) {
		throwHttpError(err);
	}
};

async function readFile(data: FormData, name: string): Promise<UploadedFile | null> {
	const file = data.get(name);
	if (!(file instanceof File) || file.size === 0) return null;
	return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** A refused file: its message goes next to the field the error names. */
function failUpload(form: 'outlines' | 'insee' | 'bundled', err: unknown) {
	if (!isDomainError(err)) throw err;
	const details = err.details as Record<string, string | number>;
	const field = typeof details.field === 'string' ? details.field : form === 'outlines' ? 'file' : 'communes';
	return fail(STATUS[err.kind], { form, code: err.code, field, params: details });
}

export const actions: Actions = {
	bundled: async ({ locals, url }) => {
		const actor = requireActor({ locals, url });
		try {
			const result = await importBundledReference({ actor }, { db: getApp().database.db });
			return {
				form: 'bundled' as const,
				bundled: {
					departements: result.departements,
					outlines: result.outlines.reduce((n, r) => n + r.matched, 0),
					insee: result.insee.reduce((n, r) => n + r.matched + r.mappedFromFormer.length, 0)
				}
			};
		} catch (err) {
			return failUpload('bundled', err);
		}
	},
	outlines: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			const report = await uploadCommuneOutlines(
				{ actor, input: { file: await readFile(data, 'file') } },
				{ db: getApp().database.db }
			);
			return { form: 'outlines' as const, outlines: report };
		} catch (err) {
			return failUpload('outlines', err);
		}
	},
	insee: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			const report = await uploadInseeTable(
				{
					actor,
					input: { communes: await readFile(data, 'communes'), cantons: await readFile(data, 'cantons') }
				},
				{ db: getApp().database.db }
			);
			return { form: 'insee' as const, insee: report };
		} catch (err) {
			return failUpload('insee', err);
		}
	}
};
