import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/index.ts';
import { BoundedCache } from '../cache/bounded-cache.ts';
import { createLogger } from '../logger.ts';
import { acceptsGzip } from './compression.ts';
import { requestHostName } from './request-host.ts';
import { splitProgrammePath } from '#domain/programme-address.ts';

/*
 * The cache of rendered public pages: the pages that are the same for every visitor who is
 * not signed in (home, villages, workspaces, offers, events, FAQ, directory, map, legal and
 * privacy notices, sitemap, robots) are rendered once and served from memory until a write
 * changes what they show, or SOHO_PUBLIC_CACHE_MAX_AGE_SECONDS passes (what changes without a
 * write: "next events", figures built from cases).
 *
 * - Key: the programme the request shows (its `/p/<slug>` prefix, else its host's programme,
 *   else the default programme), the locale (decided by localeHandle) and the full URL (origin, path and query
 *   string). Two hosts never share a page, even when ORIGIN fixes the URL's origin.
 * - Bypassed: other methods than GET/HEAD, requests with a session cookie (signed-in pages are
 *   `private, no-store`), SvelteKit's `__data.json`, any route not in CACHEABLE_ROUTES, the
 *   first run while /setup is open; responses other than 200, with `cache-control` private or
 *   no-store, or setting a cookie other than the locale one are served but not stored.
 * - Stored: body, gzipped body (a hit costs no compression), status and headers, with a strong
 *   ETag per encoding; `If-None-Match` answers 304.
 * - Invalidation: `invalidate()`, called when the database notifies a new version of what
 *   public pages show (migrations 0025, 0026 and 0037: triggers on the tables they read, programme_hosts included, NOTIFY when a statement changed rows,
 *   to every process) and right after a write request in this process. A render that started
 *   before an invalidation is not stored (the generation changed meanwhile).
 * - Memory: least recently used entries leave first, within SOHO_PUBLIC_CACHE_MB (cache/bounded-cache.ts).
 */

/** Route ids (SvelteKit's `event.route.id`) whose anonymous GET is the same for every visitor. */
export const CACHEABLE_ROUTES: ReadonlySet<string> = new Set([
	'/(public)',
	'/(public)/villages',
	'/(public)/villages/[slug]',
	'/(public)/workspaces',
	'/(public)/workspaces/[slug]',
	'/(public)/offers',
	'/(public)/offers/[offerId]',
	'/(public)/search',
	'/(public)/france',
	'/(public)/events',
	'/(public)/events/[eventId]',
	'/(public)/events/calendar.ics',
	'/(public)/events/[eventId]/event.ics',
	'/(public)/faq',
	'/(public)/directory',
	'/(public)/directory/[profileId]',
	'/(public)/map',
	'/(public)/legal',
	'/(public)/privacy',
	'/sitemap.xml',
	'/robots.txt'
]);

/** Browsers and proxies may keep a cached page but must ask again (a cheap 304) before using it. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, must-revalidate';

/** The answer differs by encoding, by session and locale cookies, and by the browser's languages. */
export const PUBLIC_VARY = 'Accept-Encoding, Cookie, Accept-Language';

/** Headers never stored: recomputed per response, or personal. */
const UNSTORED_HEADERS = new Set(['set-cookie', 'content-length', 'date', 'etag', 'vary', 'x-request-id']);

export type CachedPage = {
	status: number;
	headers: [string, string][];
	body: Uint8Array;
	/** The gzipped body, or null when compression does not pay (small or not text). */
	gzipped: Uint8Array | null;
	etag: string;
	gzippedEtag: string | null;
	/** Milliseconds (the cache's clock) after which the page is rendered again. */
	expiresAt: number;
	bytes: number;
};

export type PublicPageCacheOptions = {
	/** Memory for the stored bodies and headers; 0 turns the cache off. */
	maxBytes: number;
	/** Longest time a page is served from the cache. */
	maxAgeMs: number;
	/** The clock, in milliseconds (tests move it). */
	now?: () => number;
};

/** Below this size gzip costs more than it saves (as in compression.ts). */
const MIN_GZIP_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|javascript)|image\/svg\+xml)/i;

