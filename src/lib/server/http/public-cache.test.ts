import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, test } from 'vitest';
import {
	createPublicCacheHandle,
	matchesIfNoneMatch,
	PUBLIC_CACHE_CONTROL,
	PublicPageCache,
	publicCacheKey,
	requestProgrammeOf,
	shownProgrammeOf,
	responseFromCache,
	type CachedPage,
	type PublicCacheHandleDeps
} from './public-cache.ts';

const HTML =
	'<!doctype html><html><body>' + '<p>Simorre, Samatan, Lectoure</p>'.repeat(100) + '</body></html>';

const page = (body = HTML, init: ResponseInit = {}) =>
	new Response(body, {
		status: 200,
		...init,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'content-security-policy': "script-src 'self' 'sha256-abc='",
			...(init.headers as Record<string, string>)
		}
	});

async function entry(cache: PublicPageCache, body = HTML): Promise<CachedPage> {
	const stored = await cache.entryOf(page(body), { ignoredCookies: [] });
	if (!stored) throw new Error('not storable');
	return stored;
}

describe('PublicPageCache', () => {
	test('a stored page is served until its maximum age, then rendered again', async () => {
		let now = 1_000;
		const cache = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000, now: () => now });
		expect(cache.set('home', await entry(cache), cache.generation)).toBe(true);
		now += 59_999;
		expect(cache.get('home')).not.toBeNull();
		now += 1;
		expect(cache.get('home')).toBeNull();
		expect(cache.size).toBe(0);
		expect(cache.bytes).toBe(0);
	});

	test('an invalidation drops every page, and a render begun before it is not stored', async () => {
		const cache = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
		cache.set('home', await entry(cache), cache.generation);
		const begun = cache.generation;
		cache.invalidate();
		expect(cache.get('home')).toBeNull();
		expect(cache.set('villages', await entry(cache), begun)).toBe(false);
		expect(cache.get('villages')).toBeNull();
		expect(cache.set('villages', await entry(cache), cache.generation)).toBe(true);
	});

	test('the least recently used pages leave first when the memory is full', async () => {
		const cache = new PublicPageCache({ maxBytes: 100_000, maxAgeMs: 60_000 });
		const one = await entry(cache);
		const fit = Math.floor(100_000 / one.bytes);
		for (let i = 0; i < fit; i++) cache.set(`page-${i}`, await entry(cache), cache.generation);
		expect(cache.size).toBe(fit);
		cache.get('page-0');
		cache.set('one-more', await entry(cache), cache.generation);
		expect(cache.bytes).toBeLessThanOrEqual(100_000);
		expect(cache.get('page-0')).not.toBeNull();
		expect(cache.get('page-1')).toBeNull();
		expect(cache.get('one-more')).not.toBeNull();
	});

	test('a page taking more than an eighth of the memory is not stored; 0 MB turns the cache off', async () => {
		const small = new PublicPageCache({ maxBytes: 8_000, maxAgeMs: 60_000 });
		expect(small.set('home', await entry(small), small.generation)).toBe(false);
		const off = new PublicPageCache({ maxBytes: 0, maxAgeMs: 60_000 });
		expect(off.isEnabled).toBe(false);
		expect(off.set('home', await entry(off), off.generation)).toBe(false);
	});

	test('errors, private pages and pages setting a cookie are not stored; the locale cookie is', async () => {
		const cache = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
		const none = { ignoredCookies: [] };
		expect(await cache.entryOf(page(HTML, { status: 404 }), none)).toBeNull();
		expect(
			await cache.entryOf(page(HTML, { headers: { 'cache-control': 'private, no-store' } }), none)
		).toBeNull();
		const withCookie = (cookie: string) => {
			const response = page();
			response.headers.append('set-cookie', cookie);
			return response;
		};
		expect(await cache.entryOf(withCookie('flash=saved; Path=/'), none)).toBeNull();
		const stored = await cache.entryOf(withCookie('soho_lang=en; Path=/'), { ignoredCookies: ['soho_lang'] });
		expect(stored?.headers.map(([name]) => name)).not.toContain('set-cookie');
	});

	test('the key holds the programme, the locale and the full query string', () => {
		const key = (programmeId: string, locale: string, url: string) =>
			publicCacheKey({ programmeId, locale, url: new URL(url) });
		const base = key('prg_1', 'fr', 'http://x/offers?kind=rent');
		expect(key('prg_2', 'fr', 'http://x/offers?kind=rent')).not.toBe(base);
		expect(key('prg_1', 'en', 'http://x/offers?kind=rent')).not.toBe(base);
		expect(key('prg_1', 'fr', 'http://x/offers?kind=sale')).not.toBe(base);
		expect(key('prg_1', 'fr', 'http://x/offers')).not.toBe(base);
		expect(key('prg_1', 'fr', 'http://x/offers?kind=rent')).toBe(base);
	});
});

