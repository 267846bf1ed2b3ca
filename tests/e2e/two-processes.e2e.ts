import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmptyPostgresDatabase } from '../../src/lib/server/db/db.test-utils.ts';
import { remindRegisteredJob } from '../../src/lib/server/domain/event-registration/event-registration.jobs.ts';
import {
	startRoundRobinProxy,
	type RoundRobinProxy
} from '../../src/lib/server/testing/round-robin-proxy.ts';
import {
	e2eSkipReason,
	launchBrowser,
	signInDemo,
	startServer,
	waitUntilServedFromCache,
	type RunningServer
} from './support.ts';

/**
 * Two app processes on one PostgreSQL behind a round-robin proxy, as deploy/ runs them: what one
 * node writes or counts, the other sees (sessions, public pages, rate limits), nodes that start
 * together migrate one at a time, and a scheduled job due on both runs on one (job_runs).
 */
const skipReason =
	e2eSkipReason() ??
	(process.env.TEST_DATABASE_URL ? null : 'TEST_DATABASE_URL is not set (two processes share a PostgreSQL)');
if (skipReason) console.log(`e2e two processes skipped: ${skipReason}`);

/** Per client address: the fourth request within the hour is refused, whichever node receives it. */
const RESETS_PER_HOUR = 3;

/** Runs the soho CLI and resolves to its exit code and error output (never rejects). */
function soho(
	args: string[],
	env: Record<string, string>
): Promise<{ status: number | null; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['bin/soho.js', ...args], {
			env: { ...process.env, ...env, SOHO_LANG: 'en' },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('exit', (status) => resolve({ status, stderr }));
	});
}

type LogLine = { msg?: string; job?: string; period?: string };

/** The JSON log lines of a server's output. */
function logLines(server: RunningServer): LogLine[] {
	return server
		.output()
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.flatMap((line) => {
			try {
				return [JSON.parse(line) as LogLine];
			} catch {
				return [];
			}
		});
}

/** Publishes an offer of Simorre through the back office form, as staff do. */
async function publishOffer(page: Page, baseUrl: string, title: string): Promise<void> {
	await page.goto(`${baseUrl}/backoffice/offers/new`);
	await page.getByLabel('Titre en français').fill(title);
	await page.getByLabel('Village propriétaire').selectOption({ label: 'Simorre' });
	await page.getByLabel(/^Commune/).fill('Simorre (32433)');
	await page.getByRole('button', { name: 'Créer', exact: true }).click();
	await page.waitForURL(/\/backoffice\/offers\/off_[a-z0-9]+\?created=1/);
}

const anonymous = { 'accept-language': 'fr-FR', 'accept-encoding': 'gzip' };

