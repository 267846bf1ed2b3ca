/**
 * Load: the built server with the demo under 100 connections for 60 s, each connection cycling
 * through a mix of what the programme's users do at once — visitors reading the public pages,
 * candidates applying, an advisor reading the case list and a case and writing notes on it.
 * Prints throughput, errors (network errors and 5xx; 4xx answers to the public form's limits are
 * counted apart) and latency percentiles, then the same figures for a static file (the favicon) served by
 * the same server under the same load (the ceiling: no rendering, no database).
 *
 *   npm run bench -- load          (needs `npm run build` first)
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=50 npm run bench -- load
 */
import { existsSync } from 'node:fs';
import autocannon from 'autocannon';
import { DEMO_PASSWORD, startServer } from '../tests/e2e/support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);

type Counts = Record<string, number>;

/** Signs a demo account in through the form; returns its session cookie (name=value). */
export async function signIn(url: string, email: string): Promise<string> {
	const response = await fetch(`${url}/signin`, {
		method: 'POST',
		body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
		headers: { origin: url },
		redirect: 'manual'
	});
	const cookie = response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.find((pair) => pair.includes('session_token'));
	if (!cookie) throw new Error(`sign-in as ${email} failed (${response.status})`);
	return cookie;
}

function percentiles(result: autocannon.Result) {
	const latency = result.latency as unknown as Record<string, number>;
	return `p50 ${latency.p50} ms  p90 ${latency.p90} ms  p99 ${latency.p99} ms  max ${latency.max} ms`;
}

async function run(title: string, options: autocannon.Options): Promise<autocannon.Result> {
	// A request unanswered after 30 s counts as a timeout (autocannon's default is 10 s).
	const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, timeout: 30, ...options });
	const statuses: Counts = Object.fromEntries(
		Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count ?? 0])
	);
	const serverErrors = Object.entries(statuses)
		.filter(([status]) => Number(status) >= 500)
		.reduce((sum, [, n]) => sum + n, 0);
	console.log(
		`${title.padEnd(30)} ${result.requests.total} requests, ${result.requests.average.toFixed(0)} req/s; ` +
			`errors: ${result.errors} network, ${result.timeouts} timeouts, ${serverErrors} 5xx`
	);
	console.log(`${''.padEnd(30)} ${percentiles(result)}`);
	if (Object.keys(statuses).length > 0) {
		const byStatus = Object.entries(statuses)
			.sort()
			.map(([status, n]) => `${status}: ${n}`)
			.join(', ');
		console.log(`${''.padEnd(30)} answers by status: ${byStatus}`);
	}
	return result;
}

export async function benchLoad() {
	if (!existsSync('build/handler.js')) {
		console.log('load: skipped (run `npm run build` first)');
		return;
	}
	const server = await startServer({
		LOG_LEVEL: 'silent',
		// One machine plays every visitor: the per-address limits of public forms would refuse them.
		SOHO_LIMIT_APPLICATIONS_PER_HOUR: '100000',
		SOHO_LIMIT_MAILS_PER_RECIPIENT_PER_HOUR: '100000'
	});
	try {
		const { url } = server;
		const cookie = await signIn(url, 'advisor@demo.soho.example');
		const list = await (await fetch(`${url}/backoffice/cases`, { headers: { cookie } })).text();
		const caseIds = [
			...new Set([...list.matchAll(/\/backoffice\/cases\/(cas_[a-z0-9]+)/g)].map((m) => m[1]))
		];
		if (caseIds.length === 0) throw new Error('the advisor sees no case');
		const villages = await (await fetch(`${url}/villages`)).text();
		const villagePath = /href="(\/villages\/[a-z0-9-]+)"/.exec(villages)?.[1] ?? '/villages';

		let sequence = 0;
		const form = { 'content-type': 'application/x-www-form-urlencoded', origin: url };
		const staff = { cookie };
		const requests: autocannon.Request[] = [
			{ method: 'GET', path: '/' },
			{ method: 'GET', path: '/villages' },
			{ method: 'GET', path: villagePath },
			{ method: 'GET', path: '/offers?kind=house_rent&maxPrice=900' },
			{
				method: 'POST',
				path: '/apply',
				headers: form,
				setupRequest: (request) => {
					sequence += 1;
					return {
						...request,
						body: new URLSearchParams({
							firstName: 'Charge',
							lastName: `Load ${sequence}`,
							email: `load-${sequence}@bench.example`,
							timeline: 'within_6_months',
							wouldMoveWithoutProgramme: 'unsure',
							consentContact: 'on'
						}).toString()
					};
				}
			},
			{ method: 'GET', path: '/backoffice/cases', headers: staff },
			{
				method: 'GET',
				headers: staff,
				setupRequest: (request) => ({
					...request,
					path: `/backoffice/cases/${caseIds[sequence % caseIds.length]}`
				})
			},
			{
				method: 'POST',
				headers: { ...form, ...staff },
				setupRequest: (request) => ({
					...request,
					path: `/backoffice/cases/${caseIds[sequence % caseIds.length]}?/activity`,
					body: new URLSearchParams({ kind: 'note', summary: `Load note ${sequence}` }).toString()
				})
			}
		];
		console.log(
			`load: ${CONNECTIONS} connections × ${SECONDS} s, each cycling through ${requests.length} requests ` +
				`(4 public reads, an application, 2 back-office reads, a note on a case); demo data, PGlite`
		);
		await run('mixed reads and writes', { url, requests });
		// The server drains what the mix left in flight before the ceiling is measured.
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		await run('static file (ceiling)', { url: `${url}/favicon.svg` });
	} finally {
		await server.stop();
	}
}