describe('responses from the cache', () => {
	const get = (headers: Record<string, string> = {}, method = 'GET') =>
		new Request('http://localhost/villages', { method, headers });

	test('gzipped for clients that accept it, with its own strong ETag; plain otherwise', async () => {
		const cache = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
		const stored = await entry(cache);
		const gzipped = responseFromCache(get({ 'accept-encoding': 'gzip, br' }), stored);
		expect(gzipped.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString()).toBe(HTML);
		const plain = responseFromCache(get(), stored);
		expect(plain.headers.get('content-encoding')).toBeNull();
		expect(await plain.text()).toBe(HTML);
		for (const response of [gzipped, plain]) {
			expect(response.headers.get('etag')).toMatch(/^"[^"]+"$/);
			expect(response.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL);
			expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie, Accept-Language');
			expect(response.headers.get('content-security-policy')).toBe("script-src 'self' 'sha256-abc='");
		}
		expect(gzipped.headers.get('etag')).not.toBe(plain.headers.get('etag'));
	});

	test('If-None-Match with the current tag answers 304 without a body; another tag gets the page', async () => {
		const cache = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
		const stored = await entry(cache);
		const notModified = responseFromCache(get({ 'if-none-match': `W/${stored.etag}` }), stored);
		expect(notModified.status).toBe(304);
		expect(notModified.body).toBeNull();
		expect(notModified.headers.get('etag')).toBe(stored.etag);
		// A browser applies a 304's headers to its copy: the page's own policy, never the fallback's.
		expect(notModified.headers.get('content-security-policy')).toBe("script-src 'self' 'sha256-abc='");
		const changed = responseFromCache(get({ 'if-none-match': '"older"' }), stored);
		expect(changed.status).toBe(200);
		expect(matchesIfNoneMatch('"a", "b"', '"b"')).toBe(true);
		expect(matchesIfNoneMatch('*', '"b"')).toBe(true);
		expect(matchesIfNoneMatch(null, '"b"')).toBe(false);
	});

	test('the same bytes give the same ETag in every process (a strong validator of the content)', async () => {
		const a = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
		const b = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
		expect((await entry(a)).etag).toBe((await entry(b)).etag);
		expect((await entry(a, HTML + ' ')).etag).not.toBe((await entry(b)).etag);
	});
});

