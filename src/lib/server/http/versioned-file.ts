/**
 * Answers for a file whose URL carries a version of its content (`?v=<hash>`): cached for a
 * year (`immutable`) when the version asked for is the current one, for a minute otherwise
 * (an old page still asking for an old version gets today's file, but not for ever). A strong
 * ETag (the version) answers `If-None-Match` with 304. Gzip is added by the compression hook.
 */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const SHORT_CACHE_CONTROL = 'public, max-age=60';

/** Whether an `If-None-Match` header names this ETag (also in its weak form, as gzip makes it). */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	if (ifNoneMatch.trim() === '*') return true;
	return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export function versionedFileResponse({
	request,
	requestedVersion,
	version,
	body,
	contentType,
	tag = ''
}: {
	request: Request;
	requestedVersion: string | null;
	version: string;
	body: string;
	contentType: string;
	/** Told apart in the ETag when several files share a version (`svg`, `json`). */
	tag?: string;
}): Response {
	const etag = `"${version}${tag ? `-${tag}` : ''}"`;
	const headers = new Headers({
		'content-type': contentType,
		'cache-control': requestedVersion === version ? IMMUTABLE_CACHE_CONTROL : SHORT_CACHE_CONTROL,
		etag,
		'x-content-type-options': 'nosniff'
	});
	if (matchesEtag(request.headers.get('if-none-match'), etag))
		return new Response(null, { status: 304, headers });
	return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}
