import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

/**
 * Issue 6 (observatory), interfaces: the annual report renders without JavaScript in French and
 * in English with no accessibility violation, says the demo's data are synthetic and prints to
 * PDF; an admin creates a funder's token in the back office, the funder reads the JSON API with
 * it, and once revoked the token is refused.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e observatory report skipped: ${skipReason}`);

const LAST_YEAR = new Date().getUTCFullYear() - 1;

describe.skipIf(skipReason !== null)('observatory report and API', () => {
	const demo = useDemoServer();

	async function signIn(
		email: string,
		locale: 'fr' | 'en' = 'fr',
		{ javaScriptEnabled = false }: { javaScriptEnabled?: boolean } = {}
	): Promise<Page> {
		const options = { locale, javaScript: javaScriptEnabled };
		return demo.signIn(email, options);
	}

	test('the annual report renders without JavaScript in French and in English, accessible, labelled synthetic', async () => {
		const fr = await signIn('admin@demo.soho.example', 'fr');
		const response = await fr.goto(`${demo.url}/backoffice/observatory/report`);
		expect(response?.status()).toBe(200);
		await expect(fr.locator('h1').textContent()).resolves.toBe(`Rapport annuel ${LAST_YEAR}`);
		const text = await fr.locator('main').innerText();
		expect(text).toContain('Données synthétiques');
		expect(text).toContain('Notes de méthode');
		expect(text).not.toContain('NaN');
		expect(text).not.toMatch(/\bundefined\b/);
		// Every registered section has its chapter; figures link to their definitions.
		for (const id of ['flows', 'funnel', 'profiles'])
			await expect(fr.locator(`#section-${id} h2`).count()).resolves.toBe(1);
		await expect(fr.locator('#section-flows svg[role="img"]').count()).resolves.toBeGreaterThan(0);
		await expect(
			fr.locator('#section-flows a[href="/backoffice/observatory/definitions#def-installation"]').count()
		).resolves.toBeGreaterThan(0);
		await fr.emulateMedia({ media: 'print' });
		await expect(fr.locator('.obs-nav').isVisible()).resolves.toBe(false);
		await screenshot(fr, 'observatory-report-fr-print');
		await fr.emulateMedia({ media: 'screen' });

		const bad = await fr.goto(`${demo.url}/backoffice/observatory/report?year=20x5`);
		expect(bad?.status()).toBe(200);
		await expect(fr.locator('main').innerText()).resolves.toContain('une année sur 4 chiffres');

		const en = await signIn('advisor@demo.soho.example', 'en');
		await en.goto(`${demo.url}/backoffice/observatory/report?year=${LAST_YEAR}&lang=en`);
		await expect(en.locator('h1').textContent()).resolves.toBe(`Annual report ${LAST_YEAR}`);
		const english = await en.locator('main').innerText();
		expect(english).toContain('Synthetic data');
		expect(english).toContain('Method notes');
		expect(english).not.toContain('NaN');
		await screenshot(en, 'observatory-report-en');

		// axe-core is a script: it runs in a page with JavaScript on (same server-rendered markup).
		const axe = await signIn('admin@demo.soho.example', 'fr', { javaScriptEnabled: true });
		for (const lang of ['fr', 'en']) {
			await axe.goto(`${demo.url}/backoffice/observatory/report?lang=${lang}`);
			await expectNoAxeViolations(axe);
		}
		await axe.goto(`${demo.url}/backoffice/observatory/tokens?lang=en`);
		await expectNoAxeViolations(axe);
	});

	test('the PDF of the report is printed by headless Chromium with the reader’s session', async () => {
		const page = await signIn('admin@demo.soho.example', 'fr');
		const response = await page
			.context()
			.request.get(`${demo.url}/backoffice/observatory/report/pdf?year=${LAST_YEAR}`, { timeout: 120_000 });
		expect(response.status(), await response.text().catch(() => '')).toBe(200);
		expect(response.headers()['content-type']).toBe('application/pdf');
		const body = await response.body();
		expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(body.length).toBeGreaterThan(10_000);

		// Without a session the PDF sends to the sign-in page, like the report.
		const anonymous = await fetch(`${demo.url}/backoffice/observatory/report/pdf`, { redirect: 'manual' });
		expect(anonymous.status).toBe(303);
	}, 180_000);

	test('an admin creates a funder’s token; the API answers with it, and refuses it once revoked', async () => {
		const admin = await signIn('admin@demo.soho.example', 'en');
		await admin.goto(`${demo.url}/backoffice/observatory/tokens?lang=en`);
		await admin.getByLabel('For whom?').fill('Région Occitanie');
		await admin.getByRole('button', { name: 'Create the token' }).click();
		const token = (await admin.getByTestId('new-token').textContent())?.trim() ?? '';
		expect(token).toMatch(/^soho_obs_/);
		await screenshot(admin, 'observatory-tokens-created');

		const headers = { authorization: `Bearer ${token}`, 'accept-language': 'en' };
		const index = await fetch(`${demo.url}/api/v1/observatory`, { headers });
		expect(index.status).toBe(200);
		const body = await index.json();
		expect(body.programme.synthetic).toBe(true);
		for (const section of body.sections as { name: string; href: string }[]) {
			const answer = await fetch(section.href, { headers });
			expect(answer.status, section.name).toBe(200);
			const json = await answer.json();
			expect(json.section).toBe(section.name);
			expect(json.programme.synthetic).toBe(true);
		}
		const badFilter = await fetch(`${demo.url}/api/v1/observatory/flows?from=20x4`, { headers });
		expect(badFilter.status).toBe(400);
		expect((await badFilter.json()).error).toMatchObject({ field: 'from', code: 'observatory.invalid_from' });
		const unknown = await fetch(`${demo.url}/api/v1/observatory/horoscope`, { headers });
		expect(unknown.status).toBe(404);
		const none = await fetch(`${demo.url}/api/v1/observatory/flows`, {
			headers: { 'accept-language': 'fr' }
		});
		expect(none.status).toBe(401);
		expect((await none.json()).error.message).toContain('Authentification requise');

		await admin.getByRole('button', { name: 'Revoke the token of Région Occitanie' }).click();
		await expect(admin.locator('main').innerText()).resolves.toContain('Token revoked');
		const revoked = await fetch(`${demo.url}/api/v1/observatory/flows`, { headers });
		expect(revoked.status).toBe(401);
		expect((await revoked.json()).error.code).toBe('observatory_api.invalid_token');
	});
});
