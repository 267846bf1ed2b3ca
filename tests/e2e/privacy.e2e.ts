import { describe, expect, test } from 'vitest';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e privacy skipped: ${skipReason}`);

/**
 * GDPR operations on the seeded demo: an admin downloads a demo person's data and erases them
 * (the case page then shows the anonymised person); a member withdraws a consent in their space.
 */
describe.skipIf(skipReason !== null)('privacy: access request, erasure, consents', () => {
	const demo = useDemoServer();

	test('an admin downloads a demo person’s data, erases them, and the case page shows the anonymised person', async () => {
		const admin = await demo.signIn('admin@demo.soho.example', { javaScript: true });
		await admin.goto(`${demo.url}/backoffice/cases`);
		const firstCase = admin.locator('a[href^="/backoffice/cases/cas_"]').first();
		await firstCase.click();
		await admin.waitForURL(/\/backoffice\/cases\/cas_[a-z0-9]+$/);
		const caseUrl = admin.url();
		const name = (await admin.locator('h1').first().textContent())!.trim();
		expect(name.length).toBeGreaterThan(2);

		await admin.getByRole('link', { name: 'Données personnelles (RGPD)' }).click();
		await admin.waitForURL(/\/backoffice\/privacy\/persons\/per_[a-z0-9]+$/);
		const personId = admin.url().split('/').pop()!;
		await admin.getByRole('heading', { name: 'Historique des consentements' }).waitFor();
		await expectNoAxeViolations(admin);

		// The access request, as the page's buttons download it (JSON, then CSV).
		const jsonHref = await admin.getByRole('link', { name: 'Télécharger (JSON)' }).getAttribute('href');
		const json = await admin.request.get(`${demo.url}${jsonHref}`);
		expect(json.status()).toBe(200);
		expect(json.headers()['content-disposition']).toContain('attachment');
		const data = await json.json();
		expect(data.personId).toBe(personId);
		expect(data.tables.persons.map((row: { id: string }) => row.id)).toContain(personId);
		expect(data.tables.cases).toHaveLength(1);
		expect(data.tables.consents.length).toBeGreaterThan(0);
		const csvHref = await admin.getByRole('link', { name: 'Télécharger (CSV)' }).getAttribute('href');
		const csv = await (await admin.request.get(`${demo.url}${csvHref}`)).text();
		expect(csv).toContain('# persons');

		// Erasure: the reason is required, then the person is anonymised.
		await admin.getByLabel('Motif (conservé au registre des effacements)').fill('Demande écrite du 3 juin');
		await admin.getByLabel('Je confirme l’effacement définitif').check();
		await admin.getByRole('button', { name: 'Effacer définitivement' }).click();
		await admin.getByText('La personne a été anonymisée.').first().waitFor();
		await screenshot(admin, 'privacy-person-erased');

		await admin.goto(caseUrl);
		await admin.getByText('[effacé]').first().waitFor();
		await expect(admin.getByText(name, { exact: true }).count()).resolves.toBe(0);
		const after = await (await admin.request.get(`${demo.url}${jsonHref}`)).text();
		for (const part of name.split(/\s+/).filter((word) => word.length >= 3))
			expect(after).not.toContain(part);

		// The data protection page: retention dry run and the register, for the DPO.
		await admin.goto(`${demo.url}/backoffice/privacy`);
		await admin.getByRole('heading', { name: 'Registre des activités de traitement' }).waitFor();
		await admin.locator('tr[data-rule="inactive_leads"]').waitFor();
		await expectNoAxeViolations(admin);
	});

	test('a member withdraws a consent in their space, and the privacy notice states the periods', async () => {
		const member = await demo.signIn('member@demo.soho.example');
		await member.goto(`${demo.url}/member`);
		await member.getByRole('link', { name: 'Mes données personnelles et mes consentements' }).click();
		await member.waitForURL(`${demo.url}/member/privacy`);
		const research = member.locator('li[data-purpose="research"]');
		await research.getByText('En vigueur').waitFor();
		await research.getByRole('button', { name: 'Retirer ce consentement' }).click();
		await member.waitForURL(/\/member\/privacy\?withdrawn=1/);
		await member.getByText('Votre consentement est retiré.').first().waitFor();
		await member.locator('li[data-purpose="research"]').getByText('Retiré', { exact: true }).waitFor();
		await expect(
			member
				.locator('li[data-purpose="research"]')
				.getByRole('button', { name: 'Retirer ce consentement' })
				.count()
		).resolves.toBe(0);
		await screenshot(member, 'privacy-member-withdrawn');
		const own = await member.request.get(`${demo.url}/member/privacy/export?format=json`);
		expect(own.status()).toBe(200);
		expect((await own.json()).tables.consents.length).toBeGreaterThan(0);

		await member.goto(`${demo.url}/privacy`);
		await member
			.getByText('Demandes restées sans suite : anonymisées après 36 mois sans nouvelles.')
			.waitFor();
		await member.getByText('Tentatives de connexion et adresses IP : supprimées après 30 jours.').waitFor();
	});
});