describe('the hook', () => {
	type Options = {
		routeId?: string;
		method?: string;
		cookies?: Record<string, string>;
		url?: string;
		programmeOfHost?: string | null;
	};
	let renders = 0;
	const event = ({
		routeId = '/(public)/villages',
		method = 'GET',
		cookies = {},
		url = 'http://x/villages',
		programmeOfHost = null
	}: Options) =>
		({
			request: new Request(url, { method, headers: { 'accept-encoding': 'gzip' } }),
			url: new URL(url),
			route: { id: routeId },
			isDataRequest: false,
			locals: { locale: 'fr', programmeOfHost },
			cookies: { get: (name: string) => cookies[name], serialize: () => '' }
		}) as unknown as RequestEvent;
	const resolve = async () => {
		renders += 1;
		return page(`${HTML}<!-- render ${renders} -->`);
	};
	const setup = (overrides: Partial<PublicCacheHandleDeps> = {}) => {
		const cache = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
		let writes = 0;
		const handle = createPublicCacheHandle({
			cache: () => cache,
			sessionCookies: ['soho.session_token'],
			publicProgrammeId: async (event) => event.locals.programmeOfHost ?? 'prg_1',
			isSetupOpen: async () => false,
			ignoredCookies: [],
			setCookiesOnHit: () => [],
			afterWrite: async () => {
				writes += 1;
				cache.invalidate();
			},
			...overrides
		});
		return { cache, handle, writes: () => writes };
	};

	test('an anonymous page is rendered once, then served from memory until a write request', async () => {
		renders = 0;
		const { handle, writes } = setup();
		const first = await handle({ event: event({}), resolve });
		const second = await handle({ event: event({}), resolve });
		expect(renders).toBe(1);
		expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
		await handle({
			event: event({ method: 'POST', routeId: '/(backoffice)/backoffice/offers/new' }),
			resolve
		});
		expect(writes()).toBe(1);
		await handle({ event: event({}), resolve });
		expect(renders).toBe(3);
	});

	test("two hosts' programmes never share a page, even at the same URL", async () => {
		renders = 0;
		const { handle } = setup();
		const a = await handle({ event: event({}), resolve });
		const b = await handle({ event: event({ programmeOfHost: 'prg_2' }), resolve });
		expect(renders).toBe(2);
		const text = async (response: Response) =>
			gunzipSync(new Uint8Array(await response.arrayBuffer())).toString();
		expect(await text(b)).toContain('<!-- render 2 -->');
		expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
		const again = await handle({ event: event({ programmeOfHost: 'prg_2' }), resolve });
		expect(renders).toBe(2);
		expect(await text(again)).toContain('<!-- render 2 -->');
	});

	test('concurrent misses of one page render it once', async () => {
		renders = 0;
		const { handle } = setup();
		const responses = await Promise.all(
			Array.from({ length: 10 }, () => handle({ event: event({}), resolve }))
		);
		expect(renders).toBe(1);
		expect(new Set(responses.map((response) => response.headers.get('etag'))).size).toBe(1);
	});

	test('signed-in visitors, unlisted routes, data requests and an open setup always render', async () => {
		renders = 0;
		const { handle } = setup();
		await handle({ event: event({ cookies: { 'soho.session_token': 't' } }), resolve });
		await handle({ event: event({ cookies: { 'soho.session_token': 't' } }), resolve });
		await handle({ event: event({ routeId: '/(public)/member' }), resolve });
		await handle({ event: event({ routeId: '/(public)/member' }), resolve });
		expect(renders).toBe(4);
		const data = { ...event({}), isDataRequest: true } as RequestEvent;
		await handle({ event: data, resolve });
		await handle({ event: data, resolve });
		expect(renders).toBe(6);
		const open = setup({ isSetupOpen: async () => true });
		await open.handle({ event: event({}), resolve });
		await open.handle({ event: event({}), resolve });
		expect(renders).toBe(8);
	});
});

/** The default programme prg_1 (gers); b.soho.test is prg_2's host; prg_3 (lot) has none: /p/lot. */
const ROUTING = {
	defaultProgrammeId: 'prg_1',
	programmeOfHost: new Map([['b.soho.test', 'prg_2']]),
	primaryHostOf: new Map([['prg_2', 'b.soho.test']]),
	programmeOfSlug: new Map([
		['gers', 'prg_1'],
		['bee', 'prg_2'],
		['lot', 'prg_3']
	]),
	slugOf: new Map([
		['prg_1', 'gers'],
		['prg_2', 'bee'],
		['prg_3', 'lot']
	])
};

describe('which programme a request is for', () => {
	test('a path prefix on a shared host names its programme; the routes see the path without it', () => {
		expect(requestProgrammeOf(ROUTING, 'soho.test', '/p/lot/villages')).toEqual({
			kind: 'prefix',
			programmeId: 'prg_3',
			prefix: '/p/lot',
			path: '/villages'
		});
		expect(requestProgrammeOf(ROUTING, 'soho.test', '/p/lot')).toMatchObject({ kind: 'prefix', path: '/' });
		expect(shownProgrammeOf(ROUTING, 'soho.test', '/p/lot/offers/off_1')).toBe('prg_3');
		// The default programme may be reached at its prefix too.
		expect(shownProgrammeOf(ROUTING, null, '/p/gers/faq')).toBe('prg_1');
	});

	test('without a prefix: the host decides, else the default programme', () => {
		expect(requestProgrammeOf(ROUTING, 'b.soho.test', '/villages')).toEqual({
			kind: 'host',
			programmeId: 'prg_2'
		});
		expect(requestProgrammeOf(ROUTING, 'soho.test', '/villages')).toEqual({
			kind: 'host',
			programmeId: null
		});
		expect(shownProgrammeOf(ROUTING, 'soho.test', '/villages')).toBe('prg_1');
		// Not a prefix: a page of its own, an upper-case or empty slug.
		expect(shownProgrammeOf(ROUTING, 'soho.test', '/privacy')).toBe('prg_1');
		expect(shownProgrammeOf(ROUTING, 'soho.test', '/p/Lot/villages')).toBe('prg_1');
		expect(shownProgrammeOf(ROUTING, 'soho.test', '/p//villages')).toBe('prg_1');
	});

	test("an unknown slug, or a prefix on a programme's own host, is for no programme", () => {
		expect(requestProgrammeOf(ROUTING, 'soho.test', '/p/cantal/villages')).toEqual({ kind: 'unknown' });
		expect(requestProgrammeOf(ROUTING, 'b.soho.test', '/p/lot/villages')).toEqual({ kind: 'unknown' });
		expect(shownProgrammeOf(ROUTING, 'b.soho.test', '/p/lot/villages')).toBeNull();
	});
});

