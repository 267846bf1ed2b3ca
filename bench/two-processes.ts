/**
 * `npm run bench processes`: the throughput of one app process against two behind a round-robin
 * proxy, in the same run, on one PostgreSQL (issue 17: two processes at least 1.6× one).
 *
 * The demo is seeded by the CLI into a scratch database on BENCH_DATABASE_URL (or
 * TEST_DATABASE_URL); two built servers (`scripts/serve.js`, as `npm start`) run on it. The load is
 * what scales with processes: an advisor's back-office pages, rendered on every request (the case
 * list and case pages; public pages are served from each process's memory and would measure the
 * proxy). autocannon keeps BENCH_CONNECTIONS connections busy for BENCH_SECONDS per measure, after
 * a warm-up; latencies are recorded per response, so p50 and p95 are exact.
 *
 * The measures: one process directly, then BENCH_ROUNDS rounds (default 3) of one process behind
 * the proxy, two processes behind the same proxy, and one process behind the proxy again. A
 * round's ratio is two behind the proxy / the better of its two single-process measures behind
 * the proxy (same path, same proxy cost, and a node as warm as in the two-process measure); the
 * verdict reads the median round (a machine shared with PostgreSQL and the load generator gives
 * noisy single measures); the ratio to one direct is printed too. The proxy
 * (src/lib/server/testing/round-robin-proxy.ts, keep-alive to the nodes) runs in its own process
 * (bench/proxy.ts), like Caddy.
 *
 * Each node runs under a CPU quota of BENCH_NODE_CPU cores (default 0.5; bench/cpu-cap.ts), as
 * if it had a small machine of its own, while PostgreSQL, the proxy and autocannon keep the rest
 * of this one: that ratio is the verdict. The four measures are then taken again without quotas
 * (one round) and printed: on a two-core machine they measure the machine (a single uncapped node, the
 * database and the load generator already take both cores), not how the app scales out.
 *
 *   npm run build && BENCH_DATABASE_URL=postgres://… npm run bench processes
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startServer, type RunningServer } from '../tests/e2e/support.ts';
import { capCpu, type CpuCap } from './cpu-cap.ts';
import { benchPostgresUrl, scratchPostgresDatabase } from './databases.ts';
import { signIn } from './load.ts';
import { skippedRow, verdictOf, whole, type ResultRow } from './summary.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARM_UP_SECONDS = Math.min(5, SECONDS);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
/** Each app node's CPU quota in cores (0: none); see bench/cpu-cap.ts. */
const NODE_CPU = Number(process.env.BENCH_NODE_CPU ?? 0.5);
/** Rounds of one / two / one again with the quotas; the verdict reads the median round's ratio. */
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 3)));
const ROW = 'throughput: two app processes vs one, round-robin (ratio)';
const TARGET = '≥ 1.6×';

type Measure = {
	requests: number;
	perSecond: number;
	p50: number;
	p95: number;
	errors: number;
	non2xx: number;
	/** The answers that were not 2xx, by status ("502": 1). */
	statuses: Record<string, number>;
};

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs autocannon for `seconds` with the staff mix and records every response's latency. */
async function measure(url: string, requests: autocannon.Request[], seconds: number): Promise<Measure> {
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(
			{ url, connections: CONNECTIONS, duration: seconds, timeout: 30, requests },
			(error, finished) => (error ? reject(error) : resolve(finished))
		);
		instance.on('response', (_client, status, _bytes, time) => {
			latencies.push(time);
			if (status < 200 || status > 299) statuses[status] = (statuses[status] ?? 0) + 1;
		});
	});
	latencies.sort((a, b) => a - b);
	return {
		requests: result.requests.total,
		perSecond: result.requests.total / seconds,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		errors: result.errors + result.timeouts,
		non2xx: result.non2xx,
		statuses
	};
}

function describe(title: string, m: Measure): string {
	return (
		`${title.padEnd(34)} ${m.perSecond.toFixed(1).padStart(7)} req/s  p50 ${m.p50.toFixed(0).padStart(5)} ms  ` +
		`p95 ${m.p95.toFixed(0).padStart(5)} ms  (${m.requests} requests; ${m.errors} errors, ${m.non2xx} not 2xx` +
		(m.non2xx
			? `: ${Object.entries(m.statuses)
					.map(([status, count]) => `${status} × ${count}`)
					.join(', ')}`
			: '') +
		')'
	);
}

/** The proxy in a process of its own; resolves once it listens. */
async function startProxy(upstreams: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/proxy.ts', ...upstreams], {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const url = await new Promise<string>((resolve, reject) => {
		let output = '';
		child.stdout?.on('data', (chunk) => {
			output += chunk;
			if (output.includes('\n')) resolve(output.split('\n')[0].trim());
		});
		child.once('exit', (code) => reject(new Error(`proxy exited with ${code}`)));
	});
	return {
		url,
		stop: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}

