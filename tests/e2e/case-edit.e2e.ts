import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e case editing skipped: ${skipReason}`);

/**
 * Editing a case file on the seeded demo: an advisor opens a lead, edits a person and the
 * project, targets a partner village; that village's committee member finds the case on
 * their dashboard and records a visit proposing an offer; an admin reads the history.
 */
describe.skipIf(skipReason !== null)('back office: editing a case, committees and history', () => {
	const demo = useDemoServer();

	const signIn = (
		email: string,
		{ javaScriptEnabled = true }: { javaScriptEnabled?: boolean } = {}
	): Promise<Page> =>
		demo.signIn(email, { javaScript: javaScriptEnabled, viewport: { width: 1440, height: 900 } });

	test('advisor edits, targets a village; the committee member sees the case and records a visit with an offer; the admin reads the history', async () => {
		// Without JavaScript: every form works as plain HTML.
		const advisor = await signIn('advisor@demo.soho.example', { javaScriptEnabled: false });
		await advisor.goto(demo.url + '/backoffice/cases/new');
		await advisor.locator('input[name="firstName"]').fill('Zoé');
		await advisor.locator('input[name="lastName"]').fill('Testeuse-Édition');
		await advisor.getByLabel('Partage avec les comités d’accueil des villages visés').check();
		await advisor.getByRole('button', { name: 'Créer le dossier' }).click();
		await advisor.waitForURL(/\/backoffice\/cases\/cas_[a-z0-9]+\?created=1/);
		const caseUrl = advisor.url().split('?')[0];
		const caseId = caseUrl.split('/').pop()!;
		const reference = (await advisor.locator('.case-title .eyebrow').textContent())!.trim();

		// Edit the candidate: a bad email is refused on its field, what was typed is kept.
		await advisor.getByRole('link', { name: 'Modifier Zoé Testeuse-Édition' }).click();
		await advisor.waitForURL(/\/persons\/per_/);
		await advisor.getByLabel('Profession', { exact: true }).fill('Céramiste');
		await advisor.getByLabel('E-mail', { exact: true }).fill('pas-un-email');
		await advisor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
		await advisor.getByText('Rien n’a été enregistré : corrigez les champs signalés.').first().waitFor();
		await expect(advisor.getByLabel('Profession', { exact: true }).inputValue()).resolves.toBe('Céramiste');
		await advisor.getByLabel('E-mail', { exact: true }).fill('zoe.testeuse@example.org');
		await advisor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
		await advisor.waitForURL(`${caseUrl}?updated=1`);
		await advisor.getByText('Dossier enregistré.').first().waitFor();
		await advisor.getByText('Céramiste').first().waitFor();

		// Edit the project; a SIRET with a bad key is refused before installation details.
		await advisor.getByRole('link', { name: 'Modifier le dossier' }).click();
		await advisor.waitForURL(`${caseUrl}/edit`);
		await advisor.getByLabel('Secteur souhaité').fill('Astarac, maison avec atelier');
		await advisor.getByLabel('SIRET de l’activité').fill('732 829 320 00075');
		await advisor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
		await advisor.getByText('Le SIRET compte 14 chiffres et sa clé doit être valide.').first().waitFor();
		await expect(advisor.getByLabel('Secteur souhaité').inputValue()).resolves.toBe(
			'Astarac, maison avec atelier'
		);
		await advisor.getByLabel('SIRET de l’activité').fill('');
		await advisor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
		await advisor.waitForURL(`${caseUrl}?updated=1`);

		// Target Simorre, whose committee the demo committee member sits on.
		// The target villages' picker is folded under the project's facts.
		await advisor.getByText('Changer les villages ciblés').click();
		await advisor.getByRole('checkbox', { name: 'Simorre' }).check();
		await advisor.getByRole('button', { name: 'Enregistrer les villages' }).click();
		await advisor.getByText('Villages ciblés enregistrés.').first().waitFor();
		await advisor.getByText('Comité de Simorre prévenu').first().waitFor();
		await screenshot(advisor, 'case-edit-targeted');

		// The committee member finds the case on their dashboard and opens it.
		const committee = await signIn('committee@demo.soho.example');
		await committee.getByRole('heading', { name: 'Foyers intéressés par vos villages' }).waitFor();
		await committee.getByRole('link', { name: 'Zoé Testeuse-Édition' }).click();
		await committee.waitForURL(`${caseUrl}`);
		await committee.getByText('Vue du comité d’accueil').first().waitFor();
		await expect(committee.getByRole('link', { name: 'Modifier le dossier' }).count()).resolves.toBe(0);
		// Editing is refused with a reason, even by address.
		const refused = await committee.goto(`${caseUrl}/edit`);
		expect(refused?.status()).toBe(403);
		await committee.goto(caseUrl);

		// The committee lists a house of Simorre, then records a visit proposing it.
		await committee.goto(demo.url + '/backoffice/offers/new');
		await committee.getByLabel('Titre en français').fill('Maison du bourg à louer (e2e)');
		await committee.getByLabel('Village propriétaire').selectOption({ label: 'Simorre' });
		await committee.getByLabel(/^Commune/).fill('simorre'); // by name, in lower case: read as 32433
		await committee.getByRole('button', { name: 'Créer', exact: true }).click();
		await committee.waitForURL(/\/backoffice\/offers\/off_[a-z0-9]+\?created=1/);
		await committee.goto(caseUrl);
		await committee.getByText('Noter une rencontre, une visite ou une note').click();
		await committee.getByLabel('Type').selectOption('visit');
		await committee.getByLabel('Résumé').fill('Visite de la maison du bourg');
		const offerTitle = 'Maison du bourg à louer (e2e)';
		await committee.getByLabel('Logement ou local proposé').selectOption({ label: offerTitle });
		await committee.getByRole('button', { name: 'Ajouter à l’historique' }).click();
		await committee.getByText('Ajouté à l’historique.').first().waitFor();
		await committee
			.getByRole('link', { name: `Offre proposée : ${offerTitle}` })
			.first()
			.waitFor();
		await expectNoAxeViolations(committee);
		await screenshot(committee, 'case-edit-committee-visit');

		// The advisor sees the visit; the history is not theirs to read.
		await advisor.goto(caseUrl);
		await advisor.getByText('Visite de la maison du bourg').first().waitFor();
		await expect(advisor.getByRole('link', { name: 'Historique des modifications' }).count()).resolves.toBe(
			0
		);
		const forbidden = await advisor.goto(`${caseUrl}/history`);
		expect(forbidden?.status()).toBe(403);

		// The admin reads who changed what.
		const admin = await signIn('admin@demo.soho.example');
		await admin.goto(caseUrl);
		await admin.getByRole('link', { name: 'Historique des modifications' }).click();
		await admin.waitForURL(`${caseUrl}/history`);
		await expect(admin.locator('h1').textContent()).resolves.toContain(reference);
		const history = await admin.locator('ol.entries').textContent();
		expect(history).toContain('Villages ciblés');
		expect(history).toContain('Simorre');
		expect(history).toContain('Métier');
		expect(history).toContain('Céramiste');
		expect(history).toContain('zoe.testeuse@example.org');
		expect(history).toContain('Astarac, maison avec atelier');
		expect(history).toContain('par Julien Dupuy');
		await expectNoAxeViolations(admin);
		await screenshot(admin, 'case-edit-history');
		expect(caseId).toMatch(/^cas_/);
	});

	test('duplicates: a second entry of the same person is listed, compared side by side and merged; the old address leads to the kept case', async () => {
		const advisor = await signIn('advisor@demo.soho.example');
		const create = async (first: string, last: string, email: string) => {
			await advisor.goto(demo.url + '/backoffice/cases/new');
			await advisor.locator('input[name="firstName"]').fill(first);
			await advisor.locator('input[name="lastName"]').fill(last);
			await advisor.locator('input[name="email"]').fill(email);
			await advisor.getByRole('button', { name: 'Créer le dossier' }).click();
			await advisor.waitForURL(/\/backoffice\/cases\/cas_[a-z0-9]+\?created=1/);
			return advisor.url().split('?')[0];
		};
		const keptUrl = await create('Octave', 'Doublon', 'octave.doublon@example.org');
		const absorbedUrl = await create('Octave', 'DOUBLON', 'octave.doublon@example.org');
		// The edit pages pass axe (this browser runs JavaScript).
		await advisor.goto(`${keptUrl}/edit`);
		await expectNoAxeViolations(advisor);
		await advisor.goto(`${keptUrl}/persons/new`);
		await expectNoAxeViolations(advisor);
		await advisor.goto(demo.url + '/backoffice/cases/duplicates');
		await expectNoAxeViolations(advisor);
		const pair = advisor.locator('li.pair', { hasText: 'Octave' });
		await pair.getByRole('link', { name: 'Comparer et fusionner' }).click();
		await advisor.waitForURL(/\/merge\?with=cas_/);
		await expectNoAxeViolations(advisor);
		await advisor.getByText('Même personne : sera fusionnée').first().waitFor();
		await screenshot(advisor, 'case-merge');
		await advisor.getByRole('button', { name: /^Fusionner .* dans ce dossier$/ }).click();
		await advisor.waitForURL(`${keptUrl}?merged=1`);
		await advisor.getByText('Dossiers fusionnés.').first().waitFor();
		await advisor
			.getByText(/Fusionné avec /)
			.first()
			.waitFor();
		await advisor.goto(absorbedUrl);
		expect(advisor.url()).toBe(keptUrl);
	});
});
