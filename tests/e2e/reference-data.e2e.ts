import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

/**
 * Issue 11 §6–7, as a new user would see them: a fresh demo seed with no SOHO_INSEE_DIR and no
 * SOHO_GEO_FILE (support.ts never passes the shell's own) and no network shows the map with the
 * outlines of the 458 Gers communes, distance filters that filter, village pages on a small
 * map, and a geography page with distances, verdicts and Moran's I — all from the reference
 * data bundled in the repository. Admins read what the territory holds on /backoffice/territory
 * and upload outlines there (with and without JavaScript).
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e reference data skipped: ${skipReason}`);

const GERS_OUTLINES = 'src/lib/server/geo/reference/gers/communes-32-gers.geojson';

describe.skipIf(skipReason !== null)('a fresh machine shows the map and the geography', () => {
	const demo = useDemoServer();

	async function visitor(): Promise<Page> {
		const context = await demo.browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
		demo.contexts.push(context);
		return context.newPage();
	}

	test('the seed used the bundled files, and /map draws the outlines of the 458 Gers communes', async () => {
		expect(demo.server.output()).not.toMatch(/Commune outlines not loaded/);
		const page = await visitor();
		const response = await page.goto(`${demo.url}/map?lang=en`);
		expect(response?.status()).toBe(200);
		expect(await page.content()).not.toContain('The map is not available yet');
		const codes = await page
			.locator('[data-testid="map-svg"] [data-code]')
			.evaluateAll((shapes) => new Set(shapes.map((p) => p.getAttribute('data-code'))).size);
		expect(codes).toBe(458);
		// The shapes are drawn from one file, cacheable for ever under its version: 458 paths in it.
		const href = await page.locator('[data-testid="map-svg"] use[data-code]').first().getAttribute('href');
		const file = await page.request.get(`${demo.url}${href!.split('#')[0]}`);
		expect(file.status()).toBe(200);
		expect(file.headers()['content-type']).toMatch(/^image\/svg\+xml/);
		expect(file.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
		expect(((await file.text()).match(/<path id="c\d{5}"/g) ?? []).length).toBe(458);
		const etag = file.headers()['etag'];
		const again = await page.request.get(`${demo.url}${href!.split('#')[0]}`, {
			headers: { 'if-none-match': etag }
		});
		expect(again.status()).toBe(304);
		// The page carries neither the outlines nor their coordinates in its hydration data.
		expect(await page.content()).not.toContain('"coordinates"');
	});

	test('/villages?km=40 lists the villages within 40 km of Toulouse, fewer than without the filter', async () => {
		const page = await visitor();
		await page.goto(`${demo.url}/villages?lang=en`);
		const all = await page.locator('ul.cards > li').count();
		await page.goto(`${demo.url}/villages?km=40&lang=en`);
		const near = await page.locator('ul.cards > li').count();
		console.log(`villages: ${all} partners, ${near} within 40 km`);
		expect(near).toBeGreaterThan(0);
		expect(near).toBeLessThan(all);
		await expect(page.locator('#f-km').inputValue()).resolves.toBe('40');
		for (const path of ['/offers?km=60&lang=en', '/offers?km=100&lang=en']) {
			await page.goto(`${demo.url}${path}`);
			expect(await page.locator('ul.cards > li').count(), path).toBeGreaterThan(0);
			await expect(page.getByTestId('distance-unavailable').count()).resolves.toBe(0);
		}
		await page.goto(`${demo.url}/directory?near=32013&km=25&lang=en`);
		expect(await page.locator('.directory-list > li').count()).toBeGreaterThan(0);

		const first = await page
			.goto(`${demo.url}/villages?lang=en`)
			.then(() => page.locator('ul.cards > li a[href^="/villages/"]').first().getAttribute('href'));
		await page.goto(`${demo.url}${first}?lang=en`);
		expect(await page.locator('[data-testid="map-svg"] path').count()).toBeGreaterThan(3);
	});

	test('the geography page shows distances, verdicts and Moran’s I, with no import hint', async () => {
		const page = await demo.signIn('admin@demo.soho.example', {
			locale: 'en'
		});
		const response = await page.goto(`${demo.url}/backoffice/observatory/geography`);
		expect(response?.status()).toBe(200);
		const text = await page.locator('main').innerText();
		expect(text).toMatch(/Installations are|Too few installations/);
		expect(text).toMatch(/\d+(\.\d)? km/);
		expect(text).toMatch(
			/Installation rates cluster|Installation rates are dispersed|No significant clustering/
		);
		expect(text).toContain("Moran's I");
		expect(text).not.toMatch(/not imported yet|no outline yet/);
		await expect(page.locator('main svg path').count()).resolves.toBeGreaterThan(400);
		await screenshot(page, 'reference-geography-admin');
	});

	test('admins read what the territory holds; an outline file of another département is refused, the Gers one imported', async () => {
		const advisor = await demo.signIn('advisor@demo.soho.example', { locale: 'en' });
		const refused = await advisor.goto(`${demo.url}/backoffice/territory`);
		expect(refused?.status()).toBe(403);

		const page = await demo.signIn('admin@demo.soho.example', {
			locale: 'en'
		});
		await page.goto(`${demo.url}/backoffice`);
		await expect(page.locator('a[href="/backoffice/territory"]').count()).resolves.toBeGreaterThan(0);
		await page.goto(`${demo.url}/backoffice/territory`);
		const status = await page.locator('main').innerText();
		expect(status).toContain('458 communes of the official geographic code');
		expect(status).toContain('458 of 458 have an outline');
		expect(status).toContain('458 of 458 have their urban area and canton');
		expect(status).toContain('Nothing is missing');

		await page.locator('#outlines-file').setInputFiles({
			name: 'toulouse.geojson',
			mimeType: 'application/geo+json',
			buffer: Buffer.from(
				JSON.stringify({
					type: 'FeatureCollection',
					features: [
						{
							type: 'Feature',
							properties: { code: '31555', nom: 'Toulouse' },
							geometry: {
								type: 'Polygon',
								coordinates: [
									[
										[1.35, 43.55],
										[1.5, 43.55],
										[1.5, 43.67],
										[1.35, 43.55]
									]
								]
							}
						}
					]
				})
			)
		});
		await page.getByRole('button', { name: 'Import the outlines' }).click();
		await expect(page.locator('#outlines-file-error').innerText()).resolves.toMatch(
			/Outline file: toulouse\.geojson holds no commune of the programme’s territory \(départements in the file: 31/
		);
		await expect(page.locator('#outlines-file').getAttribute('aria-invalid')).resolves.toBe('true');

		await page.locator('#outlines-file').setInputFiles(GERS_OUTLINES);
		await page.getByRole('button', { name: 'Import the outlines' }).click();
		const report = await page.getByTestId('outlines-report').innerText();
		expect(report).toContain('458 communes have an outline from communes-32-gers.geojson');
		expect(report).toContain('4 former communes merged');
		expect(report).toContain('Every commune of these départements has an outline');

		await page.getByRole('button', { name: 'Import the shipped data' }).click();
		await expect(page.getByTestId('bundled-report').innerText()).resolves.toContain(
			'Shipped data imported (32): 458 communes with an outline, 458 communes described by INSEE.'
		);
		await screenshot(page, 'reference-territory-admin');
	});

	test('with JavaScript, the upload shows its progress and then the same report', async () => {
		const page = await demo.signIn('admin@demo.soho.example', {
			locale: 'fr',
			javaScript: true
		});
		await page.goto(`${demo.url}/backoffice/territory`);
		// Once hydrated, the form sends itself with a progress bar.
		await page.locator('form[action="?/outlines"][data-enhanced="true"]').waitFor();
		// The server answers after a pause, so the bar can be seen.
		await page.route(
			(url) => url.pathname === '/backoffice/territory' && url.search === '?/outlines',
			async (route) => {
				await new Promise((resolve) => setTimeout(resolve, 1500));
				await route.continue();
			}
		);
		await page.locator('#outlines-file').setInputFiles({
			name: 'communes-32-gers.geojson',
			mimeType: 'application/geo+json',
			buffer: readFileSync(GERS_OUTLINES)
		});
		const progressSeen = page
			.waitForSelector('form[action="?/outlines"] progress', { timeout: 10_000 })
			.then(() => true)
			.catch(() => false);
		await page.getByRole('button', { name: 'Importer les contours' }).click();
		await expect(progressSeen).resolves.toBe(true);
		await page.getByTestId('outlines-report').waitFor();
		const report = await page.getByTestId('outlines-report').innerText();
		// Second import of the same file: nothing changes, and the report says so.
		expect(report).toMatch(/458 communes ont un contour .*0 mis à jour, 458 déjà à jour/);
		expect(page.url()).toBe(`${demo.url}/backoffice/territory`);
		await expectNoAxeViolations(page);
	});
});
