#!/usr/bin/env node
// Serves the built app (build/handler.js) with a plain Node HTTP server: one clear line
// when the port is taken, a start-up banner, and a graceful shutdown on SIGINT/SIGTERM.
import http from 'node:http';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../build/handler.js', import.meta.url))) {
	console.error(
		'soho: the app is not built. Run `npm run build` (or `npm start`, which builds when needed).'
	);
	process.exit(1);
}

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

// Without ORIGIN, adapter-node assumes https and would refuse every form POST made over
// plain http as cross-site. This server speaks plain http, so it tells the handler so on
// each request (overwriting anything a client sends); the origin then follows the Host
// header (localhost, 127.0.0.1, a LAN address, each programme's host name...). Behind a TLS
// proxy, set ORIGIN for one host name, or PROTOCOL_HEADER and HOST_HEADER when programmes have
// host names of their own (README: "Several programmes, one host name each").
const PROTOCOL_HEADER = 'x-soho-served-protocol';
const isOriginFromRequest = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (isOriginFromRequest) process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;

// adapter-node refuses request bodies over BODY_SIZE_LIMIT (512K by default); photo uploads
// go up to 8 MB (files/images.ts), so allow 10M unless the operator chose a limit.
process.env.BODY_SIZE_LIMIT ||= '10M';

// Importing the handler starts soho: config, database, migrations, demo seed.
const { handler } = await import('../build/handler.js');
const app = globalThis[Symbol.for('soho.app')];

// Public pages already rendered for anonymous visitors are answered from memory before the
// handler (src/lib/server/http/public-cache.ts); anything else, or any doubt, goes to SvelteKit.
// The origin is the one SvelteKit would see: ORIGIN, or http and the Host header. The programme
// is the one of the request's path prefix (/p/<slug>) or host (HOST_HEADER or Host), as the hooks
// resolve it: a page stored for one programme is never answered for another.
// Behind a proxy (PROTOCOL_HEADER, HOST_HEADER), read as adapter-node reads them; with PORT_HEADER,
// or any doubt, null: SvelteKit answers.
const protocolHeader = process.env.PROTOCOL_HEADER?.toLowerCase();
const hostHeader = process.env.HOST_HEADER?.toLowerCase();
const originOf = (req) => {
	if (process.env.ORIGIN) return process.env.ORIGIN;
	if (process.env.PORT_HEADER) return null;
	const protocol = (protocolHeader && req.headers[protocolHeader]) || 'https';
	const host = (hostHeader && req.headers[hostHeader]) || req.headers.host;
	if (typeof protocol !== 'string' || typeof host !== 'string' || /[:/]/.test(protocol)) return null;
	return `${protocol}://${host}`;
};

const server = http.createServer((req, res) => {
	if (isOriginFromRequest) req.headers[PROTOCOL_HEADER] = 'http';
	if (app?.publicCache?.pages.serveHit(req, res, { origin: originOf(req) })) return;
	handler(req, res);
});
server.on('error', (error) => {
	if (error.code === 'EADDRINUSE') {
		console.error(
			`soho: port ${port} is already in use. Stop the other program or set PORT to a free port (PORT=3001 npm start).`
		);
	} else if (error.code === 'EACCES') {
		console.error(`soho: not allowed to listen on port ${port}. Choose a port above 1024 with PORT.`);
	} else {
		console.error(`soho: cannot listen on ${host}:${port}: ${error.message}`);
	}
	process.emit('sveltekit:shutdown', 'LISTEN_ERROR');
	setTimeout(() => process.exit(1), 200);
});

server.listen(port, host, () => {
	const url = process.env.ORIGIN || `http://localhost:${port}`;
	const startup = app?.startup;
	const lines = ['', `soho is running at ${url}`, `  database: ${app?.database?.description ?? 'unknown'}`];
	const demo = startup?.demo;
	if (demo) {
		lines.push(
			`  demo programme "${demo.programme}" (synthetic data) — accounts, password "${demo.password}":`
		);
		for (const account of demo.accounts) lines.push(`    ${account.role.padEnd(10)} ${account.email}`);
	}
	if (startup?.setupCode) {
		// Whoever holds this code can take the instance: it is printed here only, never logged.
		lines.push(
			'',
			'  No administrator yet. Set up your programme in the browser:',
			`    ${url}/setup`,
			`    setup code: ${startup.setupCode}`,
			'  (a new code is printed at each start until the setup is done;',
			'   or from the command line: soho programme create … then soho user create … --role admin)'
		);
	}
	if (startup?.notes?.length) {
		lines.push('', '  To do:');
		for (const note of startup.notes) lines.push(`    - ${note}`);
	}
	if (startup?.logFile) lines.push('', `  logs: ${startup.logFile} (LOG_LEVEL=debug shows them here)`);
	lines.push('  press Ctrl+C to stop', '');
	console.log(lines.join('\n'));
});

let isStopping = false;
function shutdown(signal) {
	if (isStopping) return;
	isStopping = true;
	console.log(`\nsoho: ${signal} received, finishing requests in progress...`);
	server.close(() => {
		process.emit('sveltekit:shutdown', signal);
		// The shutdown listener closes the database; give it a moment, then leave.
		setTimeout(() => process.exit(0), 1500).unref();
	});
	server.closeIdleConnections();
	setTimeout(() => server.closeAllConnections(), 10_000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
