import { getApp } from '#server/app.ts';
import { exportProgrammeComparison } from '#server/domain/observatory/comparison.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { RequestHandler } from './$types';
import { download } from '../../exports/exports.server.ts';

/** `/backoffice/observatory/comparison/csv?from=…&to=…`: the comparison's table as CSV. */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const params = event.url.searchParams;
	try {
		const file = await exportProgrammeComparison(
			{
				actor,
				input: { from: params.get('from')?.trim() || undefined, to: params.get('to')?.trim() || undefined },
				locale: event.locals.locale
			},
			{ db: getApp().database.db }
		);
		return download(file);
	} catch (err) {
		throwHttpError(err);
	}
};