function soho(args: string[], env: Record<string, string>): void {
	const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
		encoding: 'utf8',
		env: { ...process.env, ...env, SOHO_LANG: 'en' },
		timeout: 1_800_000
	});
	if (result.status !== 0) throw new Error(`soho ${args.join(' ')} failed: ${result.stderr}`);
}

export async function benchTwoProcesses(): Promise<ResultRow[]> {
	const serverUrl = benchPostgresUrl();
	if (!existsSync('build/handler.js')) {
		console.log('processes: skipped (run `npm run build` first)');
		return [skippedRow(ROW, 'PostgreSQL', TARGET, 'not built')];
	}
	if (!serverUrl) {
		console.log('processes: skipped (two processes share a PostgreSQL: set BENCH_DATABASE_URL)');
		return [skippedRow(ROW, 'PostgreSQL', TARGET, 'no PostgreSQL')];
	}
	const scratch = await scratchPostgresDatabase(
		serverUrl,
		`soho_bench_nodes_${randomBytes(4).toString('hex')}`
	);
	const seedDir = mkdtempSync(join(tmpdir(), 'soho-bench-seed-'));
	try {
		const seeding = performance.now();
		soho(['db', 'migrate'], { DATABASE_URL: scratch.url, SOHO_DATA_DIR: seedDir });
		soho(['db', 'seed'], { DATABASE_URL: scratch.url, SOHO_DATA_DIR: seedDir });
		console.log(
			`processes: demo seeded on PostgreSQL in ${((performance.now() - seeding) / 1000).toFixed(0)} s`
		);
		return [await measureTwoProcesses({ databaseUrl: scratch.url, email: 'advisor@demo.soho.example' })];
	} finally {
		rmSync(seedDir, { recursive: true, force: true });
		await scratch.drop();
	}
}

/**
 * One process, then two behind the round-robin proxy, on a database already filled: the advisor
 * `email` (password DEMO_PASSWORD) signs in and the load is their case list and case pages. Used
 * by `processes` (the demo) and `national` (the synthetic nation). The database is left as found.
 */
