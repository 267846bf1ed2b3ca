import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmptyPostgresDatabase } from '../../src/lib/server/db/db.test-utils.ts';
import {
	e2eSkipReason,
	launchBrowser,
	signInDemo,
	startServer,
	useDemoServer,
	waitUntilServedFromCache,
	type RunningServer
} from './support.ts';

/**
 * The cache of rendered public pages (src/lib/server/http/public-cache.ts): anonymous visitors
 * get the same page from memory until a write changes it, with ETag/304 and a public
 * Cache-Control; signed-in visitors get their own page, `private, no-store`; and a write through
 * one server process is seen on the next request to another sharing the same PostgreSQL.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e public cache skipped: ${skipReason}`);

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

describe.skipIf(skipReason)('public cache', () => {
	const demo = useDemoServer();

	test('ten requests to the home page after an offer is published all show it, the first one included', async () => {
		const before = await fetch(`${demo.url}/`, { headers: anonymous });
		const again = await fetch(`${demo.url}/`, { headers: anonymous });
		// Served from the cache: the same bytes, so the same validator.
		expect(again.headers.get('etag')).toBe(before.headers.get('etag'));
		const title = `Maison du cache publiée ${Date.now().toString(36)}`;
		expect(await again.text()).not.toContain(title);

		const advisor = await demo.signIn('advisor@demo.soho.example');
		await publishOffer(advisor, demo.url, title);

		for (let i = 0; i < 10; i++) {
			const response = await fetch(`${demo.url}/`, { headers: anonymous });
			expect(response.status).toBe(200);
			expect(await response.text(), `request ${i + 1}`).toContain(title);
		}
	});

	test('a browser that holds the current page gets 304 with its ETag, and the page once it changed', async () => {
		const first = await fetch(`${demo.url}/villages`, { headers: anonymous });
		expect(first.status).toBe(200);
		const etag = first.headers.get('etag') as string;
		expect(etag).toMatch(/^"[^"]+"$/);
		expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
		expect(first.headers.get('vary')).toMatch(/Accept-Encoding.*Cookie.*Accept-Language/);
		expect(first.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-/);

		const revalidated = await fetch(`${demo.url}/villages`, {
			headers: { ...anonymous, 'if-none-match': etag }
		});
		expect(revalidated.status).toBe(304);
		expect(revalidated.headers.get('etag')).toBe(etag);
		expect(await revalidated.text()).toBe('');

		const english = await fetch(`${demo.url}/villages`, {
			headers: { ...anonymous, 'accept-language': 'en-GB', 'if-none-match': etag }
		});
		expect(english.status, 'another language is another page').toBe(200);
		expect(english.headers.get('etag')).not.toBe(etag);
	});

	test('a signed-in visitor gets their own page, private and never stored', async () => {
		await fetch(`${demo.url}/`, { headers: anonymous });
		const member = await demo.signIn('advisor@demo.soho.example');
		const response = await member.goto(`${demo.url}/`);
		expect(response?.status()).toBe(200);
		expect(response?.headers()['cache-control']).toBe('private, no-store');
		expect(response?.headers()['vary'] ?? '').not.toContain('Cookie');
		// Their page shows them signed in (the way to their back office), which the anonymous page does not.
		await member.locator('a[href="/backoffice"]').first().waitFor();
		const anonymousPage = await (await fetch(`${demo.url}/`, { headers: anonymous })).text();
		expect(anonymousPage).not.toContain('href="/backoffice"');
	});
});

const postgresSkip =
	skipReason ??
	(process.env.TEST_DATABASE_URL ? null : 'TEST_DATABASE_URL is not set (two processes need PostgreSQL)');
if (!skipReason && postgresSkip) console.log(`e2e public cache across processes skipped: ${postgresSkip}`);

describe.skipIf(postgresSkip)('public cache across two server processes on one PostgreSQL', () => {
	const dataDirs = [
		mkdtempSync(join(tmpdir(), 'soho-cache-a-')),
		mkdtempSync(join(tmpdir(), 'soho-cache-b-'))
	];
	let drop = async () => {};
	let writer: RunningServer | undefined;
	let reader: RunningServer | undefined;
	let browser: Browser | undefined;
	const contexts: BrowserContext[] = [];
	beforeAll(async () => {
		const database = await createEmptyPostgresDatabase('soho_cache');
		drop = database.drop;
		// The demo is seeded once by the CLI (slower on PostgreSQL than a server's start-up allows),
		// then both processes start on the same database.
		for (const args of [
			['db', 'migrate'],
			['db', 'seed']
		]) {
			const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
				encoding: 'utf8',
				env: { ...process.env, DATABASE_URL: database.url, SOHO_DATA_DIR: dataDirs[0], SOHO_LANG: 'en' },
				timeout: 900_000
			});
			expect(result.status, `soho ${args.join(' ')}: ${result.stderr}`).toBe(0);
		}
		const env = { DATABASE_URL: database.url, SOHO_SEED_DEMO: 'false' };
		writer = await startServer({ ...env, SOHO_DATA_DIR: dataDirs[0] });
		reader = await startServer({ ...env, SOHO_DATA_DIR: dataDirs[1] });
		browser = await launchBrowser();
	}, 1_200_000);
	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
		await writer?.stop();
		await reader?.stop();
		await drop();
		for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
	});

	test('an offer published through one process shows on the next request to the other', async () => {
		const readerUrl = reader!.url;
		// Just started, both processes run their scheduled jobs (offer reminders write offers): wait
		// until the reader serves the same page twice, from its cache.
		const cachedEtag = await waitUntilServedFromCache(`${readerUrl}/`, anonymous);
		const again = await fetch(`${readerUrl}/`, { headers: anonymous });
		expect(again.headers.get('etag'), 'the reader serves the home page from its cache').toBe(cachedEtag);
		const title = `Maison vue par l’autre processus ${Date.now().toString(36)}`;

		const advisor = await signInDemo(
			{ browser: browser!, serverUrl: writer!.url, contexts },
			'advisor@demo.soho.example'
		);
		await publishOffer(advisor, writer!.url, title);

		const next = await fetch(`${readerUrl}/`, { headers: anonymous });
		expect(await next.text()).toContain(title);
		expect(next.headers.get('etag')).not.toBe(cachedEtag);
	});
});
