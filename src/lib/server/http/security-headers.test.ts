import { describe, expect, test } from 'vitest';
import {
	addCspSources,
	FALLBACK_CSP,
	securityHeadersFor,
	tileSourceOf,
	withSecurityHeaders
} from './security-headers.ts';

const OSM = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const PAGE_POLICY =
	"default-src 'self'; script-src 'self' 'sha256-abc123='; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'";

describe('security headers', () => {
	test("the map's tile server is added to the page's img-src, keeping SvelteKit's script hashes", () => {
		const headers = securityHeadersFor(
			{ pagePolicy: PAGE_POLICY },
			{ origin: 'http://localhost:3000', tileUrl: OSM }
		);
		const csp = headers['content-security-policy'];
		expect(csp).toContain("script-src 'self' 'sha256-abc123='");
		expect(csp).toContain("img-src 'self' data: blob: https://tile.openstreetmap.org");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
	});

	test('tile URL templates become CSP sources: {s} subdomains as a wildcard, none for no tiles', () => {
		expect(tileSourceOf(OSM)).toBe('https://tile.openstreetmap.org');
		expect(tileSourceOf('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toBe('https://*.tile.example.org');
		expect(tileSourceOf('https://tiles-{s}.example.org/{z}/{x}/{y}.png')).toBe('https:');
		expect(tileSourceOf('http://localhost:8080/{z}/{x}/{y}.png')).toBe('http://localhost:8080');
		expect(tileSourceOf('')).toBeNull();
		const headers = securityHeadersFor({ pagePolicy: PAGE_POLICY }, { origin: 'http://x', tileUrl: '' });
		expect(headers['content-security-policy']).toContain("img-src 'self' data: blob:;");
	});

	test('a directive is created when missing and a source is never repeated', () => {
		expect(addCspSources("default-src 'self'", 'img-src', ['https://a'])).toBe(
			"default-src 'self'; img-src https://a"
		);
		expect(addCspSources("img-src 'self' https://a;", 'img-src', ['https://a'])).toBe(
			"img-src 'self' https://a"
		);
	});

	test('endpoints get a policy that loads nothing; nosniff, referrer, permissions and opener policies always', () => {
		const headers = securityHeadersFor(
			{ pagePolicy: null },
			{ origin: 'http://localhost:3000', tileUrl: OSM }
		);
		expect(headers).toMatchObject({
			'content-security-policy': FALLBACK_CSP,
			'x-content-type-options': 'nosniff',
			'referrer-policy': 'strict-origin-when-cross-origin',
			'cross-origin-opener-policy': 'same-origin'
		});
		expect(headers['permissions-policy']).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
		expect(FALLBACK_CSP).toContain("frame-ancestors 'none'");
	});

	test('HSTS only when the public origin is https', () => {
		const plain = securityHeadersFor({ pagePolicy: null }, { origin: 'http://localhost:3000', tileUrl: '' });
		expect(plain['strict-transport-security']).toBeUndefined();
		const secure = securityHeadersFor({ pagePolicy: null }, { origin: 'https://soho.example', tileUrl: '' });
		expect(secure['strict-transport-security']).toMatch(/^max-age=\d{8}/);
	});

	test('a response with immutable headers (Response.redirect) still leaves with them', () => {
		const response = withSecurityHeaders(Response.redirect('http://localhost/x', 303), {
			origin: 'https://soho.example',
			tileUrl: ''
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('http://localhost/x');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('strict-transport-security')).not.toBeNull();
	});
});
