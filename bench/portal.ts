/**
 * Portal speed: the built server under 50 concurrent connections, for the home page, a
 * village page and an offer search, each compared with the same HTML served as a static
 * file by the same server (the ceiling: no rendering, no database). Also the JavaScript
 * each public page ships, compressed.
 *
 *   npm run bench -- portal        (needs `npm run build` first)
 *   BENCH_SECONDS=5 npm run bench -- portal
 */
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { startServer } from '../tests/e2e/support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = 50;
const STATIC_DIR = 'build/client/__bench';

type Figures = { rps: number; p50: number; p95: number; errors: number };

async function load(url: string): Promise<Figures> {
	const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
	const p95 = (result.latency as unknown as Record<string, number>).p97_5 ?? result.latency.p99;
	return {
		rps: result.requests.average,
		p50: result.latency.p50,
		// autocannon reports p97.5 and p99 but not p95: interpolate between p90 and p97.5.
		p95: result.latency.p90 + ((p95 - result.latency.p90) * (95 - 90)) / (97.5 - 90),
		errors: result.errors + result.non2xx
	};
}

function line(name: string, dynamic: Figures, staticFile: Figures) {
	const f = (x: Figures) =>
		`${x.rps.toFixed(0).padStart(6)} req/s  p50 ${x.p50.toFixed(0).padStart(4)} ms  p95 ${x.p95.toFixed(0).padStart(4)} ms${x.errors ? `  (${x.errors} errors)` : ''}`;
	console.log(`${name.padEnd(22)} rendered ${f(dynamic)}`);
	console.log(
		`${''.padEnd(22)} static   ${f(staticFile)}   → rendered/static throughput ${(dynamic.rps / staticFile.rps).toFixed(2)}`
	);
}

/**
 * The gzipped JavaScript a page makes the browser load on first visit: the entry scripts,
 * the route nodes being hydrated (`node_ids`) and everything they import statically.
 */
function javascriptShipped(html: string): { files: number; gzipBytes: number } {
	const root = 'build/client';
	const queue: string[] = [];
	for (const m of html.matchAll(/import\("\.?\/?(_app\/[^"]+\.js)"\)/g)) queue.push(join(root, m[1]));
	const nodeIds =
		/node_ids:\s*\[([\d,\s]+)\]/
			.exec(html)?.[1]
			.split(',')
			.map((n) => n.trim()) ?? [];
	const nodesDir = join(root, '_app/immutable/nodes');
	if (existsSync(nodesDir)) {
		for (const name of readdirSync(nodesDir)) {
			if (nodeIds.includes(name.split('.')[0])) queue.push(join(nodesDir, name));
		}
	}
	const seen = new Set<string>();
	let gzipBytes = 0;
	while (queue.length > 0) {
		const path = queue.pop()!;
		if (seen.has(path) || !existsSync(path)) continue;
		seen.add(path);
		const code = readFileSync(path);
		gzipBytes += gzipSync(code).byteLength;
		for (const m of code.toString('utf8').matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
			queue.push(join(dirname(path), m[1]));
		}
	}
	return { files: seen.size, gzipBytes };
}

export async function benchPortal() {
	if (!existsSync('build/handler.js')) {
		console.log('portal: skipped (run `npm run build` first)');
		return;
	}
	// adapter-node lists its static files at start-up: capture the pages first, write them
	// as static files, then restart the same server on the same data.
	const dataDir = mkdtempSync(join(tmpdir(), 'soho-bench-'));
	const capture = await startServer({ LOG_LEVEL: 'silent', SOHO_DATA_DIR: dataDir });
	const pages: Array<{ name: string; path: string; file: string; html: string }> = [];
	try {
		const villages = await fetch(`${capture.url}/villages`).then((r) => r.text());
		const villagePath = /href="(\/villages\/[a-z0-9-]+)"/.exec(villages)?.[1] ?? null;
		const wanted: Array<[string, string | null]> = [
			['home', '/'],
			['village page', villagePath],
			['offer search', '/offers?kind=house_rent&maxPrice=900']
		];
		for (const [name, path] of wanted) {
			if (!path) {
				console.log(`${name}: skipped (no such page yet)`);
				continue;
			}
			const response = await fetch(capture.url + path);
			if (!response.ok) {
				console.log(`${name}: skipped (${path} answers ${response.status})`);
				continue;
			}
			pages.push({ name, path, file: `${name.replace(/\W+/g, '-')}.html`, html: await response.text() });
		}
	} finally {
		await capture.stop();
	}
	rmSync(STATIC_DIR, { recursive: true, force: true });
	mkdirSync(STATIC_DIR, { recursive: true });
	for (const page of pages) writeFileSync(join(STATIC_DIR, page.file), page.html);

	const server = await startServer({ LOG_LEVEL: 'silent', SOHO_DATA_DIR: dataDir });
	try {
		console.log(`portal under ${CONNECTIONS} connections, ${SECONDS} s per run (demo data, PGlite)`);
		for (const page of pages) {
			const dynamic = await load(server.url + page.path);
			const staticFile = await load(`${server.url}/__bench/${page.file}`);
			line(page.name, dynamic, staticFile);
		}
		console.log('\nJavaScript shipped by public pages');
		for (const page of pages) {
			const js = javascriptShipped(page.html);
			console.log(
				`${page.name.padEnd(22)} ${js.files} scripts, ${(js.gzipBytes / 1024).toFixed(1)} KB gzipped (budget 100 KB: ${js.gzipBytes <= 100 * 1024 ? 'within' : 'OVER'})`
			);
		}
	} finally {
		rmSync(STATIC_DIR, { recursive: true, force: true });
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
