/*
 * A programme's public address on a shared host: `/p/<slug>` before the path
 * (`https://example.org/p/lot/villages`). Used by the `reroute` hook (src/hooks.ts, in the
 * server and the browser), which routes `/p/lot/villages` as `/villages`, and by the server,
 * which resolves the prefix to its programme (http/programme-hosts.ts), keeps it in the links
 * and redirects a prefixed page writes (`prefixPageLinks`, `prefixLocation`), and writes it in
 * the programme's absolute links (`programmeAddressOf`, domain/programme/programme-host.service.ts).
 * Pure and safe in the browser.
 */

/** The segment that introduces a programme's slug in a path. */
export const PROGRAMME_PATH_SEGMENT = 'p';

/** A programme slug as `programme.schemas.ts` accepts it (lower-case words joined by dashes). */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The programme prefix of a path and the path the routes see, or null when the path has none:
 * `/p/lot/villages` → `{ slug: 'lot', prefix: '/p/lot', path: '/villages' }`, `/p/lot` → path `/`.
 */
export function splitProgrammePath(pathname: string): { slug: string; prefix: string; path: string } | null {
	const match = /^\/p\/([^/]+)(\/.*)?$/.exec(pathname);
	if (!match || !SLUG.test(match[1]) || match[1].length > 60) return null;
	return { slug: match[1], prefix: `/${PROGRAMME_PATH_SEGMENT}/${match[1]}`, path: match[2] || '/' };
}

/** The path prefix of a programme's address on a shared host. */
export function programmePathPrefix(slug: string): string {
	return `/${PROGRAMME_PATH_SEGMENT}/${slug}`;
}

/**
 * Paths answered before SvelteKit (adapter-node serves `build/client` first: the app's assets
 * and the files of `static/`), which no route serves under a prefix: never prefixed.
 * Must list every file of `static/` (programme-address.test.ts checks it).
 */
const SERVED_BEFORE_ROUTES = /^\/(?:_app\/|favicon\.svg(?:[?#]|$))/;

/** A site-relative path (`/…`, not `//host`) that a prefixed page must write with its prefix. */
function needsPrefix(path: string): boolean {
	return (
		path.startsWith('/') &&
		!path.startsWith('//') &&
		!path.startsWith('/\\') &&
		splitProgrammePath(path.replace(/[?#].*$/, '')) === null &&
		!SERVED_BEFORE_ROUTES.test(path)
	);
}

/** `path` with the prefix: `/villages` → `/p/lot/villages`, `/` → `/p/lot`, `/?lang=en` → `/p/lot?lang=en`. */
export function withPrefix(prefix: string, path: string): string {
	if (!needsPrefix(path)) return path;
	return path === '/' || /^\/[?#]/.test(path) ? `${prefix}${path.slice(1)}` : `${prefix}${path}`;
}

/** `href` as a page at `currentPath` follows it: with that page's programme prefix, if it has one. */
export function keepingPrefixOf(currentPath: string, href: string): string {
	const prefix = splitProgrammePath(currentPath)?.prefix;
	return prefix ? withPrefix(prefix, href) : href;
}

/**
 * A page served under a prefix writes its site-relative links with it, so that following a link
 * or posting a form stays in the programme. Svelte writes every attribute value between double
 * quotes and escapes `"` inside it, so `href="/…"` only ever matches an attribute (text shows
 * `&quot;`, and the data in scripts is JSON: `"href":"/…"`). Relative links (`?/action`,
 * `#part`) already keep the prefix; links to another programme's prefix are left alone.
 */
export function prefixPageLinks(html: string, prefix: string): string {
	return html.replace(
		/(\s(?:href|action|formaction)=")(\/[^"]*)"/g,
		(all, attribute: string, path: string) => `${attribute}${withPrefix(prefix, path)}"`
	);
}

/** A redirect's `Location` (after a form post, a sign-in…) keeps the prefix when it is site-relative. */
export function prefixLocation(location: string, prefix: string): string {
	return withPrefix(prefix, location);
}

/**
 * The absolute URL of a path on a programme's address (`https://example.org/p/lot` + `/villages`);
 * the home page of a prefixed address is the prefix itself, without a trailing slash (SvelteKit
 * redirects `/p/lot/` to `/p/lot`).
 */
export function addressUrl(address: string, path: string): string {
	const base = address.replace(/\/$/, '');
	if (path === '/' || path === '') return new URL(base).pathname === '/' ? `${base}/` : base;
	return `${base}${path.startsWith('/') ? path : `/${path}`}`;
}
