import {
	Agent,
	createServer,
	request as httpRequest,
	type IncomingMessage,
	type ServerResponse
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny reverse proxy that sends each request to the next of its upstreams in turn, as Caddy's
 * or nginx's round-robin does in deploy/ (the two-process test and `npm run bench processes`
 * use it; production uses the real proxy). It streams bodies both ways, keeps connections to the
 * upstreams alive (a proxy opening a connection per request would cost more CPU than it
 * measures) and keeps the client's Host header, so that the app sees the proxy's origin (its
 * CSRF check compares it with the form's Origin). It adds X-Forwarded-For for the record but the
 * app does not read it unless ADDRESS_HEADER is set.
 */
export type RoundRobinProxy = {
	url: string;
	/** How many requests each upstream received, in the order given. */
	counts: number[];
	/** Which upstream (index) answered each request so far, in order. */
	served: number[];
	close: () => Promise<void>;
};

/** Tries of one GET or HEAD before 502 (each on the next upstream). */
const MAX_ATTEMPTS = 3;

export async function startRoundRobinProxy(
	upstreams: readonly string[],
	{ host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {}
): Promise<RoundRobinProxy> {
	if (upstreams.length === 0) throw new Error('a proxy needs at least one upstream');
	const targets = upstreams.map((upstream) => new URL(upstream));
	const agent = new Agent({ keepAlive: true, maxSockets: 256 });
	const counts = targets.map(() => 0);
	const served: number[] = [];
	let next = 0;
	const handle = (request: IncomingMessage, response: ServerResponse) => {
		const first = next;
		next = (next + 1) % targets.length;
		const position = served.push(first) - 1;
		const headers = { ...request.headers };
		const forwardedFor = request.socket.remoteAddress ?? '';
		headers['x-forwarded-for'] = headers['x-forwarded-for']
			? `${headers['x-forwarded-for']}, ${forwardedFor}`
			: forwardedFor;
		// A GET or HEAD carries no body, so it can be sent again: like Caddy's lb_try_duration
		// (deploy/Caddyfile), a request that could not reach a node (refused, or a kept-alive
		// connection the node closed as it was reused) is tried on the next one, before any byte of
		// an answer was sent. Other methods get 502 at once.
		const isReplayable = request.method === 'GET' || request.method === 'HEAD';
		const send = (index: number, attempt: number) => {
			counts[index]++;
			served[position] = index;
			const target = targets[index];
			const outgoing = httpRequest(
				{
					agent,
					hostname: target.hostname,
					port: target.port,
					method: request.method,
					path: request.url,
					headers
				},
				(upstream) => {
					response.writeHead(upstream.statusCode ?? 502, upstream.rawHeaders);
					upstream.pipe(response);
				}
			);
			outgoing.on('error', () => {
				if (isReplayable && !response.headersSent && attempt < MAX_ATTEMPTS) {
					send((index + 1) % targets.length, attempt + 1);
					return;
				}
				if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
				response.end('bad gateway');
			});
			if (isReplayable) outgoing.end();
			else request.pipe(outgoing);
		};
		send(first, 1);
	};
	const server = createServer({ keepAlive: true }, handle);
	await new Promise<void>((resolve) => server.listen(port, host, resolve));
	const address = server.address() as AddressInfo;
	return {
		url: `http://${host}:${address.port}`,
		counts,
		served,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			agent.destroy();
		}
	};
}
