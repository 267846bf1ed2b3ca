import { describe, expect, test } from 'vitest';
import {
	addressUrl,
	keepingPrefixOf,
	prefixLocation,
	prefixPageLinks,
	programmePathPrefix,
	splitProgrammePath,
	withPrefix
} from './programme-address.ts';

describe('a programme prefix in a path', () => {
	test('is split from the path the routes see', () => {
		expect(splitProgrammePath('/p/lot/villages/cahors')).toEqual({
			slug: 'lot',
			prefix: '/p/lot',
			path: '/villages/cahors'
		});
		expect(splitProgrammePath('/p/lot')).toEqual({ slug: 'lot', prefix: '/p/lot', path: '/' });
		expect(splitProgrammePath('/p/haut-lot/')).toEqual({
			slug: 'haut-lot',
			prefix: '/p/haut-lot',
			path: '/'
		});
		expect(programmePathPrefix('lot')).toBe('/p/lot');
	});

	test('only a programme slug makes a prefix', () => {
		for (const path of [
			'/villages',
			'/p',
			'/p/',
			'/p//x',
			'/p/Lot/x',
			'/p/lot_2/x',
			'/p/-lot/x',
			'/privacy',
			'/px/lot'
		])
			expect(splitProgrammePath(path), path).toBeNull();
		expect(splitProgrammePath(`/p/${'a'.repeat(61)}`)).toBeNull();
	});
});

describe('links and redirects of a page served under a prefix', () => {
	test('site-relative paths get the prefix; the home page is the prefix itself', () => {
		expect(withPrefix('/p/lot', '/villages?kind=partner#list')).toBe('/p/lot/villages?kind=partner#list');
		expect(withPrefix('/p/lot', '/')).toBe('/p/lot');
		expect(withPrefix('/p/lot', '/?lang=en')).toBe('/p/lot?lang=en');
		expect(prefixLocation('/apply/thanks', '/p/lot')).toBe('/p/lot/apply/thanks');
	});

	test('absolute, protocol-relative, relative, already prefixed links and assets stay as they are', () => {
		for (const path of [
			'https://example.org/x',
			'//cdn.example/x',
			'/\\evil.example',
			'?/cancel',
			'#main',
			'mailto:a@b.c',
			'/p/lot/villages',
			'/p/gers',
			'/_app/immutable/entry/start.js',
			'/favicon.svg',
			'/favicon.svg?v=2'
		])
			expect(withPrefix('/p/lot', path), path).toBe(path);
	});

	test('every file of static/ is served before the routes, so is never prefixed', () => {
		// Vite lists the folder (nothing is imported): lib/domain does no I/O of its own.
		const files = Object.keys(import.meta.glob('/static/**/*')).map((path) => path.slice('/static/'.length));
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) expect(withPrefix('/p/lot', `/${file}`), file).toBe(`/${file}`);
	});

	test('a page rewrites its links, forms and outline references, not its text or data', () => {
		const html = [
			'<link href="/_app/immutable/assets/0.css" rel="stylesheet">',
			'<a href="/villages" class="x">Villages</a>',
			'<a class="x" href="/">Home</a>',
			'<form method="get" action="/offers"><button formaction="/search">Go</button></form>',
			'<form method="post" action="?/cancel"></form>',
			'<svg><use href="/map/outlines.svg?v=1&amp;p=lot#c46042"></use></svg>',
			'<a href="https://example.org/villages">out</a>',
			'<p>Write href=&quot;/villages&quot; in Markdown</p>',
			'<script>const data = {"href":"/villages"}</script>',
			'<a href="/p/lot?lang=en">en</a>'
		].join('\n');
		expect(prefixPageLinks(html, '/p/lot')).toBe(
			[
				'<link href="/_app/immutable/assets/0.css" rel="stylesheet">',
				'<a href="/p/lot/villages" class="x">Villages</a>',
				'<a class="x" href="/p/lot">Home</a>',
				'<form method="get" action="/p/lot/offers"><button formaction="/p/lot/search">Go</button></form>',
				'<form method="post" action="?/cancel"></form>',
				'<svg><use href="/p/lot/map/outlines.svg?v=1&amp;p=lot#c46042"></use></svg>',
				'<a href="https://example.org/villages">out</a>',
				'<p>Write href=&quot;/villages&quot; in Markdown</p>',
				'<script>const data = {"href":"/villages"}</script>',
				'<a href="/p/lot?lang=en">en</a>'
			].join('\n')
		);
	});
});

describe('a link followed from a page in the browser', () => {
	test("keeps the page's prefix, and only a page under a prefix adds one", () => {
		expect(keepingPrefixOf('/p/lot/map', '/villages/cahors')).toBe('/p/lot/villages/cahors');
		expect(keepingPrefixOf('/p/lot', '/?lang=en')).toBe('/p/lot?lang=en');
		expect(keepingPrefixOf('/p/lot/map', '/p/cantal/villages')).toBe('/p/cantal/villages');
		expect(keepingPrefixOf('/p/lot/map', '/_app/immutable/x.js')).toBe('/_app/immutable/x.js');
		expect(keepingPrefixOf('/p/lot/map', 'https://example.org/villages')).toBe(
			'https://example.org/villages'
		);
		expect(keepingPrefixOf('/map', '/villages/auch')).toBe('/villages/auch');
	});
});

describe("a programme's absolute URLs", () => {
	test('join a path to the address, the prefixed home page without a trailing slash', () => {
		expect(addressUrl('https://soho.example/p/lot', '/villages')).toBe('https://soho.example/p/lot/villages');
		expect(addressUrl('https://soho.example/p/lot', '/')).toBe('https://soho.example/p/lot');
		expect(addressUrl('https://lot.example', '/')).toBe('https://lot.example/');
		expect(addressUrl('https://lot.example/', '/offers/off_1')).toBe('https://lot.example/offers/off_1');
		expect(addressUrl('https://lot.example', 'sitemap.xml')).toBe('https://lot.example/sitemap.xml');
	});
});
