import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { useDemoServer, offline, e2eSkipReason, expectNoAxeViolations, screenshot } from './support.ts';

/**
 * The public portal's frame: SEO head (hreflang, OpenGraph), static pages, sitemap and
 * robots.txt, and the communes map with and without JavaScript.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e portal frame skipped: ${skipReason}`);

const GEO_FILE = '../shared/data/geo/gers/communes-32-gers.geojson';
const HAS_GEO_FILE = existsSync(GEO_FILE);
if (!skipReason && !HAS_GEO_FILE)
	console.log(`e2e portal frame: ${GEO_FILE} not found, so the map polygon assertions are skipped`);

const PAGES = ['/', '/map', '/faq', '/legal', '/privacy'] as const;
const LOCALES = ['fr', 'en'] as const;
const OG_LOCALE = { fr: 'fr_FR', en: 'en_GB' } as const;

/** The width in pixels of a PNG file (its IHDR chunk), to check a screenshot was written at a viewport's width. */
function pngWidth(path: string): number {
	const png = readFileSync(path);
	expect(png.subarray(1, 4).toString('latin1'), `${path} is a PNG`).toBe('PNG');
	return png.readUInt32BE(16);
}

describe.skipIf(skipReason !== null)('public portal frame: SEO, static pages, sitemap and map', () => {
	const demo = useDemoServer({ env: HAS_GEO_FILE ? { SOHO_GEO_FILE: GEO_FILE } : {} });

	for (const locale of LOCALES) {
		test(`every public page answers in ${locale} with one h1, hreflang, OpenGraph, and passes axe`, async () => {
			const page = await demo.browser.newPage({ locale: locale === 'fr' ? 'fr-FR' : 'en-GB' });
			await offline(page);
			for (const path of PAGES) {
				const response = await page.goto(`${demo.url}${path}?lang=${locale}`);
				expect(response?.status(), path).toBe(200);
				expect(await page.locator('html').getAttribute('lang')).toBe(locale);
				expect(await page.locator('h1').count(), `${path}: one h1`).toBe(1);

				const head = page.locator('head');
				const canonical = await head.locator('link[rel="canonical"]').getAttribute('href');
				expect(canonical).toBe(`${demo.url}${path}?lang=${locale}`);
				for (const lang of LOCALES) {
					expect(await head.locator(`link[rel="alternate"][hreflang="${lang}"]`).getAttribute('href')).toBe(
						`${demo.url}${path}?lang=${lang}`
					);
				}
				expect(await head.locator('link[rel="alternate"][hreflang="x-default"]').getAttribute('href')).toBe(
					`${demo.url}${path}`
				);
				const og = (property: string) => head.locator(`meta[property="${property}"]`).getAttribute('content');
				await expect(og('og:title')).resolves.toBeTruthy();
				await expect(og('og:description')).resolves.toBeTruthy();
				await expect(og('og:site_name')).resolves.toBeTruthy();
				expect(await og('og:url')).toBe(canonical);
				expect(await og('og:locale')).toBe(OG_LOCALE[locale]);
				expect(await og('og:type')).toBe('website');
				expect(await head.locator('meta[name="twitter:card"]').getAttribute('content')).toBeTruthy();
				const description = await head.locator('meta[name="description"]').getAttribute('content');
				expect(description?.length, `${path}: description`).toBeGreaterThan(40);
				expect(await page.title()).toMatch(/ · /);

				// The footer links the static pages; the header links the map and the FAQ.
				await expect(page.locator('footer a[href="/legal"]').count()).resolves.toBe(1);
				await expect(page.locator('footer a[href="/privacy"]').count()).resolves.toBe(1);
				await expect(page.locator('header nav a[href="/map"]').count()).resolves.toBe(1);
				await expect(page.locator('header nav a[href="/faq"]').count()).resolves.toBe(1);

				if (path === '/map' && HAS_GEO_FILE) {
					// Leaflet takes over (tiles blocked): the polygons are still drawn.
					await page.locator('.commune-map.is-enhanced').waitFor({ timeout: 15_000 });
					expect(await page.locator('.leaflet-overlay-pane path').count()).toBeGreaterThan(400);
				}
				await expectNoAxeViolations(page);
			}
			await page.close();
		});
	}

	test('the static pages carry real content in both languages', async () => {
		const expectations = {
			fr: { faq: 'Combien coûte', legal: 'AGPL', privacy: 'CNIL' },
			en: { faq: 'How much does the support cost', legal: 'AGPL', privacy: 'CNIL' }
		};
		for (const locale of LOCALES) {
			for (const [path, text] of Object.entries(expectations[locale])) {
				const html = await (await fetch(`${demo.url}/${path}?lang=${locale}`)).text();
				expect(html, `/${path} in ${locale}`).toContain(text);
			}
		}
		const faq = await (await fetch(`${demo.url}/faq?lang=en`)).text();
		expect(faq).toContain('"@type":"FAQPage"');
		const legal = await (await fetch(`${demo.url}/legal?lang=fr`)).text();
		expect(legal).toMatch(/synthétiques/); // the demo programme says its data is synthetic
	});

	test('without JavaScript, the FAQ accordions open and the map still draws its polygons', async () => {
		const context = await demo.browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
		const page = await context.newPage();
		await offline(page);

		await page.goto(`${demo.url}/faq`);
		const first = page.locator('details.faq-item').first();
		expect(await first.getAttribute('open')).toBeNull();
		await first.locator('summary').click();
		expect(await first.getAttribute('open')).not.toBeNull();
		await expect(first.locator('.faq-answer').isVisible()).resolves.toBe(true);

		await page.setViewportSize({ width: 1280, height: 900 });
		await page.goto(`${demo.url}/map`);
		// The list of communes is always there, grouped in <details>.
		expect(await page.locator('.commune-list details').count()).toBeGreaterThan(1);
		expect(await page.locator('.commune-list li').count()).toBeGreaterThan(400);
		if (HAS_GEO_FILE) {
			const svg = page.getByTestId('map-svg');
			await expect(svg.isVisible()).resolves.toBe(true);
			// Each commune is a <use> of its shape in /map/outlines.svg (cached by the browser), not inline.
			expect(await svg.locator('use.map-area').count()).toBeGreaterThan(400);
			expect(await svg.locator('path').count()).toBe(0);
			const outlines = await svg.locator('use.map-area').first().getAttribute('href');
			expect(outlines).toMatch(/^\/map\/outlines\.svg\?v=[\w-]{12}&p=gers#c\d{5}$/);
			const box = await svg.boundingBox();
			expect(box?.width).toBeGreaterThan(600);
			expect(box?.height).toBeGreaterThan(300);
			expect(await svg.locator('title').first().textContent()).toMatch(/habitant/);
			await screenshot(page, 'map-nojs-1280');
		} else {
			console.log('map polygons without JavaScript not checked: no commune outlines in this run');
			// Visitors get a neutral sentence, never the CLI hint meant for staff.
			const html = await page.content();
			expect(html).not.toContain('soho geo');
		}
		await context.close();
	});

	test('on a phone the main navigation folds behind a Menu button, and shows in full without JavaScript', async () => {
		const page = await demo.browser.newPage({ locale: 'en-GB', viewport: { width: 390, height: 844 } });
		await page.goto(`${demo.url}/villages?lang=en`);
		await page.locator('.site-header.is-enhanced').waitFor();
		const toggle = page.getByRole('button', { name: 'Menu' });
		expect(await toggle.getAttribute('aria-expanded')).toBe('false');
		expect(await page.locator('#site-nav').isVisible()).toBe(false);
		await toggle.click();
		expect(await toggle.getAttribute('aria-expanded')).toBe('true');
		expect(await page.locator('#site-nav a').count()).toBeGreaterThanOrEqual(9);
		await expectNoAxeViolations(page);
		await page.keyboard.press('Escape');
		expect(await page.locator('#site-nav').isVisible()).toBe(false);
		await toggle.click();
		// Another page that runs JavaScript (its map): the menu is folded again on arrival.
		await Promise.all([
			page.waitForURL('**/workspaces'),
			page.locator('#site-nav a[href="/workspaces"]').click()
		]);
		await page.locator('.site-header.is-enhanced').waitFor();
		expect(await page.locator('#site-nav').isVisible()).toBe(false);
		// On a wide screen there is no button, only the links.
		await page.setViewportSize({ width: 1280, height: 900 });
		expect(await page.locator('#site-nav').isVisible()).toBe(true);
		expect(await toggle.isVisible()).toBe(false);
		await page.close();

		const context = await demo.browser.newContext({
			javaScriptEnabled: false,
			viewport: { width: 390, height: 844 }
		});
		const noJs = await context.newPage();
		await noJs.goto(`${demo.url}/villages?lang=en`);
		expect(await noJs.locator('#site-nav').isVisible()).toBe(true);
		expect(await noJs.locator('#site-menu-toggle').isVisible()).toBe(false);
		await context.close();

		// Pages that need no JavaScript ship none (the JavaScript budget): their menu is the full list too.
		const plain = await demo.browser.newPage({ locale: 'en-GB', viewport: { width: 390, height: 844 } });
		await plain.goto(`${demo.url}/events?lang=en`);
		expect(await plain.locator('#site-nav').isVisible()).toBe(true);
		expect(await plain.locator('#site-menu-toggle').isVisible()).toBe(false);
		await plain.close();
	});

	test('screenshots of the map at desktop and mobile widths', async () => {
		for (const [width, height] of [
			[1280, 900],
			[390, 844]
		]) {
			const page = await demo.browser.newPage({ locale: 'fr-FR', viewport: { width, height } });
			await offline(page);
			const response = await page.goto(`${demo.url}/map`);
			expect(response?.status()).toBe(200);
			if (HAS_GEO_FILE) await page.locator('.commune-map.is-enhanced').waitFor({ timeout: 15_000 });
			expect(await page.locator('.commune-list li').count()).toBeGreaterThan(400);
			expect(pngWidth(await screenshot(page, `map-${width}`))).toBe(width);
			await page.close();
		}
		const page = await demo.browser.newPage({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
		await page.goto(`${demo.url}/faq?lang=en`);
		await page.locator('details.faq-item summary').first().click();
		expect(await page.locator('details.faq-item').first().getAttribute('open')).not.toBeNull();
		expect(pngWidth(await screenshot(page, 'faq-1280'))).toBe(1280);
		await page.goto(`${demo.url}/privacy?lang=en`);
		await expect(page.locator('h1').first().textContent()).resolves.toBeTruthy();
		expect(pngWidth(await screenshot(page, 'privacy-1280'))).toBe(1280);
		await page.close();
	});

	test('the HTML of /map stays reasonably light', async () => {
		const response = await fetch(`${demo.url}/map`);
		const html = await response.text();
		const kb = Math.round(Buffer.byteLength(html) / 1024);
		console.log(`/map HTML: ${kb} KB uncompressed`);
		expect(kb).toBeLessThan(1500);
	});

	test('sitemap.xml is valid XML listing every public page in both languages; robots.txt announces it', async () => {
		const response = await fetch(`${demo.url}/sitemap.xml`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('xml');
		const xml = await response.text();

		const page = await demo.browser.newPage();
		const parsed = await page.evaluate((source) => {
			const doc = new DOMParser().parseFromString(source, 'application/xml');
			if (doc.getElementsByTagName('parsererror').length > 0) return null;
			const urls = [...doc.getElementsByTagNameNS('http://www.sitemaps.org/schemas/sitemap/0.9', 'url')];
			return urls.map((url) => ({
				loc: url.getElementsByTagNameNS('http://www.sitemaps.org/schemas/sitemap/0.9', 'loc')[0]?.textContent,
				alternates: [...url.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'link')].map((link) =>
					link.getAttribute('hreflang')
				)
			}));
		}, xml);
		await page.close();

		expect(parsed, 'sitemap.xml parses as XML').not.toBeNull();
		const locs = parsed!.map((url) => url.loc);
		for (const path of PAGES) {
			for (const locale of LOCALES) expect(locs).toContain(`${demo.url}${path}?lang=${locale}`);
		}
		for (const url of parsed!) expect(url.alternates).toEqual(['fr', 'en', 'x-default']);

		const robots = await (await fetch(`${demo.url}/robots.txt`)).text();
		expect(robots).toContain(`Sitemap: ${demo.url}/sitemap.xml`);
		expect(robots).toMatch(/^Disallow: \/backoffice$/m);
	});
});

describe.skipIf(skipReason !== null)('the map before commune outlines are imported', () => {
	// No outlines at all (not even the bundled ones) and no network: communes without outlines.
	const demo = useDemoServer({ env: { SOHO_GEO_FILE: 'none' } });

	test('visitors get the list and a neutral sentence; staff get words, admins a link to the upload page', async () => {
		const page = await demo.browser.newPage({ locale: 'en-GB' });
		await offline(page);
		const response = await page.goto(`${demo.url}/map?lang=en`);
		expect(response?.status()).toBe(200);
		await expect(page.getByText('The map is not available yet').isVisible()).resolves.toBe(true);
		expect(await page.content()).not.toContain('soho geo');
		expect(await page.locator('.commune-list li').count()).toBeGreaterThan(400);
		expect(await page.getByTestId('map-svg').count()).toBe(0);
		await expectNoAxeViolations(page);
		await page.close();

		const staff = { locale: 'en', javaScript: true, next: '/map', offline: true } as const;
		const advisor = await demo.signIn('advisor@demo.soho.example', staff);
		await expect(advisor.getByText('Commune outlines not loaded').isVisible()).resolves.toBe(true);
		await expect(advisor.getByText('A programme admin can import them').isVisible()).resolves.toBe(true);
		expect(await advisor.content()).not.toMatch(/soho geo|SOHO_/);
		await screenshot(advisor, 'map-no-outlines-staff');
		await expectNoAxeViolations(advisor);
		await advisor.close();

		const admin = await demo.signIn('admin@demo.soho.example', staff);
		await expect(admin.locator('a[href="/backoffice/territory"]').count()).resolves.toBe(1);
		expect(await admin.content()).not.toMatch(/soho geo|SOHO_/);
		await admin.close();
	});

	test('without commune positions the distance filters are withheld and say why, never an empty list', async () => {
		const page = await demo.browser.newPage({ locale: 'en-GB' });
		await offline(page);
		for (const path of ['/villages?km=40&lang=en', '/offers?km=40&lang=en']) {
			await page.goto(`${demo.url}${path}`);
			await expect(page.locator('#f-km').count()).resolves.toBe(0);
			await expect(page.getByTestId('distance-unavailable').innerText()).resolves.toMatch(
				/distance filter is not available/
			);
			// The distance in the URL is not applied: the list is the unfiltered one, not empty.
			await expect(page.getByText('The distance filter is not available').count()).resolves.toBe(2);
		}
		await page.goto(`${demo.url}/villages?lang=en`);
		const all = await page.locator('#results').innerText();
		await page.goto(`${demo.url}/villages?km=40&lang=en`);
		await expect(page.locator('#results').innerText()).resolves.toBe(all);
		await page.close();
	});
});
