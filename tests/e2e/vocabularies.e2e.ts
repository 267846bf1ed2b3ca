import { describe, expect, test } from 'vitest';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e vocabularies skipped: ${skipReason}`);

/**
 * Controlled vocabularies on the seeded demo: an advisor enters a case whose sector (or origin)
 * is "Other" with the candidate's words, finds those words on the vocabularies page and maps them
 * to a value of the list; the case then shows that sector, and the observatory counts the origin
 * in its region. Other roles cannot open the page.
 */
describe.skipIf(skipReason !== null)('back office: mapping the texts typed as "other"', () => {
	const demo = useDemoServer();

	test('an advisor maps a sector typed as "other" to a sector of the list, without JavaScript', async () => {
		const advisor = await demo.signIn('advisor@demo.soho.example', { javaScript: false });
		await advisor.goto(demo.url + '/backoffice/cases/new');
		await advisor.locator('input[name="firstName"]').fill('Vera');
		await advisor.locator('input[name="lastName"]').fill('Vocabulaire-Test');
		await advisor.getByLabel('Secteur', { exact: true }).selectOption('other');
		await advisor.getByLabel('Autre secteur (préciser)').fill('Sommellerie itinérante');
		await advisor.getByRole('button', { name: 'Créer le dossier' }).click();
		await advisor.waitForURL(/\/backoffice\/cases\/cas_[a-z0-9]+\?created=1/);
		const caseUrl = advisor.url().split('?')[0];
		await advisor.getByText('Autre : Sommellerie itinérante').first().waitFor();

		await advisor.goto(demo.url + '/backoffice/vocabularies');
		await advisor.getByRole('heading', { name: 'Vocabulaires : secteurs, statuts et origines' }).waitFor();
		const row = advisor.getByRole('row').filter({ hasText: 'Sommellerie itinérante' });
		await expect(row.count()).resolves.toBe(1);
		await row.getByLabel('Valeur pour « Sommellerie itinérante »').selectOption('commerce');
		await row.getByRole('button', { name: 'Rattacher' }).click();
		await advisor
			.getByText('« Sommellerie itinérante » est maintenant « Commerce » pour 1 personne.')
			.first()
			.waitFor();
		await expect(
			advisor.getByRole('row').filter({ hasText: 'Sommellerie itinérante' }).count()
		).resolves.toBe(0);
		await screenshot(advisor, 'vocabularies-fr');

		await advisor.goto(caseUrl);
		await advisor.getByText('Vocabulaire-Test').first().waitFor();
		await expect(advisor.getByText('Autre : Sommellerie itinérante').count()).resolves.toBe(0);
		await advisor.getByText('Commerce', { exact: false }).first().waitFor();
	});

	test('an advisor maps an origin typed as "other" to a region of the list; the observatory counts it there', async () => {
		const advisor = await demo.signIn('advisor@demo.soho.example', { javaScript: false });
		await advisor.goto(demo.url + '/backoffice/cases/new');
		await advisor.locator('input[name="firstName"]').fill('Oria');
		await advisor.locator('input[name="lastName"]').fill('Origine-Test');
		await advisor.getByLabel('Vient de (région)', { exact: true }).selectOption('other');
		await advisor.getByLabel('Autre origine (préciser)').fill('Atoll des Tuamotu');
		await advisor.getByRole('button', { name: 'Créer le dossier' }).click();
		await advisor.waitForURL(/\/backoffice\/cases\/cas_[a-z0-9]+\?created=1/);
		await advisor.getByText('Autre : Atoll des Tuamotu').first().waitFor();

		// The observatory's origin table: the demo's candidates all come from a region or abroad, so
		// the only "Other" origin is this one; no one comes from overseas yet.
		const year = new Date().getFullYear();
		const profiles = `${demo.url}/backoffice/observatory/profiles?from=${year}&to=${year}`;
		const originRows = () =>
			advisor.locator('section[aria-labelledby="profile-origin"] tbody th[scope="row"]').allTextContents();
		await advisor.goto(profiles);
		const before = await originRows();
		expect(before).toContain('Autre');
		expect(before).not.toContain('Outre-mer (DROM)');

		await advisor.goto(demo.url + '/backoffice/vocabularies');
		const row = advisor
			.locator('section[aria-labelledby="vocabulary-origin"]')
			.getByRole('row')
			.filter({ hasText: 'Atoll des Tuamotu' });
		await expect(row.count()).resolves.toBe(1);
		await row.getByLabel('Valeur pour « Atoll des Tuamotu »').selectOption('overseas');
		await row.getByRole('button', { name: 'Rattacher' }).click();
		await advisor
			.getByText('« Atoll des Tuamotu » est maintenant « Outre-mer (DROM) » pour 1 personne.')
			.first()
			.waitFor();

		// The household now counts under overseas; the "Other" row is gone.
		await advisor.goto(profiles);
		const after = await originRows();
		expect(after).toContain('Outre-mer (DROM)');
		expect(after).not.toContain('Autre');
	});

	test('the page reads in English and passes axe', async () => {
		const admin = await demo.signIn('admin@demo.soho.example', { locale: 'en', javaScript: true });
		await admin.goto(demo.url + '/backoffice/vocabularies');
		await admin.getByRole('heading', { name: 'Vocabularies: sectors, statuses and origins' }).waitFor();
		await admin.getByRole('heading', { name: 'Sectors typed as “Other”' }).waitFor();
		await admin.getByRole('heading', { name: 'Origins typed as “Other”' }).waitFor();
		// The demo's synthetic texts, two spellings of one counted together.
		const polynesia = admin
			.locator('section[aria-labelledby="vocabulary-origin"]')
			.getByRole('row')
			.filter({ hasText: 'Polynésie' });
		await expect(polynesia.count()).resolves.toBe(1);
		await expect(polynesia.getByRole('cell').first().textContent()).resolves.toBe('2');
		await expectNoAxeViolations(admin);
	});

	test('committee members and partners cannot open the page', async () => {
		for (const email of ['committee@demo.soho.example', 'partner@demo.soho.example']) {
			const page = await demo.signIn(email);
			const response = await page.goto(demo.url + '/backoffice/vocabularies');
			expect(response?.status()).toBe(403);
		}
	});
});
