import { getApp } from '#server/app.ts';
import { handleObservatoryApi } from '#server/http/observatory-api.ts';
import type { RequestHandler } from './$types';

/** The observatory's API index: the programme, the period, every section with its link (see http/observatory-api.ts). */
export const GET: RequestHandler = ({ url, request, locals }) =>
	handleObservatoryApi(
		{ url, authorization: request.headers.get('authorization'), actor: locals.actor, locale: locals.locale },
		{ db: getApp().database.db, readDb: getApp().database.readDb, cache: getApp().observatoryCache }
	);
