import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSkipReason, useDemoServer } from './support.ts';

/**
 * Security headers on pages, back-office pages and endpoints, and a Content-Security-Policy
 * strict enough to matter that still lets the map (Leaflet, tiles from the configured server)
 * and the back office run in Chromium without a single violation.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e security headers skipped: ${skipReason}`);

/** A tile server of the operator's choosing, with a {s} subdomain (answered by the test). */
const TILE_URL = 'https://{s}.tiles.soho-test.example/{z}/{x}/{y}.png';
const PNG_1PX = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);

/** Violations reported by the page (event) and by Chromium (console), from the first script on. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
	const console: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy|Refused to/i.test(message.text())) console.push(message.text());
	});
	await page.addInitScript(() => {
		const seen: string[] = [];
		(window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
		document.addEventListener('securitypolicyviolation', (event) =>
			seen.push(`${event.violatedDirective} ${event.blockedURI}`)
		);
	});
	return async () => [
		...console,
		...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations ?? []))
	];
}

function expectSecurityHeaders(given: Headers | Record<string, string>, what: string) {
	const headers = given instanceof Headers ? given : new Headers(given);
	expect(headers.get('x-content-type-options'), what).toBe('nosniff');
	expect(headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
	expect(headers.get('cross-origin-opener-policy'), what).toBe('same-origin');
	expect(headers.get('permissions-policy'), what).toMatch(/camera=\(\)/);
	expect(headers.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
	// The test server's ORIGIN is http: no HSTS.
	expect(headers.get('strict-transport-security'), what).toBeNull();
}

describe.skipIf(skipReason)('security headers', () => {
	const demo = useDemoServer({ env: { SOHO_TILE_URL: TILE_URL } });

	test('a public page, a back-office page, an endpoint, a redirect and a 404 carry the headers', async () => {
		const page = await fetch(`${demo.url}/villages`);
		expect(page.status).toBe(200);
		expectSecurityHeaders(page.headers, '/villages');
		const pagePolicy = page.headers.get('content-security-policy') ?? '';
		// Hashes, not a nonce: a page served from the public cache (http/public-cache.ts) carries the
		// policy stored with its HTML, and that policy allows exactly the inline scripts of that HTML.
		expect(pagePolicy).toMatch(/script-src 'self' 'sha256-[^']+'/);
		expect(pagePolicy).not.toMatch(/nonce-/);
		const inlineScripts = [
			...(await page.text()).matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)
		];
		expect(inlineScripts.length).toBeGreaterThan(0);
		for (const [, content] of inlineScripts) {
			const hash = createHash('sha256').update(content).digest('base64');
			expect(pagePolicy).toContain(`'sha256-${hash}'`);
		}
		expect(pagePolicy).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(pagePolicy).toMatch(/img-src 'self' data: blob: https:\/\/\*\.tiles\.soho-test\.example/);
		expect(pagePolicy).toMatch(/connect-src 'self'/);

		const backoffice = await fetch(`${demo.url}/backoffice`, { redirect: 'manual' });
		expect(backoffice.status).toBe(303);
		expectSecurityHeaders(backoffice.headers, '/backoffice (redirect to sign-in)');

		for (const path of ['/healthz', '/sitemap.xml', '/api/v1/observatory/funnel', '/no-such-page']) {
			const response = await fetch(`${demo.url}${path}`, { redirect: 'manual' });
			expectSecurityHeaders(response.headers, path);
		}
		const endpoint = await fetch(`${demo.url}/healthz`);
		expect(endpoint.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
	});

	test('the map draws with Leaflet and tiles from the configured server, with no CSP violation', async () => {
		const context = await demo.browser.newContext({ locale: 'fr-FR' });
		demo.contexts.push(context);
		let tiles = 0;
		await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => {
			if (/tiles\.soho-test\.example/.test(route.request().url())) {
				tiles++;
				return route.fulfill({ status: 200, contentType: 'image/png', body: PNG_1PX });
			}
			return route.abort();
		});
		const page = await context.newPage();
		const violations = await watchCsp(page);
		const response = await page.goto(`${demo.url}/map`, { waitUntil: 'networkidle' });
		expectSecurityHeaders(response!.headers(), '/map');
		await page.locator('.commune-map.is-enhanced').waitFor({ timeout: 15_000 });
		await page.locator('.leaflet-tile-loaded').first().waitFor({ timeout: 15_000 });
		expect(tiles).toBeGreaterThan(0);
		expect(await violations()).toEqual([]);
	});

	test('the back office works with JavaScript under the policy: pages hydrate, no CSP violation', async () => {
		const page = await demo.signIn('advisor@demo.soho.example', { javaScript: true, offline: true });
		const violations = await watchCsp(page);
		for (const path of ['/backoffice', '/backoffice/cases', '/backoffice/observatory']) {
			const response = await page.goto(`${demo.url}${path}`, { waitUntil: 'networkidle' });
			expect(response!.status(), path).toBe(200);
			expectSecurityHeaders(response!.headers(), path);
		}
		// Client-side navigation works: the router (a script allowed by its hash) ran.
		await page.goto(`${demo.url}/backoffice`, { waitUntil: 'networkidle' });
		const navigations: string[] = [];
		page.on('request', (request) => {
			if (request.resourceType() === 'document') navigations.push(request.url());
		});
		await page.locator('a[href="/backoffice/cases"]').first().click();
		await page.waitForURL((url) => url.pathname === '/backoffice/cases');
		expect(navigations, 'a client-side navigation loads no new document').toEqual([]);
		expect(await violations()).toEqual([]);
	});
});
