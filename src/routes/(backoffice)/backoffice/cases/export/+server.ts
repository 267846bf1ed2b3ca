import { getApp } from '#server/app.ts';
import { getCaseOptions } from '#server/domain/case/case.service.ts';
import { exportCases } from '#server/domain/case-export/case-export.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { readCaseQuery, toCaseFilters } from '../filters.server.ts';
import type { RequestHandler } from './$types';

/**
 * The case list as a file: `/backoffice/cases/export?format=csv|xlsx` with the list's own
 * query string (stage, advisor, source, village, q), so the file holds what the list shows.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const options = await getCaseOptions({ actor }, { db });
		const openStages = options.pipeline.stages.slice(0, options.pipeline.installedIndex);
		const file = await exportCases(
			{
				actor,
				format: url.searchParams.get('format') ?? 'csv',
				filters: toCaseFilters(readCaseQuery(url), actor, openStages)
			},
			{ db }
		);
		return new Response(file.body as BodyInit, {
			headers: {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${file.fileName}"`,
				'cache-control': 'private, no-store'
			}
		});
	} catch (err) {
		throwHttpError(err);
	}
};
