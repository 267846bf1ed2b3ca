import { getApp } from '#server/app.ts';
import { renderSitemap, sitemapEntries } from '#server/http/sitemap.ts';
import type { RequestHandler } from './$types';

/** Every public page in French and English, with hreflang alternates (see http/sitemap.ts). */
export const GET: RequestHandler = async ({ url }) => {
	const entries = await sitemapEntries({ db: getApp().database.db });
	return new Response(renderSitemap({ origin: url.origin, entries }), {
		headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=3600' }
	});
};
