import { getApp } from '#server/app.ts';
import { handleObservatoryApi } from '#server/http/observatory-api.ts';
import type { RequestHandler } from './$types';

/** One section of the observatory as JSON, with the query string's filters (see http/observatory-api.ts). */
export const GET: RequestHandler = ({ url, request, locals, params }) =>
	handleObservatoryApi(
		{
			url,
			authorization: request.headers.get('authorization'),
			actor: locals.actor,
			locale: locals.locale,
			section: params.section
		},
		{ db: getApp().database.db, readDb: getApp().database.readDb, cache: getApp().observatoryCache }
	);
