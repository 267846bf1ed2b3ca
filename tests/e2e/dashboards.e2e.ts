import { describe, expect, test } from 'vitest';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e dashboards skipped: ${skipReason}`);

/** Each back-office role lands on its own dashboard (issue 16). */
describe.skipIf(skipReason !== null)('dashboards: the mayor and the partner each see their own', () => {
	const demo = useDemoServer();

	test('the demo mayor sees their villages by name and their households, settled ones folded apart', async () => {
		const mayor = await demo.signIn('committee@demo.soho.example', { javaScript: true });
		expect(new URL(mayor.url()).pathname).toBe('/backoffice');
		const heading = (await mayor.locator('h1').first().textContent()) ?? '';
		expect(heading).toMatch(/Vos villages : .*Simorre/);
		const main = (await mayor.locator('main').textContent()) ?? '';
		expect(main).not.toContain('Bientôt');
		expect(main).not.toContain('Bienvenue dans l');

		const households = mayor.locator('[data-section="households"]');
		await households
			.getByRole('heading', { name: 'Foyers intéressés par vos villages' })
			.waitFor({ timeout: 10_000 });
		const active = households.locator('.stage-group a[href^="/backoffice/cases/"]');
		expect(await active.count()).toBeGreaterThan(0);
		// Active households are grouped under open stages only; installed or gone ones sit in the folded list.
		const stages = await households.locator('.stage-group h3').allTextContents();
		for (const stage of stages) expect(stage).not.toMatch(/Installé|Intégré|Abandon|Parti/);
		// The households are the committee's own: the first one opens in the committee's view.
		const caseHref = (await active.first().getAttribute('href')) ?? '';
		expect(caseHref).toMatch(/^\/backoffice\/cases\/cas_/);
		const opened = await mayor.goto(demo.url + caseHref);
		expect(opened?.status()).toBe(200);
		await mayor.getByText('Vue du comité d’accueil').first().waitFor({ timeout: 10_000 });
		await mayor.goto(demo.url + '/backoffice');
		await screenshot(mayor, 'dashboard-committee');
		await expectNoAxeViolations(mayor);
	});

	test('the demo partner sees their organisation and its waiting referrals first', async () => {
		const partner = await demo.signIn('partner@demo.soho.example', { javaScript: true });
		expect(new URL(partner.url()).pathname).toBe('/backoffice');
		await expect(partner.locator('h1').first().textContent()).resolves.toContain('Gers Coworking (démo)');
		const firstSection = partner.locator('main section').first();
		expect(await firstSection.getAttribute('data-section')).toBe('waiting-referrals');
		await firstSection.getByText(/\d+ orientations? en attente de réponse/).waitFor({ timeout: 10_000 });
		const referrals = firstSection.locator('a[href^="/backoffice/referrals/"]');
		expect(await referrals.count()).toBeGreaterThan(0);
		const main = (await partner.locator('main').textContent()) ?? '';
		expect(main).not.toContain('Bientôt');
		const referralHref = (await referrals.first().getAttribute('href')) ?? '';
		expect(referralHref).toMatch(/^\/backoffice\/referrals\/ref_/);
		expect((await partner.goto(demo.url + referralHref))?.status()).toBe(200);
		await partner.goto(demo.url + '/backoffice');
		await screenshot(partner, 'dashboard-partner');
		await expectNoAxeViolations(partner);
	});

	test('in English, the partner is told which organisation they act for', async () => {
		const partner = await demo.signIn('partner@demo.soho.example', { locale: 'en' });
		const lead = (await partner.locator('main').textContent()) ?? '';
		expect(lead).toContain('You act for Gers Coworking (démo)');
		expect(lead).toMatch(/\d+ referrals? waiting for an answer/);
	});
});