/** A strong validator: the same bytes give the same tag in every process. */
function etagOf(bytes: Uint8Array, suffix = ''): string {
	return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}${suffix}"`;
}

/** Whether an If-None-Match header names this tag (weak comparison, as RFC 9110 asks for GET). */
export function matchesIfNoneMatch(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	if (ifNoneMatch.trim() === '*') return true;
	const strip = (tag: string) => tag.trim().replace(/^W\//, '');
	return ifNoneMatch.split(',').some((tag) => strip(tag) === strip(etag));
}

/**
 * The cache key: programme, locale and full URL (origin, path and query string in the order
 * sent; without ORIGIN the origin follows the Host header, and robots.txt and the sitemap
 * write it).
 */
export function publicCacheKey({
	programmeId,
	locale,
	url
}: {
	programmeId: string;
	locale: string;
	url: URL;
}): string {
	return `${programmeId}\n${locale}\n${url.origin}${url.pathname}${url.search}`;
}

/**
 * The instance's addresses (domain/programme/programme-host.service.ts `HostMap`): which
 * programme each host shows, each programme's primary host, each slug's programme (the
 * `/p/<slug>` prefix on a shared host) and the default programme (the oldest) shown on any host
 * no programme holds.
 */
export type ProgrammeRouting = {
	defaultProgrammeId: string | null;
	programmeOfHost: ReadonlyMap<string, string>;
	primaryHostOf: ReadonlyMap<string, string>;
	programmeOfSlug: ReadonlyMap<string, string>;
	slugOf: ReadonlyMap<string, string>;
};

/**
 * The programme a request is for: the one of its path prefix (`/p/<slug>/…`, on a host no
 * programme holds), else the one holding its host, else the default programme (`byHost` null).
 * `unknown`: a prefix naming no programme, or a prefix on a programme's own host (404).
 */
export type RequestProgramme =
	| { kind: 'host'; programmeId: string | null }
	| { kind: 'prefix'; programmeId: string; prefix: string; path: string }
	| { kind: 'unknown' };

export function requestProgrammeOf(
	routing: ProgrammeRouting,
	host: string | null,
	pathname: string
): RequestProgramme {
	const ofHost = host ? (routing.programmeOfHost.get(host) ?? null) : null;
	const prefixed = splitProgrammePath(pathname);
	if (!prefixed) return { kind: 'host', programmeId: ofHost };
	const programmeId = routing.programmeOfSlug.get(prefixed.slug);
	if (!programmeId || ofHost) return { kind: 'unknown' };
	return { kind: 'prefix', programmeId, prefix: prefixed.prefix, path: prefixed.path };
}

/** The programme whose pages a request shows (null: none, nothing to serve from the cache). */
export function shownProgrammeOf(
	routing: ProgrammeRouting,
	host: string | null,
	pathname: string
): string | null {
	const found = requestProgrammeOf(routing, host, pathname);
	if (found.kind === 'unknown') return null;
	return found.programmeId ?? routing.defaultProgrammeId;
}

/** The bounded LRU of rendered pages (generation, expiry, bytes), with the fast path's state. */
export class PublicPageCache extends BoundedCache<CachedPage> {
	/** Renders under way per key and generation, so concurrent misses render once. */
	readonly inflight = new Map<string, Promise<CachedPage | null>>();
	/** The hosts' programmes as of a generation, once the hooks have read them (http/programme-hosts.ts). */
	routing: { generation: number; value: ProgrammeRouting } | null = null;
	/** Set by hooks.server.ts at start: what `serveHit` needs to answer without SvelteKit. */
	fastPath: FastPathOptions | null = null;

	constructor(options: PublicPageCacheOptions) {
		super(options);
	}

	/**
	 * Answers a request from memory before SvelteKit (scripts/serve.js), when it is a hit that
	 * needs nothing more: GET or HEAD, no session cookie, no locale cookie to set, the page
	 * stored. Returns false to let SvelteKit (and the hook) handle it. What the hooks add to
	 * every response (security headers, request id, the request log line) is added here too.
	 */
	serveHit(req: IncomingMessage, res: ServerResponse, { origin }: { origin: string | null }): boolean {
		const fast = this.fastPath;
		const routing = this.routing;
		if (!fast || !origin || routing?.generation !== this.generation) return false;
		if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url || this.size === 0) return false;
		const started = performance.now();
		const header = (name: string) => {
			const value = req.headers[name];
			return typeof value === 'string' ? value : null;
		};
		let url: URL;
		try {
			url = new URL(req.url, origin);
		} catch {
			return false;
		}
		// The programme the hooks would resolve for this host and path prefix: a page of another
		// programme never matches.
		const programmeId = shownProgrammeOf(routing.value, requestHostName(header), url.pathname);
		if (!programmeId) return false;
		const cookies = parseCookies(req.headers.cookie);
		if (fast.sessionCookies.some((name) => cookies.has(name))) return false;
		const asked = url.searchParams.get('lang');
		const locale = fast.localeOf({
			asked,
			cookie: cookies.get(fast.localeCookie) ?? null,
			acceptLanguage: req.headers['accept-language'] ?? null
		});
		if (asked !== null && asked === locale && cookies.get(fast.localeCookie) !== asked) return false;
		const entry = this.get(publicCacheKey({ programmeId, locale, url }));
		if (!entry) return false;
		const answer = answerFromCache(
			{ method: req.method, acceptEncoding: header('accept-encoding'), ifNoneMatch: header('if-none-match') },
			entry
		);
		const requestId = header('x-request-id')?.slice(0, 64) || randomUUID();
		const headers: Record<string, string> = {};
		for (const [name, value] of answer.headers) headers[name] = value;
		Object.assign(headers, fast.securityHeaders(answer.headers.get('content-security-policy')));
		headers['x-request-id'] = requestId;
		res.writeHead(answer.status, headers);
		res.end(answer.body ?? undefined);
		fast.onServed({
			requestId,
			method: req.method,
			path: url.pathname,
			status: answer.status,
			ms: performance.now() - started
		});
		return true;
	}

	/** Drops every page; renders under way will not be stored. */
	invalidate(): void {
		super.invalidate();
		this.routing = null;
		this.inflight.clear();
	}

	/**
	 * The entry to store for a rendered response, or null when it must not be stored; the body
	 * is read only when it is stored (a null leaves the response untouched, to be sent as it is).
	 */
	async entryOf(
		response: Response,
		{ ignoredCookies }: { ignoredCookies: string[] }
	): Promise<CachedPage | null> {
		if (response.status !== 200 || !response.body) return null;
		if (response.headers.has('content-encoding')) return null;
		const cacheControl = response.headers.get('cache-control') ?? '';
		if (/\b(private|no-store|no-cache)\b/i.test(cacheControl)) return null;
		const cookies = response.headers.getSetCookie();
		if (cookies.some((cookie) => !ignoredCookies.some((name) => cookie.startsWith(`${name}=`)))) return null;
		const body = new Uint8Array(await response.arrayBuffer());
		const headers: [string, string][] = [];
		for (const [name, value] of response.headers)
			if (!UNSTORED_HEADERS.has(name)) headers.push([name, value]);
		const type = response.headers.get('content-type') ?? '';
		const gzipped =
			body.byteLength >= MIN_GZIP_BYTES && COMPRESSIBLE.test(type) ? new Uint8Array(gzipSync(body)) : null;
		const etag = etagOf(body);
		const headerBytes = headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
		return {
			status: response.status,
			headers,
			body,
			gzipped,
			etag,
			gzippedEtag: gzipped ? `${etag.slice(0, -1)}-gz"` : null,
			expiresAt: this.now() + this.maxAgeMs,
			bytes: body.byteLength + (gzipped?.byteLength ?? 0) + headerBytes + 256
		};
	}
}

