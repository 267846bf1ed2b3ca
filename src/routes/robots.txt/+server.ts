import { programmeOrigin, publicProgrammeIdOf } from '#server/http/programme-hosts.ts';
import { renderRobots } from '#server/http/sitemap.ts';
import type { RequestHandler } from './$types';

/**
 * Served by the app (not static/) so the Sitemap line carries the programme's primary host,
 * else the public origin (ORIGIN, or the request's).
 */
export const GET: RequestHandler = async (event) => {
	const origin = await programmeOrigin(await publicProgrammeIdOf(event), { fallback: event.url.origin });
	return new Response(renderRobots({ origin }), {
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' }
	});
};
