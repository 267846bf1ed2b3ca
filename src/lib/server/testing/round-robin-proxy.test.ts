import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.ts';

/**
 * The bench's and the two-process test's proxy: round-robin, and like Caddy's lb_try_duration
 * (deploy/Caddyfile), a GET that cannot reach a node is tried on the next one; a POST is not
 * sent twice (502).
 */
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
	for (const close of closers.splice(0)) await close();
});

async function upstream(name: string): Promise<string> {
	const server: Server = createServer((request, response) => {
		response.writeHead(200, { 'content-type': 'text/plain' });
		response.end(`${name} ${request.method} ${request.url}`);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	closers.push(() => new Promise((resolve) => server.close(() => resolve())));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An address where nothing listens (a node that is down). */
async function deadUpstream(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return url;
}

async function proxyOf(upstreams: string[]): Promise<RoundRobinProxy> {
	const proxy = await startRoundRobinProxy(upstreams);
	closers.unshift(() => proxy.close());
	return proxy;
}

test('requests go to each upstream in turn', async () => {
	const proxy = await proxyOf([await upstream('a'), await upstream('b')]);
	const answers = [];
	for (let i = 0; i < 4; i++) answers.push(await (await fetch(`${proxy.url}/x${i}`)).text());
	expect(answers).toEqual(['a GET /x0', 'b GET /x1', 'a GET /x2', 'b GET /x3']);
	expect(proxy.counts).toEqual([2, 2]);
	expect(proxy.served).toEqual([0, 1, 0, 1]);
});

test('a GET that cannot reach a node is answered by the next one; a POST gets 502', async () => {
	const proxy = await proxyOf([await deadUpstream(), await upstream('b')]);
	const get = await fetch(`${proxy.url}/page`);
	expect(get.status).toBe(200);
	expect(await get.text()).toBe('b GET /page');
	expect(proxy.served).toEqual([1]);
	// The next request starts on the live node (round-robin), so a POST must meet the dead one.
	expect(await (await fetch(`${proxy.url}/again`)).text()).toBe('b GET /again');
	const post = await fetch(`${proxy.url}/form`, { method: 'POST', body: 'x=1' });
	expect(post.status).toBe(502);
});

test('with every node down, a GET gets 502 after its tries', async () => {
	const proxy = await proxyOf([await deadUpstream(), await deadUpstream()]);
	expect((await fetch(`${proxy.url}/page`)).status).toBe(502);
});