/** What a stored page answers to a request: its status, headers and body (null: none). */
export function answerFromCache(
	request: { method: string; acceptEncoding: string | null; ifNoneMatch: string | null },
	entry: CachedPage,
	{ setCookies = [] }: { setCookies?: string[] } = {}
): { status: number; headers: Headers; body: Uint8Array | null } {
	const isGzip = entry.gzipped !== null && acceptsGzip(request.acceptEncoding);
	const etag = isGzip ? (entry.gzippedEtag as string) : entry.etag;
	const headers = new Headers(entry.headers);
	headers.set('etag', etag);
	headers.set('vary', PUBLIC_VARY);
	if (!headers.has('cache-control')) headers.set('cache-control', PUBLIC_CACHE_CONTROL);
	for (const cookie of setCookies) headers.append('set-cookie', cookie);
	if (matchesIfNoneMatch(request.ifNoneMatch, etag)) {
		const kept = new Headers();
		// A browser applies a 304's headers to the copy it keeps: the page's own policy goes with
		// it, or the security headers would give the copy the fallback policy (no styles, no forms).
		for (const name of [
			'etag',
			'cache-control',
			'vary',
			'content-location',
			'expires',
			'content-security-policy',
			'set-cookie'
		]) {
			for (const value of name === 'set-cookie' ? headers.getSetCookie() : [headers.get(name)]) {
				if (value) kept.append(name, value);
			}
		}
		return { status: 304, headers: kept, body: null };
	}
	const body = isGzip ? (entry.gzipped as Uint8Array) : entry.body;
	if (isGzip) headers.set('content-encoding', 'gzip');
	headers.set('content-length', String(body.byteLength));
	return { status: entry.status, headers, body: request.method === 'HEAD' ? null : body };
}