export async function measureTwoProcesses({
	databaseUrl,
	email,
	row = ROW
}: {
	databaseUrl: string;
	email: string;
	row?: string;
}): Promise<ResultRow> {
	if (!existsSync('build/handler.js')) {
		console.log('processes: skipped (run `npm run build` first)');
		return skippedRow(row, 'PostgreSQL', TARGET, 'not built');
	}
	const dataDirs = [
		mkdtempSync(join(tmpdir(), 'soho-bench-a-')),
		mkdtempSync(join(tmpdir(), 'soho-bench-b-'))
	];
	const servers: RunningServer[] = [];
	const proxies: { stop: () => Promise<void> }[] = [];
	const caps: CpuCap[] = [];
	try {
		const env = { DATABASE_URL: databaseUrl, SOHO_SEED_DEMO: 'false', LOG_LEVEL: 'silent' };
		const start = async (dir: string) => {
			const server = await startServer({ ...env, SOHO_DATA_DIR: dir }, { readyTimeoutMs: 240_000 });
			servers.push(server);
			return server;
		};
		const nodeA = await start(dataDirs[0]);
		const cookie = await signIn(nodeA.url, email);
		const list = await (await fetch(`${nodeA.url}/backoffice/cases`, { headers: { cookie } })).text();
		const caseIds = [
			...new Set([...list.matchAll(/\/backoffice\/cases\/(cas_[a-z0-9]+)/g)].map((m) => m[1]))
		];
		if (caseIds.length === 0) throw new Error('the advisor sees no case');
		let sequence = 0;
		const staff = { cookie };
		const requests: autocannon.Request[] = [
			{ method: 'GET', path: '/backoffice/cases', headers: staff },
			{
				method: 'GET',
				headers: staff,
				setupRequest: (request) => ({
					...request,
					path: `/backoffice/cases/${caseIds[sequence++ % caseIds.length]}`
				})
			}
		];
		const run = async (title: string, url: string) => {
			await measure(url, requests, WARM_UP_SECONDS);
			const result = await measure(url, requests, SECONDS);
			console.log(describe(title, result));
			return result;
		};
		/** A measure through the round-robin proxy in front of `upstreams`, the proxy stopped after. */
		const runBehindProxy = async (title: string, upstreams: string[]) => {
			const proxy = await startProxy(upstreams);
			proxies.push(proxy);
			try {
				return await run(title, proxy.url);
			} finally {
				await proxy.stop();
				proxies.splice(proxies.indexOf(proxy), 1);
			}
		};
		/**
		 * One process directly, then `rounds` times: one behind the proxy, two behind it, and one
		 * behind it again. A round's ratio divides its two-process measure by the better of its two
		 * single-process measures (as warm as the two were: warming up never counts as scaling out);
		 * the verdict reads the median round, so that one noisy measure on a shared machine neither
		 * makes nor breaks it.
		 */
		const measureAll = async (label: string, rounds: number) => {
			const direct = await run(`one process, direct${label}`, nodeA.url);
			const done: { one: Measure; two: Measure; ratio: number }[] = [];
			const measures = [direct];
			for (let round = 1; round <= rounds; round++) {
				const tag = rounds > 1 ? `${label}, round ${round}/${rounds}` : label;
				const first = await runBehindProxy(`one process behind the proxy${tag}`, [nodeA.url]);
				const two = await runBehindProxy(`two processes behind the proxy${tag}`, [nodeA.url, nodeB.url]);
				const again = await runBehindProxy(`one process behind the proxy, again${tag}`, [nodeA.url]);
				const one = again.perSecond > first.perSecond ? again : first;
				done.push({ one, two, ratio: two.perSecond / one.perSecond });
				measures.push(first, two, again);
				console.log(
					`two / one behind the proxy${tag}: ${(two.perSecond / one.perSecond).toFixed(2)}× (the better single-process measure); two behind the proxy / one direct: ${(two.perSecond / direct.perSecond).toFixed(2)}×`
				);
			}
			const sorted = [...done].sort((a, b) => a.ratio - b.ratio);
			const median = sorted[Math.floor((sorted.length - 1) / 2)];
			if (rounds > 1)
				console.log(
					`two / one behind the proxy${label}: median ${median.ratio.toFixed(2)}× over ${rounds} rounds (${done.map((r) => `${r.ratio.toFixed(2)}×`).join(', ')})`
				);
			return { ...median, ratios: done.map((r) => r.ratio), measures };
		};

		// Each node gets NODE_CPU of a core, as on a machine of its own; PostgreSQL, the proxy and
		// autocannon keep the rest. Then the same without quotas: on a small machine that figure
		// measures the machine (every process shares its cores), and is printed for comparison.
		const nodeB = await start(dataDirs[1]);
		const capA = NODE_CPU > 0 ? capCpu(nodeA.pid, NODE_CPU) : null;
		const capB = capA ? capCpu(nodeB.pid, NODE_CPU) : null;
		for (const cap of [capA, capB]) if (cap) caps.push(cap);
		// Both nodes as warm as each other before any measure (compiled code, caches): a cold
		// second node would slow the two-process measure by what the first one already learnt.
		for (const node of [nodeA, nodeB]) await measure(node.url, requests, 2 * WARM_UP_SECONDS);
		console.log(
			`processes: ${CONNECTIONS} connections × ${SECONDS} s per measure (after ${WARM_UP_SECONDS} s of warm-up), ` +
				`an advisor's case list and case pages (${caseIds.length} cases), PostgreSQL; ` +
				(capA
					? `each node capped at ${NODE_CPU} of a core (control group quota), then uncapped`
					: NODE_CPU > 0
						? 'nodes uncapped (no writable cpu control group here: run as root on Linux)'
						: 'nodes uncapped (BENCH_NODE_CPU=0)')
		);
		const main = await measureAll(capA ? ` (${NODE_CPU} core each)` : '', ROUNDS);
		if (capA) {
			for (const cap of caps) cap.set(false);
			await measureAll(' (uncapped)', 1);
		}
		const { one, two, ratio, ratios, measures } = main;
		const failures = measures.reduce((sum, m) => sum + m.errors + m.non2xx, 0);
		// On a saturated machine a measure may complete no request at all: no ratio then.
		if (one.requests === 0 || two.requests === 0)
			return {
				row,
				database: 'PostgreSQL',
				measured: `not measurable: a measure completed no request (${whole(two.requests)} with two, ${whole(one.requests)} with one)`,
				target: TARGET,
				verdict: 'OVER'
			};
		return {
			row,
			database: 'PostgreSQL',
			measured:
				`${ratio.toFixed(2)}× ` +
				(ratios.length > 1
					? `median of ${ratios.length} rounds (${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}); its round `
					: '') +
				`(${whole(two.perSecond)} vs ${whole(one.perSecond)} req/s; ` +
				`p95 ${whole(two.p95)} vs ${whole(one.p95)} ms` +
				(capA ? `; each node capped at ${NODE_CPU} core` : '; nodes uncapped') +
				`${failures ? `; ${failures} failed requests` : ''})`,
			target: TARGET,
			verdict: verdictOf(ratio >= 1.6 && failures === 0)
		};
	} finally {
		for (const proxy of proxies) await proxy.stop();
		for (const server of servers) await server.stop();
		for (const cap of caps) cap.remove();
		for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
	}
}
