/**
 * Compresses rendered responses (HTML, JSON, SVG, GeoJSON, CSV, iCalendar...) with gzip when the
 * client accepts it. Built files under /_app are served precompressed by the adapter before the
 * hooks run; this covers what the server renders, e.g. a village page with its map (110 KB of
 * HTML becomes about 25 KB on the wire).
 */
const COMPRESSIBLE =
	/^(text\/|application\/(json|geo\+json|xml|rss\+xml|atom\+xml|javascript|manifest\+json)|image\/svg\+xml)/i;

/** Below this size compression costs more than it saves. */
const MIN_BYTES = 1024;

/** Whether the Accept-Encoding header allows gzip (`gzip` or `*` with a non-zero q). */
export function acceptsGzip(acceptEncoding: string | null): boolean {
	if (!acceptEncoding) return false;
	return acceptEncoding.split(',').some((part) => {
		const [coding, ...params] = part.trim().toLowerCase().split(';');
		if (coding !== 'gzip' && coding !== '*') return false;
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		return !q || Number(q.slice(2)) > 0;
	});
}

export function compressResponse(request: Request, response: Response): Response {
	if (!response.body || request.method === 'HEAD') return response;
	if (response.status < 200 || response.status === 204 || response.status === 206 || response.status === 304)
		return response;
	if (response.headers.has('content-encoding')) return response;
	const type = response.headers.get('content-type');
	if (!type || !COMPRESSIBLE.test(type)) return response;
	const length = response.headers.get('content-length');
	if (length !== null && Number(length) < MIN_BYTES) return response;
	// The same URL answers differently by Accept-Encoding: caches must know, even when we do not compress.
	if (!acceptsGzip(request.headers.get('accept-encoding'))) {
		try {
			if (!/\baccept-encoding\b/i.test(response.headers.get('vary') ?? '')) {
				response.headers.append('vary', 'Accept-Encoding');
			}
		} catch {
			// Immutable headers (a response passed through from fetch): leave them as they are.
		}
		return response;
	}
	const headers = new Headers(response.headers);
	headers.append('vary', 'Accept-Encoding');
	headers.set('content-encoding', 'gzip');
	headers.delete('content-length');
	// The gzipped bytes differ from the plain ones: a strong validator would claim they are equal.
	const etag = headers.get('etag');
	if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
	return new Response(response.body.pipeThrough(new CompressionStream('gzip')), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}
