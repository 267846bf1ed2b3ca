import {
	prefixedProgrammeAddresses,
	programmeAddress,
	publicProgrammeIdOf
} from '#server/http/programme-hosts.ts';
import { renderRobots } from '#server/http/sitemap.ts';
import type { RequestHandler } from './$types';

/**
 * Served by the app (not static/) so the Sitemap line carries the programme's address (its
 * primary host, else the public origin: ORIGIN, or the request's). On a host no programme holds,
 * the sitemaps of the programmes reached there at their `/p/<slug>` prefix are announced too.
 */
export const GET: RequestHandler = async (event) => {
	const origin = await programmeAddress(await publicProgrammeIdOf(event), { fallback: event.url.origin });
	const prefixed = event.locals.programmeOfHost
		? []
		: await prefixedProgrammeAddresses({ origin: event.url.origin });
	return new Response(renderRobots({ origin, prefixed }), {
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' }
	});
};
