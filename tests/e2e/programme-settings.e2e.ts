import { describe, expect, test } from 'vitest';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

/**
 * Issue 11, item 5 (programme settings): the demo admin fills the legal notice and sees it on
 * /legal, writes the French home title and sees it on /, renames a stage and sees it on the case
 * board; a colour too light is refused with a message naming the field. Without JavaScript.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e programme settings skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('programme settings', () => {
	const demo = useDemoServer();

	test('the admin fills the legal notice, the home title and a stage name, and the public pages show them', async () => {
		const page = await demo.signIn('admin@demo.soho.example');

		// The demo's legal notice is fictitious and says so.
		await page.goto(`${demo.url}/legal`);
		await expect
			.poll(() => page.locator('#publisher').textContent())
			.toContain('Chambre de commerce fictive du Gers (démonstration)');

		// A field emptied: the notice says neutrally what is missing, and the admin gets a link to fill it.
		await page.goto(`${demo.url}/backoffice/settings#legal`);
		const legal = page.locator('#legal form');
		await legal.getByLabel('Immatriculation (SIREN, RCS…)').fill('');
		await legal.getByRole('button', { name: 'Enregistrer' }).click();
		await page.waitForLoadState();
		await expect.poll(() => page.locator('#legal').textContent()).toContain('Modifications enregistrées.');
		await page.goto(`${demo.url}/legal`);
		await expect.poll(() => page.locator('#publisher').textContent()).toContain('Non renseigné');
		await page.getByRole('link', { name: 'Compléter dans les paramètres' }).first().click();
		await page.waitForURL('**/backoffice/settings**');

		await legal.getByLabel('Éditeur (dénomination)').fill('Chambre de commerce et d’industrie du Gers');
		await legal.getByLabel('Adresse de l’éditeur').fill('Place Jean David, 32000 Auch');
		await legal.getByLabel('Immatriculation (SIREN, RCS…)').fill('SIREN 183 200 017');
		await legal.getByLabel('Directeur ou directrice de la publication').fill('Anne Martin');
		await legal.getByLabel('Hébergeur (nom)').fill('Hébergeur Exemple SAS');
		await legal.getByLabel('Hébergeur (adresse, téléphone)').fill('1 quai de la Donnée, 59100 Roubaix');
		await legal.getByRole('button', { name: 'Enregistrer' }).click();
		await page.waitForLoadState();
		await expect.poll(() => page.locator('#legal').textContent()).toContain('Modifications enregistrées.');

		await page.goto(`${demo.url}/legal`);
		const publisher = await page.locator('#publisher').textContent();
		expect(publisher).toContain('Chambre de commerce et d’industrie du Gers');
		expect(publisher).toContain('SIREN 183 200 017');
		expect(await page.locator('#host').textContent()).toContain('Hébergeur Exemple SAS');
		expect(await page.locator('main').textContent()).not.toContain('Non renseigné');

		// The home page's French title.
		await page.goto(`${demo.url}/backoffice/settings#texts`);
		const texts = page.locator('#texts form');
		await texts.getByLabel('Titre de la page d’accueil (français)').fill('Vivre et travailler dans le Gers');
		await texts.getByLabel('Introduction de la page d’accueil (français)').fill('Un accueil **sur mesure**.');
		await texts.getByRole('button', { name: 'Enregistrer' }).last().click();
		await page.waitForLoadState();
		await expect.poll(() => page.locator('#texts').textContent()).toContain('Modifications enregistrées.');
		await page.goto(`${demo.url}/?lang=fr`);
		expect(await page.locator('h1').textContent()).toBe('Vivre et travailler dans le Gers');
		expect(await page.locator('.hero-lead strong').textContent()).toBe('sur mesure');

		// A stage renamed shows on the case board.
		await page.goto(`${demo.url}/backoffice/settings#pipeline`);
		const pipeline = page.locator('#pipeline form');
		await pipeline.locator('#stage-1-fr').fill('Projet validé ensemble');
		await pipeline.getByRole('button', { name: 'Enregistrer' }).last().click();
		await page.waitForLoadState();
		await expect.poll(() => page.locator('#pipeline').textContent()).toContain('Modifications enregistrées.');
		await page.goto(`${demo.url}/backoffice/cases/board`);
		expect(await page.locator('#column-qualified').textContent()).toContain('Projet validé ensemble');
		await screenshot(page, 'programme-settings-board');

		// Bad input: a primary colour too light for white text.
		await page.goto(`${demo.url}/backoffice/settings#identity`);
		const identity = page.locator('#identity form').first();
		await identity.getByLabel('Couleur principale (boutons, liens), sous texte blanc').fill('#f3c969');
		await identity.getByRole('button', { name: 'Enregistrer' }).click();
		await page.waitForLoadState();
		expect(await page.locator('#identity').textContent()).toContain('Contraste insuffisant');
		await screenshot(page, 'programme-settings-identity-error');
	}, 120_000);

	test('the settings page has no accessibility violation', async () => {
		const page = await demo.signIn('admin@demo.soho.example', {
			javaScript: true
		});
		await page.goto(`${demo.url}/backoffice/settings`);
		await expectNoAxeViolations(page);
		await screenshot(page, 'programme-settings');
	}, 60_000);

	test('an advisor has no settings entry and is refused the page', async () => {
		const page = await demo.signIn('advisor@demo.soho.example');
		await page.goto(`${demo.url}/backoffice`);
		expect(await page.getByRole('link', { name: 'Paramètres' }).count()).toBe(0);
		const response = await page.goto(`${demo.url}/backoffice/settings`);
		expect(response?.status()).toBe(403);
	}, 60_000);
});
