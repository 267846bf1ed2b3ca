import { getApp } from '#server/app.ts';
import {
	getPublicOutlines,
	renderOutlines,
	type OutlineDetail
} from '#server/domain/territory/territory-outlines.service.ts';
import { programmeRouting } from '#server/http/programme-hosts.ts';
import { versionedFileResponse } from '#server/http/versioned-file.ts';
import { error } from '@sveltejs/kit';

/** `?d=light` asks for the list pages' outlines; anything else gets the map page's. */
export const detailOf = (url: URL): OutlineDetail =>
	url.searchParams.get('d') === 'light' ? 'light' : 'fine';

/**
 * A programme's outlines as an SVG drawing or a GeoJSON file (see territory-outlines.service.ts):
 * the programme named by `?p=<slug>` (outlineUrls writes it: a back-office page draws its actor's
 * programme on any host), else the request's (prefix, host or default). Commune outlines are
 * public reference data; a slug naming no programme answers 404. Browsers keep each version of
 * each programme's file for ever (the URL carries both).
 */
export async function serveOutlines(
	{ url, request, locals }: { url: URL; request: Request; locals: App.Locals },
	format: 'svg' | 'json'
): Promise<Response> {
	const slug = url.searchParams.get('p');
	const programmeId = slug ? (await programmeRouting()).programmeOfSlug.get(slug) : locals.programmeOfHost;
	if (programmeId === undefined) error(404, { code: 'not_found', message: 'Not found' });
	const { outlines } = await getPublicOutlines(
		{ detail: detailOf(url), programmeId },
		{ db: getApp().database.db }
	);
	const rendered = renderOutlines(outlines);
	return versionedFileResponse({
		request,
		requestedVersion: url.searchParams.get('v'),
		version: outlines.version,
		tag: format,
		body: format === 'svg' ? rendered.svg : rendered.json,
		contentType: format === 'svg' ? 'image/svg+xml; charset=utf-8' : 'application/geo+json; charset=utf-8'
	});
}
