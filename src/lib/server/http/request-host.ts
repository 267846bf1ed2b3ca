/**
 * The host name a request was sent to, read as adapter-node reads it for the request's URL:
 * the header named by HOST_HEADER (`x-forwarded-host` behind a proxy) when that is set and
 * present, else `Host`. Lower-case, without the port or a trailing dot; the first value of a
 * list. Used by the hooks and by the fast path of scripts/serve.js, which must agree.
 * Unlike the URL (which ORIGIN fixes), the host is always read from the request: it decides
 * which programme's site is shown (domain/programme/programme-host.service.ts).
 */
export function requestHostName(
	header: (name: string) => string | null | undefined,
	env: Record<string, string | undefined> = process.env
): string | null {
	const hostHeader = env.HOST_HEADER?.trim().toLowerCase();
	const raw = (hostHeader ? header(hostHeader) : null) || header('host');
	if (!raw) return null;
	const first = raw.split(',')[0].trim().toLowerCase();
	const host = first.startsWith('[') ? first.slice(0, first.indexOf(']') + 1) : first.replace(/:\d*$/, '');
	return host.replace(/\.$/, '') || null;
}