/** The response for a stored page: gzipped when the client accepts it, 304 when its copy is current. */
export function responseFromCache(
	request: Request,
	entry: CachedPage,
	options: { setCookies?: string[] } = {}
): Response {
	const { status, headers, body } = answerFromCache(
		{
			method: request.method,
			acceptEncoding: request.headers.get('accept-encoding'),
			ifNoneMatch: request.headers.get('if-none-match')
		},
		entry,
		options
	);
	return new Response(body as Uint8Array<ArrayBuffer> | null, { status, headers });
}

/** What the fast path (`serveHit`) needs from the hooks: their locale rule, cookies and headers. */
export type FastPathOptions = {
	sessionCookies: string[];
	localeCookie: string;
	/** The locale localeHandle would choose (?lang=, then the cookie, then Accept-Language). */
	localeOf: (input: { asked: string | null; cookie: string | null; acceptLanguage: string | null }) => string;
	/** The security headers of a response with this page policy (http/security-headers.ts). */
	securityHeaders: (pagePolicy: string | null) => Record<string, string>;
	/** The request log line the request hook writes. */
	onServed: (request: {
		requestId: string;
		method: string;
		path: string;
		status: number;
		ms: number;
	}) => void;
};

function parseCookies(header: string | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	if (!header) return cookies;
	for (const part of header.split(';')) {
		const index = part.indexOf('=');
		if (index === -1) continue;
		const name = part.slice(0, index).trim();
		if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
	}
	return cookies;
}

export type PublicCacheHandleDeps = {
	/** The running cache (null before start-up). */
	cache: () => PublicPageCache | null;
	/** Names of the session cookies: a request carrying one is never served from the cache. */
	sessionCookies: string[];
	/** The id of the programme the request's host shows, or null (no programme: nothing is cached). */
	publicProgrammeId: (event: RequestEvent) => Promise<string | null>;
	/** True while the first-run setup is open (its redirects must keep working). */
	isSetupOpen: () => Promise<boolean>;
	/**
	 * Cookies the page sets that the cache may drop from what it stores, and the `Set-Cookie`
	 * values to send again on a hit (the locale chosen with ?lang=).
	 */
	ignoredCookies: string[];
	setCookiesOnHit: (event: RequestEvent) => string[];
	/** After a write request (not GET/HEAD) answered in this process: drop the pages it changed. */
	afterWrite: () => Promise<void>;
};

/**
 * The hook: serves hits before the session and route checks (a cached page was stored from an
 * anonymous request that passed them), renders and stores misses, and runs `afterWrite` after
 * every write request so that the next request of this process sees the write.
 */
