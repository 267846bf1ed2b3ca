import { getApp } from '#server/app.ts';
import { exportInstallationsGeoJson } from '#server/domain/observatory/exports.service.ts';
import { filtersFromSearchParams } from '#server/domain/observatory/observatory.schemas.ts';
import type { RequestHandler } from './$types';
import { requireObservatoryViewer } from '../../observatory.server.ts';
import { backToExports, download } from '../exports.server.ts';

/** Installations by commune as GeoJSON, with the page's filters. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireObservatoryViewer(event);
	try {
		const file = await exportInstallationsGeoJson(
			{ viewer, input: filtersFromSearchParams(event.url.searchParams), locale: event.locals.locale },
			{ db: getApp().database.readDb }
		);
		return download(file);
	} catch (err) {
		backToExports(event, err);
	}
};
