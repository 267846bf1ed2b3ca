import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDb, pgliteDir } from '../../src/lib/server/db/index.ts';
import { createOffer } from '../../src/lib/server/domain/offer/offer.service.ts';
import { getProgrammeBySlug } from '../../src/lib/server/domain/programme/programme.service.ts';
import { createVillage } from '../../src/lib/server/domain/village/village.service.ts';
import {
	DEMO_PASSWORD,
	e2eSkipReason,
	launchBrowser,
	runSoho,
	seededTemplate,
	startServer,
	type RunningServer
} from './support.ts';

/**
 * Issue 17, part 2: the national portal, as an operator and a candidate would meet it. The demo
 * instance (programme "gers") gets a second programme from the command line, on its own host
 * (lot.localhost), and both join the national portal (`soho programme set SLUG national on`). A
 * candidate searches on /france (no JavaScript), finds both programmes' listings, each named with
 * its programme and linked to its own site, ticks both programmes and sends ONE application; each
 * programme's admin then sees exactly one application of that candidate.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e national portal skipped: ${skipReason}`);

const LOT_ADMIN = 'admin@lot.example';
const LOT_PASSWORD = 'lot-admin-password-2026';
const LOT_OFFER = 'Maison quercynoise à louer près de Cahors';
const LAST_NAME = 'Nationale-Deuxprog';

describe.skipIf(skipReason !== null)('the national portal', () => {
	let dataDir = '';
	let server: RunningServer;
	let browser: Browser;
	const contexts: BrowserContext[] = [];
	let port = '';

	/** `soho …` on the server's data directory (before the server starts: PGlite has one writer). */
	const soho = (args: string[], input?: string) => runSoho(args, { dataDir, input });

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'soho-e2e-national-'));
		cpSync(await seededTemplate({}), dataDir, { recursive: true });
		soho([
			'programme',
			'create',
			'--slug',
			'lot',
			'--name',
			'Accueil Lot',
			'--departement',
			'46',
			'--metropole',
			'31555'
		]);
		soho(['programme', 'host', 'add', 'lot', 'lot.localhost']);
		soho(['programme', 'set', 'lot', 'national', 'on']);
		soho(['programme', 'set', 'gers', 'national', 'on']);
		soho(
			[
				'user',
				'create',
				'--email',
				LOT_ADMIN,
				'--name',
				'Admin Lot',
				'--role',
				'admin',
				'--programme',
				'lot',
				'--password-stdin'
			],
			LOT_PASSWORD
		);
		const database = await createDb({ dataDir: pgliteDir(dataDir) });
		try {
			const { programme } = await getProgrammeBySlug({ slug: 'lot' }, { db: database.db });
			const { village } = await createVillage(
				{ input: { programmeId: programme.id, communeCode: '46042', presentationFr: 'Préfecture du Lot.' } },
				{ db: database.db }
			);
			await createOffer(
				{
					input: {
						programmeId: programme.id,
						kind: 'house_rent',
						titleFr: LOT_OFFER,
						titleEn: 'Quercy house to rent near Cahors',
						communeCode: '46042',
						villageId: village.id,
						price: 700,
						expiresAt: new Date(Date.now() + 60 * 86_400_000)
					} as never
				},
				{ db: database.db }
			);
		} finally {
			await database.close();
		}
		server = await startServer({ SOHO_DATA_DIR: dataDir });
		port = new URL(server.url).port;
		browser = await launchBrowser();
	}, 600_000);

	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	});

	const at = (host: string, path = '/') => `http://${host}:${port}${path}`;

	async function newPage(): Promise<Page> {
		const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
		contexts.push(context);
		await context.route(/^https?:\/\/(?!(127\.0\.0\.1|([a-z0-9-]+\.)*localhost)[:/])/, (route) =>
			route.abort()
		);
		return context.newPage();
	}

	async function casesSeenBy(host: string, email: string, password: string): Promise<number> {
		const page = await newPage();
		await page.goto(at(host, '/signin?lang=en'));
		await page.locator('input[name="email"]').fill(email);
		await page.locator('input[name="password"]').fill(password);
		await page.locator('form button[type="submit"]').first().click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		await page.goto(at(host, `/backoffice/cases?q=${encodeURIComponent(LAST_NAME)}`));
		return page.locator('table.cases tbody tr').count();
	}

	test('a candidate searches across both programmes, applies to both at once, and each admin sees one application', async () => {
		const page = await newPage();
		// The demo takes part in the national portal: its footer leads there.
		await page.goto(at('gers.localhost', '/?lang=en'));
		await page.locator('footer').getByRole('link', { name: 'Find your place elsewhere in France' }).click();
		await page.waitForURL((url) => url.pathname === '/france');
		// One search on the demo's host finds the Lot's listings, named and linked to the Lot's site.
		await page.goto(at('gers.localhost', '/france?q=Cahors&lang=en'));
		const results = page.getByTestId('national-results');
		await expect.poll(() => results.innerText()).toContain('Quercy house to rent near Cahors');
		expect(await results.innerText()).toContain('Programme: Accueil Lot');
		const link = results.getByRole('link', { name: 'Quercy house to rent near Cahors' });
		expect(await link.getAttribute('href')).toMatch(
			new RegExp(`^http://lot\\.localhost:${port}/offers/off_`)
		);
		// Villages of both programmes in one list.
		await page.goto(at('gers.localhost', '/france?kind=village&lang=en'));
		const villages = await page.getByTestId('national-results').innerText();
		expect(villages).toContain('Programme: Accueil Lot');
		expect(villages).toMatch(/Programme: Gers/);
		// The map places every village of the search, beyond this page's twenty: one point per
		// commune, named with its count and programme (drawn on the server, no JavaScript here).
		// The Gers's communes have positions (the bundled outlines); the Lot's here have none.
		await page.goto(at('gers.localhost', '/france?kind=village&programme=gers&lang=en'));
		const total = Number((await page.locator('#results-title').innerText()).match(/\d+/)?.[0]);
		expect(total).toBeGreaterThan(20);
		const places = await page.locator('svg title').allTextContents();
		const placed = places.flatMap((title) => {
			const count = title.match(/: (\d+) result\(s\) — Gers/)?.[1];
			return count ? [Number(count)] : [];
		});
		expect(placed.reduce((sum, count) => sum + count, 0)).toBe(total);

		// Both programmes ticked, one form.
		const apply = page.locator('section.apply');
		const boxes = apply.locator('input[type="checkbox"]');
		expect(await boxes.count()).toBe(2);
		for (let i = 0; i < 2; i++) await boxes.nth(i).check();
		await apply.getByRole('button', { name: 'Fill in my application' }).click();
		await page.waitForURL(/\/apply\?national=1/);
		// Sent with no programme ticked: the field is named, nothing is lost.
		await page.getByLabel('First name').fill('Inès');
		await page.getByLabel('Last name').fill(LAST_NAME);
		await page.locator('#apply-email').fill('ines.nationale@example.org');
		await page.getByLabel('In 6 to 12 months').check();
		await page.getByLabel('Not sure').check();
		await page.getByLabel(/I agree that a programme advisor contacts me/).check();
		const chosen = page.locator('input[name="programmes"]');
		expect(await chosen.count()).toBe(2);
		for (let i = 0; i < 2; i++) await chosen.nth(i).uncheck();
		await page.getByRole('button', { name: 'Send my application' }).click();
		await page.waitForLoadState();
		expect(await page.locator('body').innerText()).toContain('choose at least one programme to apply to');
		expect(await page.getByLabel('Last name').inputValue()).toBe(LAST_NAME);
		for (let i = 0; i < 2; i++) await page.locator('input[name="programmes"]').nth(i).check();
		await page.getByLabel(/I agree that a programme advisor contacts me/).check();
		await page.getByRole('button', { name: 'Send my application' }).click();
		await page.waitForURL(/\/apply\/thanks\?ref=/);
		const thanks = await page.locator('body').innerText();
		expect(thanks).toMatch(/GERS-\d{4}-\d{4}/);
		expect(thanks).toMatch(/LOT-\d{4}-\d{4}/);

		expect(await casesSeenBy('gers.localhost', 'admin@demo.soho.example', DEMO_PASSWORD)).toBe(1);
		expect(await casesSeenBy('lot.localhost', LOT_ADMIN, LOT_PASSWORD)).toBe(1);
	});
});