export function createPublicCacheHandle(deps: PublicCacheHandleDeps): Handle {
	return async ({ event, resolve }) => {
		const cache = deps.cache();
		const method = event.request.method;
		if (method !== 'GET' && method !== 'HEAD') {
			const response = await resolve(event);
			if (cache?.isEnabled) await deps.afterWrite();
			return response;
		}
		if (
			!cache?.isEnabled ||
			event.isDataRequest ||
			!event.route.id ||
			!CACHEABLE_ROUTES.has(event.route.id) ||
			deps.sessionCookies.some((name) => event.cookies.get(name) !== undefined) ||
			(await deps.isSetupOpen())
		) {
			return resolve(event);
		}
		const programmeId = await deps.publicProgrammeId(event);
		if (!programmeId) return resolve(event);
		const key = publicCacheKey({ programmeId, locale: event.locals.locale, url: event.url });
		const hit = cache.get(key);
		if (hit) return responseFromCache(event.request, hit, { setCookies: deps.setCookiesOnHit(event) });
		const generation = cache.generation;
		const flightKey = `${generation}\n${key}`;
		const pending = cache.inflight.get(flightKey);
		if (pending) {
			const entry = await pending;
			if (entry) return responseFromCache(event.request, entry, { setCookies: deps.setCookiesOnHit(event) });
			return resolve(event);
		}
		// A HEAD carries no body to store: it is answered by SvelteKit, and stored by the next GET.
		if (method === 'HEAD') return resolve(event);
		let settle: (entry: CachedPage | null) => void = () => {};
		cache.inflight.set(flightKey, new Promise((done) => (settle = done)));
		let entry: CachedPage | null = null;
		try {
			const response = await resolve(event);
			entry = await cache.entryOf(response, { ignoredCookies: deps.ignoredCookies });
			if (!entry) return response;
			cache.set(key, entry, generation);
			// The first visitor gets the same headers (ETag, Cache-Control) and cookies as the next ones.
			const served = responseFromCache(event.request, entry);
			for (const cookie of response.headers.getSetCookie()) served.headers.append('set-cookie', cookie);
			return served;
		} finally {
			settle(entry);
			cache.inflight.delete(flightKey);
		}
	};
}

const log = createLogger({ namespace: 'http:public-cache' });

/** The channel of public-cache.sql's NOTIFY; the payload is the new version and the table written. */
export const PUBLIC_CACHE_CHANNEL = 'soho_public_cache';

/** The version of what public pages show (0 before the first write): the sequence of public-cache.sql. */
export async function readPublicCacheVersion({ db }: Pick<DbHandle, 'db'>): Promise<number> {
	const result = await db.execute(
		sql`select case when is_called then last_value else 0 end as version from soho_public_cache_version`
	);
	const [row] = (result as unknown as { rows: { version: string | number }[] }).rows;
	return Number(row?.version ?? 0);
}

/**
 * Keeps a process's cache in step with the database: drops it when another process (or a job
 * of this one) notifies a new version, and when `afterWrite` finds the version changed by a
 * request of this process (the notification may come a moment after the response, the next
 * request must not wait for it). A lost LISTEN connection drops it too (notifications missed).
 */
export async function watchPublicCacheVersion(
	{ cache }: { cache: PublicPageCache },
	{ database }: { database: Pick<DbHandle, 'db' | 'listen'> }
): Promise<{ afterWrite: () => Promise<void>; stop: () => Promise<void> }> {
	let known = await readPublicCacheVersion(database);
	const seen = (version: number | null) => {
		if (version !== null && version === known) return;
		if (version !== null) known = version;
		cache.invalidate();
	};
	const stop = await database.listen(PUBLIC_CACHE_CHANNEL, (payload) => {
		// "<version> <table>"; null: the connection was lost, notifications may have been missed.
		const [version, table] = payload === null ? [null, null] : payload.split(' ');
		const number = version === null ? null : Number(version);
		log.debug({ version: number, table }, 'Public pages changed');
		seen(number !== null && Number.isFinite(number) ? number : null);
	});
	return {
		afterWrite: async () => seen(await readPublicCacheVersion(database)),
		stop
	};
}
