import { gunzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { acceptsGzip, compressResponse } from './compression.ts';

const page =
	'<!doctype html><html><body>' + '<p>Simorre, Samatan, Lectoure</p>'.repeat(200) + '</body></html>';
const request = (acceptEncoding?: string, method = 'GET') =>
	new Request('http://localhost/villages', {
		method,
		headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}
	});
const html = (body: string | null = page, init: ResponseInit = {}) =>
	new Response(body, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, ...init });

test('gzip is accepted unless refused with q=0', () => {
	expect(acceptsGzip('gzip, deflate, br')).toBe(true);
	expect(acceptsGzip('br;q=1.0, gzip;q=0.8')).toBe(true);
	expect(acceptsGzip('*')).toBe(true);
	expect(acceptsGzip('gzip;q=0')).toBe(false);
	expect(acceptsGzip('br, deflate')).toBe(false);
	expect(acceptsGzip(null)).toBe(false);
});

test('a rendered page is gzipped for browsers that accept it, and reads back identical', async () => {
	const response = compressResponse(
		request('gzip, br'),
		html(page, { headers: { 'content-type': 'text/html', etag: '"1m00fa6"' } })
	);
	expect(response.headers.get('content-encoding')).toBe('gzip');
	expect(response.headers.get('etag')).toBe('W/"1m00fa6"');
	expect(response.headers.get('vary')).toContain('Accept-Encoding');
	const bytes = Buffer.from(await response.arrayBuffer());
	expect(bytes.length).toBeLessThan(page.length / 5);
	expect(gunzipSync(bytes).toString('utf8')).toBe(page);
});

test('cookies and status survive compression', async () => {
	const original = html(page, { status: 404 });
	original.headers.append('set-cookie', 'a=1; Path=/');
	original.headers.append('set-cookie', 'b=2; Path=/');
	const response = compressResponse(request('gzip'), original);
	expect(response.status).toBe(404);
	expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
});

test('left alone: no gzip asked, HEAD, already encoded, images, tiny bodies, redirects', async () => {
	expect(compressResponse(request(), html()).headers.get('content-encoding')).toBeNull();
	expect(compressResponse(request('gzip', 'HEAD'), html()).headers.get('content-encoding')).toBeNull();
	const encoded = html();
	encoded.headers.set('content-encoding', 'br');
	expect(compressResponse(request('gzip'), encoded).headers.get('content-encoding')).toBe('br');
	const image = new Response(new Uint8Array(5000), { headers: { 'content-type': 'image/webp' } });
	expect(compressResponse(request('gzip'), image).headers.get('content-encoding')).toBeNull();
	const tiny = html('<p>ok</p>', { headers: { 'content-type': 'text/html', 'content-length': '9' } });
	expect(compressResponse(request('gzip'), tiny).headers.get('content-encoding')).toBeNull();
	const redirect = new Response(null, { status: 303, headers: { location: '/' } });
	expect(compressResponse(request('gzip'), redirect)).toBe(redirect);
});
