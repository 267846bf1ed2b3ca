import { getApp } from '#server/app.ts';
import { exportObservatorySection } from '#server/domain/observatory/exports.service.ts';
import { filtersFromSearchParams } from '#server/domain/observatory/observatory.schemas.ts';
import type { RequestHandler } from './$types';
import { requireObservatoryViewer } from '../../observatory.server.ts';
import { backToExports, download } from '../exports.server.ts';

/** `/backoffice/observatory/exports/file?section=flows&format=csv|xlsx` with the page's filters. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireObservatoryViewer(event);
	const params = event.url.searchParams;
	try {
		const file = await exportObservatorySection(
			{
				viewer,
				section: params.get('section') ?? '',
				format: params.get('format') ?? 'csv',
				input: filtersFromSearchParams(params),
				locale: event.locals.locale
			},
			{ db: getApp().database.readDb }
		);
		return download(file);
	} catch (err) {
		backToExports(event, err);
	}
};
