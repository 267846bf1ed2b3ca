import { renderRobots } from '#server/http/sitemap.ts';
import type { RequestHandler } from './$types';

/** Served by the app (not static/) so the Sitemap line carries the public origin (ORIGIN). */
export const GET: RequestHandler = ({ url }) =>
	new Response(renderRobots({ origin: url.origin }), {
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' }
	});
