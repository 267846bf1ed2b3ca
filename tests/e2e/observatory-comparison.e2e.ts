import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

/**
 * Issue 17, part 3: the comparison of programmes, as the demo's admin finds it. The demo has one
 * programme: before opting in the page explains and offers the opt-in; after it, the page says no
 * other programme has opted in yet and still shows the Gers' own indicators, with charts, a CSV
 * of the table, in French and English, without JavaScript, at a laptop's and a phone's width.
 * Committee members are refused.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e observatory comparison skipped: ${skipReason}`);

const PATH = '/backoffice/observatory/comparison';

/** The document never scrolls sideways (wide tables and charts scroll in their own region). */
async function expectNoPageOverflow(page: Page, width: number): Promise<void> {
	await page.setViewportSize({ width, height: 900 });
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow, `page wider than ${width} px`).toBeLessThanOrEqual(0);
}

describe.skipIf(skipReason !== null)('observatory: comparison of programmes', () => {
	const demo = useDemoServer();

	test('the admin opts in and sees the Gers alone, with its indicators, charts and CSV', async () => {
		const page = await demo.signIn('admin@demo.soho.example', { acceptDownloads: true });
		const before = await page.goto(`${demo.url}${PATH}`);
		expect(before?.status()).toBe(200);
		const explanation = await page.locator('main').innerText();
		expect(explanation).toContain('Votre programme ne participe pas à la comparaison.');
		await expect(page.locator('table.comparison').count()).resolves.toBe(0);
		// The observatory's navigation links to the page.
		await expect(page.locator(`nav.obs-nav a[href^="${PATH}"]`).count()).resolves.toBe(1);

		await page.getByRole('button', { name: 'Participer à la comparaison' }).click();
		await page.waitForURL((url) => url.pathname === PATH && url.searchParams.get('notice') === 'opted_in');
		const text = await page.locator('main').innerText();
		expect(text).toContain('Votre programme participe désormais à la comparaison.');
		expect(text).toContain('Aucun autre programme n’a encore choisi de participer');
		expect(text).not.toContain('NaN');
		expect(text).not.toMatch(/\bundefined\b/);
		// One column: the Gers (the demo programme), said to be synthetic.
		const columns = page.locator('table.comparison thead th[data-programme]');
		await expect(columns.count()).resolves.toBe(1);
		const heading = await columns.first().innerText();
		expect(heading).toContain('(votre programme)');
		expect(heading).toContain('(démonstration, données fictives)');
		// Every indicator has its row, each figure shown or said why not; one chart per indicator.
		await expect(page.locator('table.comparison tbody tr[data-indicator]').count()).resolves.toBe(7);
		const applications = await page.locator('tr[data-indicator="applications"] td').innerText();
		expect(applications).toMatch(/\d/);
		const conversion = await page.locator('tr[data-indicator="conversion"] td').innerText();
		expect(conversion).toMatch(/\d+ %/);
		expect(conversion).toContain('IC 95 %');
		await expect(page.locator('[data-chart] svg[role="img"]').count()).resolves.toBe(7);
		await screenshot(page, 'observatory-comparison-fr');

		for (const width of [1366, 390]) await expectNoPageOverflow(page, width);
		await screenshot(page, 'observatory-comparison-fr-phone');

		const csv = await page.request.get(`${demo.url}${PATH}/csv`);
		expect(csv.status()).toBe(200);
		expect(csv.headers()['content-type']).toContain('text/csv');
		expect(csv.headers()['content-disposition']).toMatch(
			/attachment; filename="comparison-\d{4}-\d{4}\.csv"/
		);
		const lines = (await csv.text())
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe(
			'programme;période;indicateur;état;valeur;unité;borne basse;borne haute;ménages;niveau de confiance'
		);
		expect(lines).toHaveLength(1 + 7);
		const name = heading.split('\n')[0].trim();
		expect(lines.slice(1).every((line) => line.startsWith(`${name};`))).toBe(true);
		const conversionLine = lines.find((line) => line.includes(';Conversion;'));
		expect(conversionLine).toMatch(/;Conversion;;0,\d+;part \(0–1\);0,\d+;0,\d+;\d+;/);
		expect(lines.join('\n')).not.toContain('NaN');
	});

	test('in English, accessible, and the advisor sees it once the programme opted in', async () => {
		const admin = await demo.signIn('admin@demo.soho.example', { locale: 'en', javaScript: true });
		await admin.goto(`${demo.url}${PATH}`);
		const text = await admin.locator('main').innerText();
		expect(text).toContain('Comparison of programmes');
		expect(text).toContain('No other programme has opted in yet');
		expect(text).toContain('Retention at 12 months');
		await expectNoAxeViolations(admin);
		const advisor = await demo.signIn('advisor@demo.soho.example');
		await advisor.goto(`${demo.url}${PATH}`);
		await expect(advisor.locator('table.comparison tbody tr[data-indicator]').count()).resolves.toBe(7);
	});

	test('a committee member is refused the page and the file, and has no link to it', async () => {
		const page = await demo.signIn('committee@demo.soho.example');
		expect((await page.goto(`${demo.url}${PATH}`))?.status()).toBe(403);
		expect((await page.request.get(`${demo.url}${PATH}/csv`)).status()).toBe(403);
		await page.goto(`${demo.url}/backoffice/observatory`);
		await expect(page.locator(`nav.obs-nav a[href^="${PATH}"]`).count()).resolves.toBe(0);
	});
});
