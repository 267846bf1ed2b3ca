import { getApp } from '#server/app.ts';
import { programmeAddress, publicProgrammeIdOf } from '#server/http/programme-hosts.ts';
import { renderSitemap, sitemapEntries } from '#server/http/sitemap.ts';
import type { RequestHandler } from './$types';

/**
 * Every public page in French and English, with hreflang alternates (see http/sitemap.ts), of
 * the programme the request shows, at its address: its primary host, else the request's origin
 * (followed by its `/p/<slug>` prefix, unless it is the default programme).
 */
export const GET: RequestHandler = async (event) => {
	const programmeId = await publicProgrammeIdOf(event);
	const entries = await sitemapEntries({ db: getApp().database.db, programmeId });
	const origin = await programmeAddress(programmeId, { fallback: event.url.origin });
	return new Response(renderSitemap({ origin, entries }), {
		headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=3600' }
	});
};
