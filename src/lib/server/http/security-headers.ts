/*
 * Security headers of every response: pages, `+server.ts` endpoints, redirects and errors.
 *
 * Pages carry the Content-Security-Policy SvelteKit writes from `kit.csp` (svelte.config.js):
 * it adds the hash of its own inline start script to `script-src` (hashes, not nonces, so a page
 * served from the public cache has a policy that matches its HTML), so no `'unsafe-inline'` is
 * needed for scripts. That policy is fixed at build time,
 * while the map's tile server is an operator setting (SOHO_TILE_URL) read at run time: the
 * hook adds the tile server's origin to `img-src` of the header SvelteKit wrote, keeping its
 * hashes. Responses SvelteKit gives no policy (endpoints: JSON, CSV, files, redirects) get a
 * policy that loads nothing, which is what a file or JSON needs.
 */

/** What the policy depends on at run time. */
export type SecurityHeadersOptions = {
	/** The public origin (ORIGIN): HSTS is sent only when it is https. */
	origin: string;
	/** The tile URL template of the public map (SOHO_TILE_URL); empty: no tiles. */
	tileUrl: string;
};

/** For responses without a page policy: nothing may load, nobody may frame it. */
export const FALLBACK_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** One year, as the HSTS preload list asks; only sent over an https ORIGIN. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The CSP source of a tile URL template: its scheme and host, a `{s}` (or any placeholder)
 * in the leftmost label becoming the wildcard `*`. A placeholder elsewhere in the host cannot
 * be written in CSP: the scheme alone is allowed then. Null when there are no tiles.
 */
export function tileSourceOf(tileUrl: string): string | null {
	const match = /^(https?):\/\/([^/?#]+)/i.exec(tileUrl.trim());
	if (!match) return null;
	const [, scheme, host] = match;
	const lower = scheme.toLowerCase();
	const wildcarded = host.replace(/^\{[^}]*\}(?=\.)/, '*');
	if (/[{}]/.test(wildcarded)) return `${lower}:`;
	return `${lower}://${wildcarded.toLowerCase()}`;
}

/** A policy with `sources` added to one directive (created when the policy lacks it). */
export function addCspSources(policy: string, directive: string, sources: string[]): string {
	if (sources.length === 0) return policy;
	const parts = policy
		.split(';')
		.map((part) => part.trim())
		.filter(Boolean);
	const index = parts.findIndex((part) => part.split(/\s+/)[0].toLowerCase() === directive);
	if (index === -1) parts.push(`${directive} ${sources.join(' ')}`);
	else {
		const present = new Set(parts[index].split(/\s+/));
		parts[index] = [parts[index], ...sources.filter((source) => !present.has(source))].join(' ');
	}
	return parts.join('; ');
}

/**
 * The headers every response carries, and the policy of a response: the page's policy (from
 * SvelteKit) with the tile server added, or FALLBACK_CSP.
 */
export function securityHeadersFor(
	{ pagePolicy }: { pagePolicy: string | null },
	{ origin, tileUrl }: SecurityHeadersOptions
): Record<string, string> {
	const tiles = tileSourceOf(tileUrl);
	const headers: Record<string, string> = {
		'content-security-policy': pagePolicy
			? addCspSources(pagePolicy, 'img-src', tiles ? [tiles] : [])
			: FALLBACK_CSP,
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'strict-origin-when-cross-origin',
		'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
		'cross-origin-opener-policy': 'same-origin',
		// Old browsers that ignore frame-ancestors.
		'x-frame-options': 'DENY'
	};
	if (/^https:/i.test(origin)) headers['strict-transport-security'] = HSTS;
	return headers;
}

/** The response with the security headers set (a copy when its headers are immutable). */
export function withSecurityHeaders(response: Response, options: SecurityHeadersOptions): Response {
	const headers = securityHeadersFor(
		{ pagePolicy: response.headers.get('content-security-policy') },
		options
	);
	let target = response;
	try {
		for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
	} catch {
		// Response.redirect() and fetched responses have immutable headers.
		target = new Response(response.body, response);
		for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
	}
	return target;
}
