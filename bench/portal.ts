/**
 * Portal speed: the built server (`scripts/serve.js`, as `npm start` runs it) with the demo, on
 * PGlite (the `npm start` default) and, when BENCH_DATABASE_URL is set, on PostgreSQL (a fresh
 * `soho_bench` database the demo seed fills; the tests' database is untouched). Under load:
 *
 *   home page, a village page, an offer search     50 connections
 *   /villages                                      20 connections
 *
 * each compared with the same HTML served as a static file by the same server in the same run
 * (the ceiling: no rendering, no database). Also the JavaScript every public page makes the
 * browser load, gzipped (the worst page is the row).
 *
 *   npm run bench -- portal                  (builds the app first when build/ is missing)
 *   BENCH_SECONDS=5 npm run bench -- portal  (seconds per run, 10 by default)
 */
import { execFileSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { startServer, type RunningServer } from '../tests/e2e/support.ts';
import { benchPostgresUrl, scratchPostgresDatabase, type DatabaseName } from './databases.ts';
import { skippedRow, verdictOf, whole, type ResultRow } from './summary.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const STATIC_DIR = 'build/client/__bench';
const PORTAL_TARGET = '≥ 0.5× static req/s, p95 ≤ max(50 ms, 2× static p95), no errors';
const JAVASCRIPT_BUDGET_KB = 100;
const JAVASCRIPT_TARGET = `≤ ${JAVASCRIPT_BUDGET_KB} KB gzipped`;
/** The offer search: house rentals up to 900 € (the `kind` and `max` filters of /offers). */
const OFFER_SEARCH = '/offers?kind=house_rent&max=900';
/** Public pages without a parameter; a page per detail route is found by following their links. */
const PUBLIC_PAGES = [
	'/',
	'/apply',
	'/directory',
	'/events',
	'/faq',
	'/legal',
	'/map',
	'/offers',
	'/privacy',
	'/search',
	'/villages',
	'/workspaces'
];
const DETAIL_ROUTES = ['directory', 'events', 'offers', 'villages', 'workspaces'];

type LoadedPage = { row: string; path: string; connections: number };

type Figures = {
	rps: number;
	p50: number;
	p95: number;
	requests: number;
	/** Network errors and timeouts, and answers other than 2xx/3xx. */
	errors: number;
	errorDetail: string;
};

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = (p / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	const high = Math.ceil(rank);
	return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** `connections` clients requesting `url` for SECONDS; latencies of every answer, exact percentiles. */
async function hammer(url: string, connections: number): Promise<Figures> {
	const latencies: number[] = [];
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		// A request unanswered after 30 s counts as a timeout (autocannon's default is 10 s).
		const instance = autocannon({ url, connections, duration: SECONDS, timeout: 30 }, (error, result) =>
			error ? reject(error) : resolve(result)
		);
		instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
	});
	latencies.sort((a, b) => a - b);
	const refused = Object.entries(result.statusCodeStats ?? {})
		.filter(([status]) => Number(status) < 200 || Number(status) >= 400)
		.map(([status, stats]) => [status, stats.count ?? 0] as const);
	const refusedCount = refused.reduce((sum, [, n]) => sum + n, 0);
	const detail = [
		result.errors - result.timeouts > 0 ? `${result.errors - result.timeouts} network errors` : '',
		result.timeouts > 0 ? `${result.timeouts} timeouts` : '',
		...refused.map(([status, n]) => `${n} × ${status}`)
	].filter(Boolean);
	return {
		rps: result.requests.total / (result.duration || SECONDS),
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		requests: result.requests.total,
		errors: result.errors + refusedCount,
		errorDetail: detail.join(', ')
	};
}

const describe = (x: Figures) =>
	`${whole(x.rps).padStart(6)} req/s  p50 ${x.p50.toFixed(0).padStart(5)} ms  p95 ${x.p95.toFixed(0).padStart(5)} ms${x.errors ? `  (${x.errorDetail})` : ''}`;

function portalRow(page: LoadedPage, database: DatabaseName, rendered: Figures, ceiling: Figures): ResultRow {
	const ratio = rendered.rps / ceiling.rps;
	const p95Limit = Math.max(50, 2 * ceiling.p95);
	const isMet = ratio >= 0.5 && rendered.p95 <= p95Limit && rendered.errors === 0 && ceiling.errors === 0;
	const errors = [
		rendered.errors ? `${rendered.errors} errors (${rendered.errorDetail})` : '',
		ceiling.errors ? `static: ${ceiling.errors} errors (${ceiling.errorDetail})` : ''
	].filter(Boolean);
	return {
		row: `${page.row} (${page.connections} conns)`,
		database,
		measured:
			`${whole(rendered.rps)} req/s, p50 ${whole(rendered.p50)} ms, p95 ${whole(rendered.p95)} ms; ` +
			`static ${whole(ceiling.rps)} req/s, p95 ${whole(ceiling.p95)} ms → **${ratio.toFixed(ratio < 0.1 ? 3 : 2)}×**, p95 limit ${whole(p95Limit)} ms` +
			(errors.length ? `; ${errors.join('; ')}` : ''),
		target: PORTAL_TARGET,
		verdict: verdictOf(isMet)
	};
}

