import { getApp } from '#server/app.ts';
import {
	getPublicOutlines,
	renderOutlines,
	type OutlineDetail
} from '#server/domain/territory/territory-outlines.service.ts';
import { versionedFileResponse } from '#server/http/versioned-file.ts';

/** `?d=light` asks for the list pages' outlines; anything else gets the map page's. */
export const detailOf = (url: URL): OutlineDetail =>
	url.searchParams.get('d') === 'light' ? 'light' : 'fine';

/** The public programme's outlines as an SVG drawing or a GeoJSON file (see territory-outlines.service.ts). */
export async function serveOutlines(
	{ url, request, locals }: { url: URL; request: Request; locals: App.Locals },
	format: 'svg' | 'json'
): Promise<Response> {
	const { outlines } = await getPublicOutlines(
		{ detail: detailOf(url), programmeId: locals.programmeOfHost },
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