describe('the fast path before SvelteKit', () => {
	/** A Node request and a response that records what is written. */
	const exchange = (url: string, headers: Record<string, string> = {}, method = 'GET') => {
		const written: { status?: number; headers?: Record<string, string>; body?: Uint8Array | undefined } = {};
		const req = { method, url, headers } as unknown as IncomingMessage;
		const res = {
			writeHead: (status: number, sent: Record<string, string>) =>
				Object.assign(written, { status, headers: sent }),
			end: (body?: Uint8Array) => Object.assign(written, { body })
		} as unknown as ServerResponse;
		return { req, res, written };
	};
	const served: string[] = [];
	const ready = async () => {
		const cache = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
		cache.fastPath = {
			sessionCookies: ['soho.session_token'],
			localeCookie: 'soho_lang',
			localeOf: ({ asked, cookie, acceptLanguage }) =>
				asked === 'en' || asked === 'fr'
					? asked
					: (cookie ?? (acceptLanguage?.startsWith('en') ? 'en' : 'fr')),
			securityHeaders: (pagePolicy) => ({
				'content-security-policy': `${pagePolicy}; img-src tiles`,
				'x-frame-options': 'DENY'
			}),
			onServed: ({ path, status }) => served.push(`${status} ${path}`)
		};
		cache.routing = { generation: cache.generation, value: ROUTING };
		const stored = await entry(cache);
		const key = (locale: string, path: string) =>
			publicCacheKey({ programmeId: 'prg_1', locale, url: new URL(path, 'http://soho.test') });
		cache.set(key('fr', '/villages?kind=partner'), stored, cache.generation);
		return { cache, stored, origin: { origin: 'http://soho.test' } };
	};

	test('a stored page is answered with its headers, the security headers and a log line', async () => {
		const { cache, stored, origin } = await ready();
		const { req, res, written } = exchange('/villages?kind=partner', { 'accept-encoding': 'gzip' });
		expect(cache.serveHit(req, res, origin)).toBe(true);
		expect(written.status).toBe(200);
		expect(written.headers?.['content-encoding']).toBe('gzip');
		expect(written.headers?.['content-security-policy']).toBe(
			"script-src 'self' 'sha256-abc='; img-src tiles"
		);
		expect(written.headers?.['x-frame-options']).toBe('DENY');
		expect(written.headers?.['x-request-id']).toBeTruthy();
		expect(written.body).toBe(stored.gzipped);
		expect(served.at(-1)).toBe('200 /villages');
		const revalidated = exchange('/villages?kind=partner', { 'if-none-match': stored.etag });
		expect(cache.serveHit(revalidated.req, revalidated.res, origin)).toBe(true);
		expect(revalidated.written.status).toBe(304);
		expect(revalidated.written.body).toBeUndefined();
	});

	test('SvelteKit answers whatever is not a plain hit', async () => {
		const { cache, origin } = await ready();
		const passes = (url: string, headers: Record<string, string> = {}, method = 'GET', at = origin) => {
			const { req, res, written } = exchange(url, headers, method);
			return !cache.serveHit(req, res, at) && written.status === undefined;
		};
		expect(passes('/villages?kind=partner', { cookie: 'soho.session_token=abc' })).toBe(true);
		expect(passes('/villages?kind=partner', {}, 'POST')).toBe(true);
		expect(passes('/villages?kind=other')).toBe(true);
		// Another language, or ?lang= still to be remembered in the cookie.
		expect(passes('/villages?kind=partner', { 'accept-language': 'en-GB' })).toBe(true);
		expect(passes('/villages?kind=partner&lang=fr')).toBe(true);
		expect(passes('/villages?kind=partner', {}, 'GET', { origin: 'http://other.test' })).toBe(true);
		expect(passes('/villages?kind=partner', {}, 'GET', { origin: null as unknown as string })).toBe(true);
		cache.invalidate();
		expect(passes('/villages?kind=partner')).toBe(true);
	});

	test("a page of the default programme is never answered on another programme's host", async () => {
		const { cache, stored, origin } = await ready();
		// ORIGIN fixes the URL: only the Host header tells the programmes apart.
		const onB = exchange('/villages?kind=partner', { host: 'b.soho.test' });
		expect(cache.serveHit(onB.req, onB.res, origin)).toBe(false);
		expect(onB.written.status).toBeUndefined();
		const onOther = exchange('/villages?kind=partner', { host: 'unknown.soho.test:8080' });
		expect(cache.serveHit(onOther.req, onOther.res, origin)).toBe(true);
		expect(onOther.written.body).toBe(stored.body);
		// B's own page, stored under its programme, is answered on B's host, whatever the case and port.
		const storedB = await entry(cache, HTML + '<!-- B -->');
		cache.set(
			publicCacheKey({
				programmeId: 'prg_2',
				locale: 'fr',
				url: new URL('/villages?kind=partner', 'http://soho.test')
			}),
			storedB,
			cache.generation
		);
		const onBAgain = exchange('/villages?kind=partner', { host: 'B.soho.test:443' });
		expect(cache.serveHit(onBAgain.req, onBAgain.res, origin)).toBe(true);
		expect(onBAgain.written.body).toBe(storedB.body);
	});

	test("a programme's page at its prefix is answered only at that prefix, never at another's or without it", async () => {
		const { cache, stored, origin } = await ready();
		const lotPage = await entry(cache, HTML + '<!-- Lot -->');
		cache.set(
			publicCacheKey({
				programmeId: 'prg_3',
				locale: 'fr',
				url: new URL('/p/lot/villages', 'http://soho.test')
			}),
			lotPage,
			cache.generation
		);
		const atLot = exchange('/p/lot/villages', { host: 'soho.test' });
		expect(cache.serveHit(atLot.req, atLot.res, origin)).toBe(true);
		expect(atLot.written.body).toBe(lotPage.body);
		for (const url of ['/villages', '/p/gers/villages', '/p/cantal/villages']) {
			const other = exchange(url, { host: 'soho.test' });
			expect(cache.serveHit(other.req, other.res, origin), url).toBe(false);
		}
		// On a programme's own host, a prefix is no address at all.
		const onB = exchange('/p/lot/villages', { host: 'b.soho.test' });
		expect(cache.serveHit(onB.req, onB.res, origin)).toBe(false);
		// The default programme's page is still answered without a prefix.
		const plain = exchange('/villages?kind=partner', { host: 'soho.test' });
		expect(cache.serveHit(plain.req, plain.res, origin)).toBe(true);
		expect(plain.written.body).toBe(stored.body);
	});

	test('behind a proxy, the host is read from HOST_HEADER as adapter-node reads it', async () => {
		const { cache, origin } = await ready();
		const before = process.env.HOST_HEADER;
		process.env.HOST_HEADER = 'X-Forwarded-Host';
		try {
			const proxied = exchange('/villages?kind=partner', {
				host: '127.0.0.1:3000',
				'x-forwarded-host': 'b.soho.test'
			});
			expect(cache.serveHit(proxied.req, proxied.res, origin)).toBe(false);
			const direct = exchange('/villages?kind=partner', {
				host: 'b.soho.test',
				'x-forwarded-host': 'a.soho.test'
			});
			expect(cache.serveHit(direct.req, direct.res, origin)).toBe(true);
		} finally {
			if (before === undefined) delete process.env.HOST_HEADER;
			else process.env.HOST_HEADER = before;
		}
	});
});