/**
 * The gzipped JavaScript a page makes the browser load on first visit: every script of the app
 * the HTML names (entry points, module preloads), the route nodes being hydrated (`node_ids`) and
 * everything they import statically. Modules loaded later by a dynamic import are not counted.
 */
export function javascriptShipped(html: string): { files: number; gzipBytes: number } {
	const root = 'build/client';
	const queue: string[] = [];
	for (const m of html.matchAll(/(_app\/immutable\/[^"'\s)]+\.js)/g)) queue.push(join(root, m[1]));
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

/** The page's HTML when it answers 200 itself (no redirect), or why not. */
async function fetchPage(url: string): Promise<{ html: string } | { problem: string }> {
	const response = await fetch(url, { redirect: 'manual' });
	if (response.status !== 200) return { problem: `answers ${response.status}` };
	return { html: await response.text() };
}

const offerLinks = (html: string) => new Set(html.match(/href="[^"]*\/offers\/[a-z0-9_]+"/g) ?? []).size;

/**
 * Every public page: those without a parameter, and the first page each list links to (a
 * village, an offer, an event, a workspace, a directory profile). Pages reached by a token
 * (survey, registration) are left out.
 */
async function javascriptRow(url: string): Promise<ResultRow> {
	const measured: Array<{ path: string; files: number; gzipBytes: number }> = [];
	const paths = [...PUBLIC_PAGES];
	const problems: string[] = [];
	for (let i = 0; i < paths.length; i++) {
		const page = await fetchPage(url + paths[i]);
		if ('problem' in page) {
			problems.push(`${paths[i]} ${page.problem}`);
			continue;
		}
		measured.push({ path: paths[i], ...javascriptShipped(page.html) });
		for (const route of DETAIL_ROUTES) {
			const link = new RegExp(`href="(?:\\.\\.?/)*/?(${route}/[a-z0-9_-]+)"`).exec(page.html)?.[1];
			if (link && !paths.some((p) => p.startsWith(`/${route}/`))) paths.push(`/${link}`);
		}
	}
	console.log(`\nJavaScript shipped by ${measured.length} public pages (gzipped, first visit)`);
	for (const page of measured) {
		console.log(
			`  ${page.path.padEnd(36)} ${String(page.files).padStart(3)} scripts ${(page.gzipBytes / 1024).toFixed(1).padStart(7)} KB`
		);
	}
	if (problems.length) console.log(`  not measured: ${problems.join(', ')}`);
	const home = measured.find((p) => p.path === '/');
	const worst = measured.reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
	const kb = (bytes: number) => (bytes / 1024).toFixed(1);
	return {
		row: 'JavaScript of a public page (worst)',
		database: 'build',
		measured:
			`worst ${worst.path}: ${kb(worst.gzipBytes)} KB in ${worst.files} scripts` +
			(home ? `; home ${kb(home.gzipBytes)} KB in ${home.files} scripts` : '') +
			`; ${measured.length} pages`,
		target: JAVASCRIPT_TARGET,
		verdict: verdictOf(worst.gzipBytes <= JAVASCRIPT_BUDGET_KB * 1024)
	};
}

/** The newest modification time under `dir` (to tell a stale build). */
function newestChange(dir: string): number {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
	}
	return newest;
}

/** Builds the app when build/ is missing; warns when the sources changed after the build. */
function ensureBuild(): void {
	if (!existsSync('build/handler.js')) {
		console.log(
			'portal: no build/ — running `npx vite build` first (the portal is measured as `npm start` serves it)'
		);
		execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
		return;
	}
	if (newestChange('src') > statSync('build/handler.js').mtimeMs) {
		console.log(
			'portal: WARNING src/ changed after the last build: run `npm run build` to measure the current code'
		);
	}
}

type ServerDatabase = { name: DatabaseName; env: Record<string, string>; dispose: () => Promise<void> };

async function serverDatabases(): Promise<ServerDatabase[]> {
	// An empty DATABASE_URL means PGlite, whatever the shell running the bench has set.
	const list: ServerDatabase[] = [{ name: 'PGlite', env: { DATABASE_URL: '' }, dispose: async () => {} }];
	const url = benchPostgresUrl();
	if (!url) {
		console.log('portal: PostgreSQL skipped (set BENCH_DATABASE_URL to include it)');
		return list;
	}
	const scratch = await scratchPostgresDatabase(url, 'soho_bench');
	list.push({ name: 'PostgreSQL', env: { DATABASE_URL: scratch.url }, dispose: scratch.drop });
	return list;
}

/** Starts the server on `dataDir` (and the database named in `env`): the demo is seeded on the first start. */
const serve = (dataDir: string, env: Record<string, string>): Promise<RunningServer> =>
	// Seeding the demo takes minutes on a loaded machine.
	startServer({ LOG_LEVEL: 'silent', SOHO_DATA_DIR: dataDir, ...env }, { readyTimeoutMs: 600_000 });

/**
 * Lets the server finish what a run left in flight (up to 50 renders still queued when autocannon
 * stops), then warms the next URL with a few requests of its own, so that no run pays for the
 * previous one or for a cold start.
 */
async function settle(url: string): Promise<void> {
	for (let i = 0; i < 3; i++) await fetch(url).then((r) => r.arrayBuffer());
	await new Promise((resolve) => setTimeout(resolve, 1_000));
}

async function benchPortalOn(database: ServerDatabase, withJavascript: boolean): Promise<ResultRow[]> {
	const rows: ResultRow[] = [];
	// adapter-node lists its static files at start-up: capture the pages first, write them as
	// static files, then restart the same server on the same data.
	const dataDir = mkdtempSync(join(tmpdir(), 'soho-bench-'));
	const pages: Array<LoadedPage & { file: string; html: string }> = [];
	try {
		const seeding = performance.now();
		const capture = await serve(dataDir, database.env);
		console.log(
			`portal on ${database.name}: server started with the demo seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`
		);
		try {
			const villages = await fetch(`${capture.url}/villages`).then((r) => r.text());
			const villagePath = /href="(?:\.\.?\/)*\/?(villages\/[a-z0-9-]+)"/.exec(villages)?.[1];
			const all = await fetch(`${capture.url}/offers`).then((r) => r.text());
			const found = await fetch(capture.url + OFFER_SEARCH).then((r) => r.text());
			console.log(
				`  offer search ${OFFER_SEARCH}: ${offerLinks(found)} of the ${offerLinks(all)} offers listed without filters`
			);
			const wanted: Array<[LoadedPage['row'], string | undefined, number]> = [
				['home page', '/', 50],
				['village page', villagePath && `/${villagePath}`, 50],
				['offer search', OFFER_SEARCH, 50],
				['/villages', '/villages', 20]
			];
			for (const [row, path, connections] of wanted) {
				const page = path ? await fetchPage(capture.url + path) : { problem: 'no village listed' };
				if ('problem' in page) {
					rows.push(skippedRow(row, database.name, PORTAL_TARGET, `${path ?? row} ${page.problem}`));
					continue;
				}
				const file = `${row.replace(/\W+/g, '-').replace(/^-|-$/g, '')}.html`;
				pages.push({ row, path: path!, connections, file, html: page.html });
			}
			if (withJavascript) rows.push(await javascriptRow(capture.url));
		} finally {
			await capture.stop();
		}
		rmSync(STATIC_DIR, { recursive: true, force: true });
		mkdirSync(STATIC_DIR, { recursive: true });
		for (const page of pages) writeFileSync(join(STATIC_DIR, page.file), page.html);

		const server = await serve(dataDir, database.env);
		try {
			console.log(`  ${SECONDS} s per run; rendered page, then its HTML as a static file`);
			for (const page of pages) {
				const staticUrl = `${server.url}/__bench/${page.file}`;
				await settle(staticUrl);
				const ceiling = await hammer(staticUrl, page.connections);
				await settle(server.url + page.path);
				const rendered = await hammer(server.url + page.path, page.connections);
				console.log(`  ${`${page.row} (${page.connections})`.padEnd(20)} rendered ${describe(rendered)}`);
				console.log(
					`  ${''.padEnd(20)} static   ${describe(ceiling)}   → ${(rendered.rps / ceiling.rps).toFixed(2)}× static`
				);
				rows.push(portalRow(page, database.name, rendered, ceiling));
			}
		} finally {
			await server.stop();
		}
	} finally {
		rmSync(STATIC_DIR, { recursive: true, force: true });
		rmSync(dataDir, { recursive: true, force: true });
	}
	return rows;
}

export async function benchPortal(): Promise<ResultRow[]> {
	ensureBuild();
	const rows: ResultRow[] = [];
	const databases = await serverDatabases();
	try {
		for (const [i, database] of databases.entries()) rows.push(...(await benchPortalOn(database, i === 0)));
	} finally {
		for (const database of databases) await database.dispose();
	}
	return rows;
}