describe.skipIf(skipReason)('two app processes on one PostgreSQL behind a round-robin proxy', () => {
	const dataDirs = [mkdtempSync(join(tmpdir(), 'soho-node-a-')), mkdtempSync(join(tmpdir(), 'soho-node-b-'))];
	let databaseUrl = '';
	let drop = async () => {};
	let migrations: { status: number | null; stderr: string }[] = [];
	let nodeA: RunningServer | undefined;
	let nodeB: RunningServer | undefined;
	let proxy: RoundRobinProxy | undefined;
	let browser: Browser | undefined;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		const database = await createEmptyPostgresDatabase('soho_two');
		databaseUrl = database.url;
		drop = database.drop;
		// Two nodes' migrations at once on the fresh database: the start-up lock lets one migrate
		// while the other waits, then finds nothing to do.
		migrations = await Promise.all(
			dataDirs.map((dir) => soho(['db', 'migrate'], { DATABASE_URL: database.url, SOHO_DATA_DIR: dir }))
		);
		// The demo is seeded once by the CLI (slower on PostgreSQL than a server's start-up allows).
		const seed = await soho(['db', 'seed'], { DATABASE_URL: database.url, SOHO_DATA_DIR: dataDirs[0] });
		expect(seed.status, `soho db seed: ${seed.stderr}`).toBe(0);
		const env = {
			DATABASE_URL: database.url,
			SOHO_SEED_DEMO: 'false',
			SOHO_LIMIT_PASSWORD_RESETS_PER_HOUR: String(RESETS_PER_HOUR),
			// The scheduler says at debug level when a period was already claimed.
			LOG_LEVEL: 'debug'
		};
		[nodeA, nodeB] = await Promise.all(
			dataDirs.map((dir) => startServer({ ...env, SOHO_DATA_DIR: dir }, { readyTimeoutMs: 240_000 }))
		);
		proxy = await startRoundRobinProxy([nodeA.url, nodeB.url]);
		browser = await launchBrowser();
	}, 1_200_000);

	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
		await proxy?.close();
		await nodeA?.stop();
		await nodeB?.stop();
		await drop();
		for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
	});

	test('two nodes migrating one fresh database at the same time both succeed', () => {
		for (const [i, result] of migrations.entries())
			expect(result.status, `node ${i}: ${result.stderr}`).toBe(0);
	});

	test('a session opened through one node works on the other, and through the proxy', async () => {
		const page = await signInDemo(
			{ browser: browser!, serverUrl: nodeA!.url, contexts },
			'advisor@demo.soho.example'
		);
		// Cookies are per host, not per port: the browser sends node A's session cookie to node B.
		const onB = await page.goto(`${nodeB!.url}/backoffice`);
		expect(onB?.status()).toBe(200);
		expect(new URL(page.url()).pathname).toBe('/backoffice');
		const before = proxy!.counts.slice();
		for (let i = 0; i < 4; i++) {
			const response = await page.goto(`${proxy!.url}/backoffice`);
			expect(response?.status(), `request ${i + 1} through the proxy`).toBe(200);
			expect(new URL(page.url()).pathname).toBe('/backoffice');
		}
		// Both nodes answered some of them.
		expect(proxy!.counts.map((count, i) => count - before[i]).every((n) => n >= 2)).toBe(true);
	});

	test('an offer published through one node shows on the first request to the other', async () => {
		const readerUrl = nodeB!.url;
		// Just started, both nodes run their scheduled jobs (offer reminders write offers): wait until
		// the reader serves the same page twice, from its cache.
		const cachedEtag = await waitUntilServedFromCache(`${readerUrl}/`, anonymous);
		const again = await fetch(`${readerUrl}/`, { headers: anonymous });
		expect(again.headers.get('etag'), 'node B serves the home page from its cache').toBe(cachedEtag);
		const title = `Maison publiée par le nœud A ${Date.now().toString(36)}`;
		expect(await again.text()).not.toContain(title);

		const advisor = await signInDemo(
			{ browser: browser!, serverUrl: nodeA!.url, contexts },
			'advisor@demo.soho.example'
		);
		await publishOffer(advisor, nodeA!.url, title);

		const first = await fetch(`${readerUrl}/`, { headers: anonymous });
		expect(await first.text()).toContain(title);
		// And through the proxy, whichever node answers.
		for (let i = 0; i < 2; i++) {
			const response = await fetch(`${proxy!.url}/`, { headers: anonymous });
			expect(await response.text(), `request ${i + 1} through the proxy`).toContain(title);
		}
	});

	test('the password-reset limit per address counts the requests of both nodes', async () => {
		const start = proxy!.served.length;
		const statuses: number[] = [];
		for (let i = 0; i <= RESETS_PER_HOUR; i++) {
			const response = await fetch(`${proxy!.url}/forgot-password`, {
				method: 'POST',
				headers: {
					origin: proxy!.url,
					'content-type': 'application/x-www-form-urlencoded',
					accept: 'text/html',
					'accept-language': 'en-GB'
				},
				body: new URLSearchParams({ email: `reset-${i}@example.org` }),
				redirect: 'manual'
			});
			statuses.push(response.status);
			await response.arrayBuffer();
		}
		// Each node alone allowed fewer than the limit: without a shared count, none would refuse.
		const servedBy = proxy!.served.slice(start);
		expect(new Set(servedBy).size).toBe(2);
		expect(statuses).toEqual([...Array(RESETS_PER_HOUR).fill(200), 429]);
		const client = new pg.Client({ connectionString: databaseUrl });
		await client.connect();
		try {
			const { rows } = await client.query(
				"select count(*)::int as n from mail_messages where to_address like 'reset-%@example.org'"
			);
			// No account has these addresses: no mail, whichever node answered.
			expect(rows[0].n).toBe(0);
		} finally {
			await client.end();
		}
	});

	test('a scheduled job due on both nodes runs on one of them, once per period', async () => {
		const job = remindRegisteredJob.name;
		type Seen = { finished: string[]; claimed: string[] };
		const seenOn = (server: RunningServer): Seen => {
			const lines = logLines(server).filter((line) => line.job === job && line.period);
			return {
				finished: lines.filter((l) => l.msg === 'Job finished').map((l) => l.period!),
				claimed: lines.filter((l) => l.msg === 'Job already claimed').map((l) => l.period!)
			};
		};
		// Each node ticks 5 s after its start, then every minute: wait until one ran a period that the
		// other found claimed.
		const ranOnOneOnly = () => {
			const [a, b] = [seenOn(nodeA!), seenOn(nodeB!)];
			return [
				...a.finished.filter((p) => b.claimed.includes(p)),
				...b.finished.filter((p) => a.claimed.includes(p))
			];
		};
		for (let attempt = 0; attempt < 300 && ranOnOneOnly().length === 0; attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		expect(
			ranOnOneOnly().length,
			`${nodeA!.output().slice(-2000)}\n${nodeB!.output().slice(-2000)}`
		).toBeGreaterThan(0);
		// No period of any job ran twice, across both nodes.
		const finished = [...logLines(nodeA!), ...logLines(nodeB!)]
			.filter((line) => line.msg === 'Job finished')
			.map((line) => `${line.job} ${line.period}`);
		expect(finished.length).toBeGreaterThan(0);
		expect(new Set(finished).size).toBe(finished.length);
		const client = new pg.Client({ connectionString: databaseUrl });
		await client.connect();
		try {
			const { rows } = await client.query(
				'select period_key, status from job_runs where job_name = $1 and period_key = $2',
				[job, ranOnOneOnly()[0]]
			);
			// One claim for the period, finished (`skipped`: nothing was due to remind).
			expect(rows).toHaveLength(1);
			expect(['done', 'skipped']).toContain(rows[0].status);
		} finally {
			await client.end();
		}
	});
});
