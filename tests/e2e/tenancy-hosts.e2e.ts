import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
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
 * Issue 17, part 1 (public side), as an operator would set it up: the demo instance (programme
 * "gers", the oldest) gets a second programme from the command line (`soho programme create`),
 * with a host name of its own (`soho programme host add lot lot.localhost`), an admin, a partner
 * village and an offer. Chromium (which resolves *.localhost to 127.0.0.1) then opens both hosts:
 * each shows its own name, villages and offers; pages cached for one host are never served on
 * the other; form posts work on both hosts (no fixed ORIGIN: the CSRF check follows the host);
 * the sitemap of each programme uses its primary host.
 *
 * Then a third programme, the Cantal, with no host name of its own, is reached on a shared host
 * (shared.localhost, which no programme holds) at its path prefix, /p/cantal: the prefix shows its
 * pages, its links and form posts keep the prefix, the cache never mixes it with the default
 * programme's pages at /p/gers or without a prefix, and its sitemap, robots.txt and settings
 * give its prefixed address. The outline files name their programme, whatever the host.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e tenancy hosts skipped: ${skipReason}`);

const LOT_ADMIN = 'admin@lot.example';
const LOT_PASSWORD = 'lot-admin-password-2026';
const LOT_OFFER = 'Maison quercynoise à louer près de Cahors';
const CANTAL_ADMIN = 'admin@cantal.example';
const CANTAL_PASSWORD = 'cantal-admin-password-2026';

describe.skipIf(skipReason !== null)('each programme answers on its own host name', () => {
	let dataDir = '';
	let server: RunningServer;
	let browser: Browser;
	const contexts: BrowserContext[] = [];
	let port = '';

	/** `soho …` on the server's data directory (before the server starts: PGlite has one writer). */
	const soho = (args: string[], input?: string) => runSoho(args, { dataDir, input });

	beforeAll(async () => {
		// A copy of the seeded demo (programme "gers"), changed from the command line, then served.
		dataDir = mkdtempSync(join(tmpdir(), 'soho-e2e-hosts-'));
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
		soho([
			'programme',
			'create',
			'--slug',
			'cantal',
			'--name',
			'Accueil Cantal',
			'--departement',
			'15',
			'--metropole',
			'63113'
		]);
		soho(
			[
				'user',
				'create',
				'--email',
				CANTAL_ADMIN,
				'--name',
				'Admin Cantal',
				'--role',
				'admin',
				'--programme',
				'cantal',
				'--password-stdin'
			],
			CANTAL_PASSWORD
		);
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
		// The Lot's village and offer, through the services (the CLI has no command for them).
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
			const { programme: cantal } = await getProgrammeBySlug({ slug: 'cantal' }, { db: database.db });
			await createVillage(
				{ input: { programmeId: cantal.id, communeCode: '15014', presentationFr: 'Préfecture du Cantal.' } },
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

	/** A page without JavaScript (what the server writes), or with it (what the browser renders). */
	async function newPage({ javaScript = false }: { javaScript?: boolean } = {}): Promise<Page> {
		const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: javaScript });
		contexts.push(context);
		// Only the test server (on its *.localhost names): no map tiles from the Internet.
		await context.route(/^https?:\/\/(?!(127\.0\.0\.1|([a-z0-9-]+\.)*localhost)[:/])/, (route) =>
			route.abort()
		);
		return context.newPage();
	}

	/** A GET with a chosen Host header, as a browser or proxy would send it. */
	function get(
		host: string,
		path: string
	): Promise<{ status: number; etag: string | null; location: string | null; body: string }> {
		return new Promise((resolve, reject) => {
			const request = http.get(
				{
					host: '127.0.0.1',
					port: Number(port),
					path,
					headers: { host: `${host}:${port}`, 'accept-language': 'en' }
				},
				(response) => {
					let body = '';
					response.setEncoding('utf8');
					response.on('data', (chunk) => (body += chunk));
					response.on('end', () =>
						resolve({
							status: response.statusCode ?? 0,
							etag: (response.headers.etag as string) ?? null,
							location: response.headers.location ?? null,
							body
						})
					);
				}
			);
			request.on('error', reject);
		});
	}

	test("each host shows its own programme's name, villages and offers", async () => {
		const page = await newPage();
		// gers.localhost is no programme's host: the default programme (the oldest, the demo) is shown.
		await page.goto(at('gers.localhost', '/villages'));
		await expect.poll(() => page.locator('body').innerText()).toContain('Simorre');
		expect(await page.locator('body').innerText()).not.toContain('Cahors');
		await page.goto(at('lot.localhost', '/villages'));
		const lotVillages = await page.locator('body').innerText();
		expect(lotVillages).toContain('Cahors');
		expect(lotVillages).not.toContain('Simorre');
		expect(await page.title()).toContain('Accueil Lot');

		await page.goto(at('lot.localhost', '/offers'));
		expect(await page.locator('body').innerText()).toContain('Quercy house to rent near Cahors');
		await page.goto(at('gers.localhost', '/offers'));
		expect(await page.locator('body').innerText()).not.toContain('Quercy house');

		await page.goto(at('lot.localhost', '/'));
		expect(await page.title()).toContain('Accueil Lot');
		await page.goto(at('gers.localhost', '/'));
		expect(await page.title()).not.toContain('Accueil Lot');
	});

	test('a page cached for one host is never served on the other', async () => {
		// The demo's villages page is rendered, then served from memory (same ETag)…
		const first = await get('gers.localhost', '/villages');
		const again = await get('gers.localhost', '/villages');
		expect(again.etag).toBe(first.etag);
		expect(again.body).toContain('Simorre');
		// …and the same path on the Lot's host is the Lot's page, cached on its own.
		const lot = await get('lot.localhost', '/villages');
		expect(lot.status).toBe(200);
		expect(lot.etag).not.toBe(first.etag);
		expect(lot.body).toContain('Cahors');
		expect(lot.body).not.toContain('Simorre');
		const lotAgain = await get('lot.localhost', '/villages');
		expect(lotAgain.etag).toBe(lot.etag);
		// An upper-case host is the same host.
		expect((await get('LOT.localhost', '/villages')).body).toContain('Cahors');
	});

	test("form posts work on both hosts; the Lot's admin sets its primary host, used by its sitemap", async () => {
		// On the demo's host: the sign-in form is posted and accepted (no cross-site refusal).
		const demo = await newPage();
		await demo.goto(at('gers.localhost', '/signin?lang=en'));
		await demo.locator('input[name="email"]').fill('admin@demo.soho.example');
		await demo.locator('input[name="password"]').fill(DEMO_PASSWORD);
		await demo.locator('form button[type="submit"]').first().click();
		await demo.waitForURL((url) => !url.pathname.startsWith('/signin'));
		expect(new URL(demo.url()).hostname).toBe('gers.localhost');
		// Its admin cannot take the Lot's host: the error names the field.
		await demo.goto(at('gers.localhost', '/backoffice/settings#hosts'));
		await demo.locator('section#hosts').getByLabel('Host name').fill('lot.localhost');
		await demo.locator('section#hosts').getByRole('button', { name: 'Add the address' }).click();
		await demo.waitForLoadState();
		expect(await demo.locator('section#hosts').innerText()).toContain(
			"Host name: another programme's site already answers on it."
		);

		// On the Lot's host: its admin signs in and adds a primary host in the settings.
		const page = await newPage();
		await page.goto(at('lot.localhost', '/signin?lang=en'));
		await page.locator('input[name="email"]').fill(LOT_ADMIN);
		await page.locator('input[name="password"]').fill(LOT_PASSWORD);
		await page.locator('form button[type="submit"]').first().click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		await page.goto(at('lot.localhost', '/backoffice/settings#hosts'));
		const section = page.locator('section#hosts');
		await expect.poll(() => section.innerText()).toContain('lot.localhost');
		await section.getByLabel('Host name').fill('www.lot.localhost');
		await section.getByLabel(/Primary address/).check();
		await section.getByRole('button', { name: 'Add the address' }).click();
		await page.waitForLoadState();
		expect(await page.locator('section#hosts').innerText()).toContain('www.lot.localhost');

		// The new host shows the Lot, and the Lot's absolute links use its primary host.
		const sitemap = await get('lot.localhost', '/sitemap.xml');
		expect(sitemap.body).toContain(`<loc>http://www.lot.localhost:${port}/villages/cahors?lang=fr</loc>`);
		expect(sitemap.body).not.toContain('simorre');
		expect((await get('www.lot.localhost', '/robots.txt')).body).toContain(
			`Sitemap: http://www.lot.localhost:${port}/sitemap.xml`
		);
		const demoRobots = await get('gers.localhost', '/robots.txt');
		expect(demoRobots.body).toContain(`Sitemap: http://gers.localhost:${port}/sitemap.xml`);
	});

	test('on a shared host, /p/cantal and /p/gers each show their own programme; an unknown prefix is a 404', async () => {
		const page = await newPage();
		await page.goto(at('shared.localhost', '/p/cantal/villages'));
		const cantal = await page.locator('body').innerText();
		expect(cantal).toContain('Aurillac');
		expect(cantal).not.toContain('Simorre');
		expect(await page.title()).toContain('Accueil Cantal');
		await page.goto(at('shared.localhost', '/p/gers/villages'));
		const gers = await page.locator('body').innerText();
		expect(gers).toContain('Simorre');
		expect(gers).not.toContain('Aurillac');
		// The canonical URL of a prefixed page is on the programme's prefixed address.
		await page.goto(at('shared.localhost', '/p/cantal/villages/aurillac'));
		expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(
			at('shared.localhost', '/p/cantal/villages/aurillac?lang=en')
		);

		const nowhere = await get('shared.localhost', '/p/nowhere/villages?lang=en');
		expect(nowhere.status).toBe(404);
		// The page says so in the reader's language and leads home (src/error.html).
		expect(nowhere.body).toContain('Page not found');
		expect(nowhere.body).toContain('href="/"');
		// A prefix is no address on a programme's own host…
		expect((await get('lot.localhost', '/p/cantal/villages')).status).toBe(404);
		// …and a programme with a host name of its own is sent there.
		const lot = await get('shared.localhost', '/p/lot/villages?lang=en');
		expect(lot.status).toBe(308);
		expect(lot.location).toBe(at('www.lot.localhost', '/villages?lang=en'));
	});

	test('following links and posting a form at /p/cantal stays in the Cantal', async () => {
		const page = await newPage();
		await page.goto(at('shared.localhost', '/p/cantal'));
		await page.locator('header').getByRole('link', { name: 'Villages' }).first().click();
		await page.waitForURL((url) => url.pathname === '/p/cantal/villages');
		expect(await page.locator('body').innerText()).toContain('Aurillac');
		// Every site-relative link of the page keeps the prefix (assets aside).
		const hrefs = await page
			.locator('a[href^="/"]')
			.evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
		expect(hrefs.length).toBeGreaterThan(5);
		for (const href of hrefs) expect(href, href).toMatch(/^\/p\/cantal(\/|\?|#|$)/);

		// The Cantal's admin signs in at the prefix: the form post and its redirect keep it, and the
		// settings give the programme's prefixed address.
		await page.goto(at('shared.localhost', '/p/cantal/signin?lang=en'));
		await page.locator('input[name="email"]').fill(CANTAL_ADMIN);
		await page.locator('input[name="password"]').fill(CANTAL_PASSWORD);
		await page.locator('form button[type="submit"]').first().click();
		await page.waitForURL((url) => !url.pathname.endsWith('/signin'));
		expect(new URL(page.url()).pathname).toMatch(/^\/p\/cantal\//);
		await page.goto(at('shared.localhost', '/p/cantal/backoffice/settings#hosts'));
		expect(await page.locator('section#hosts').innerText()).toContain(
			`Site address: ${at('shared.localhost', '/p/cantal')}`
		);
	});

	test('with JavaScript, the back office at /p/cantal keeps the prefix from page to page', async () => {
		const page = await newPage({ javaScript: true });
		await page.goto(at('shared.localhost', '/p/cantal/signin?lang=en'));
		await page.locator('input[name="email"]').fill(CANTAL_ADMIN);
		await page.locator('input[name="password"]').fill(CANTAL_PASSWORD);
		await page.locator('form button[type="submit"]').first().click();
		await page.waitForURL((url) => !url.pathname.endsWith('/signin'));
		await page.goto(at('shared.localhost', '/p/cantal/backoffice/settings'));
		await page.waitForLoadState('networkidle');
		const documentId = await page.evaluate(
			() => ((window as unknown as { soho: number }).soho = Math.random())
		);

		// The pages the browser renders itself write the prefix in their links too, so the address
		// bar keeps it page after page.
		const prefixedOnly = async () => {
			const written = await page
				.locator('a[href^="/"], form[action^="/"]')
				.evaluateAll((elements) =>
					elements.map((element) => element.getAttribute('href') ?? element.getAttribute('action') ?? '')
				);
			expect(written.length).toBeGreaterThan(5);
			for (const href of written) expect(href, href).toMatch(/^\/p\/cantal(\/|\?|#|$)/);
		};
		for (const area of ['cases', 'villages', 'people']) {
			await page.locator(`nav a[href="/p/cantal/backoffice/${area}"]`).first().click();
			await page.waitForURL((url) => url.pathname === `/p/cantal/backoffice/${area}`);
			await page.waitForLoadState('networkidle');
			await prefixedOnly();
		}
		// A navigation the page starts to an address without the prefix (a link written before the
		// prefix was added to it, a redirect an action answers) is made again with the prefix.
		await page.evaluate(() => {
			const link = document.querySelector<HTMLAnchorElement>('nav a[href="/p/cantal/backoffice/offers"]');
			if (!link) throw new Error('no link to the offers');
			link.setAttribute('href', '/backoffice/offers');
			link.click();
		});
		await page.waitForURL((url) => url.pathname === '/p/cantal/backoffice/offers');
		await page.waitForLoadState('networkidle');
		await prefixedOnly();
		// All in one document: these were navigations in the browser, not full loads.
		expect(await page.evaluate(() => (window as unknown as { soho?: number }).soho)).toBe(documentId);
		expect(await page.locator('body').innerText()).toContain('Accueil Cantal');
	});

	test('the cache keeps each prefix to itself; sitemap and robots give the prefixed addresses', async () => {
		const first = await get('shared.localhost', '/p/cantal/villages');
		const again = await get('shared.localhost', '/p/cantal/villages');
		expect(again.etag).toBe(first.etag);
		expect(again.body).toContain('Aurillac');
		for (const path of ['/p/gers/villages', '/villages']) {
			const other = await get('shared.localhost', path);
			expect(other.etag, path).not.toBe(first.etag);
			expect(other.body, path).toContain('Simorre');
			expect(other.body, path).not.toContain('Aurillac');
		}
		const sitemap = await get('shared.localhost', '/p/cantal/sitemap.xml');
		expect(sitemap.body).toContain(
			`<loc>${at('shared.localhost', '/p/cantal/villages/aurillac?lang=fr')}</loc>`
		);
		expect(sitemap.body).not.toContain('simorre');
		const robots = await get('shared.localhost', '/robots.txt');
		expect(robots.body).toContain(`Sitemap: ${at('shared.localhost', '/sitemap.xml')}`);
		expect(robots.body).toContain(`Sitemap: ${at('shared.localhost', '/p/cantal/sitemap.xml')}`);
		expect(robots.body).toContain('Disallow: /p/*/backoffice');
	});

	test("an outline file names its programme: the Gers outlines are served on the Lot's host", async () => {
		const gers = await get('lot.localhost', '/map/outlines.svg?d=light&p=gers');
		expect(gers.status).toBe(200);
		expect(gers.body).toContain('id="c32013"');
		// Without the name, the host's programme (the Lot has no outline here).
		expect((await get('lot.localhost', '/map/outlines.svg?d=light')).body).not.toContain('id="c32013"');
		expect((await get('lot.localhost', '/map/outlines.svg?p=nowhere')).status).toBe(404);
	});
});
