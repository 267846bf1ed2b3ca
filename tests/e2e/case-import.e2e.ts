import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e case import skipped: ${skipReason}`);

const csv = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

/**
 * An advisor brings in a spreadsheet of past records: a bad row is shown and blocks the
 * import, the fixed file is mapped and imported, the cases appear, and the list exports.
 */
describe.skipIf(skipReason !== null)('back office: importing and exporting cases', () => {
	const demo = useDemoServer();

	const signIn = (email: string): Promise<Page> =>
		demo.signIn(email, { javaScript: true, acceptDownloads: true, viewport: { width: 1440, height: 900 } });

	async function upload(page: Page, name: string, buffer: Buffer) {
		await page.goto(demo.url + '/backoffice/cases/import');
		await page.getByLabel('Fichier CSV ou XLSX').setInputFiles({ name, mimeType: 'text/csv', buffer });
		await page.getByRole('button', { name: 'Lire le fichier' }).click();
		await page.waitForURL(/\/backoffice\/cases\/import\/imp_/);
	}

	test('a bad row blocks the import; the fixed file is mapped, imported, listed and exported', async () => {
		const page = await signIn('advisor@demo.soho.example');
		await page.goto(demo.url + '/backoffice/cases');
		await page.getByRole('link', { name: 'Importer', exact: true }).click();
		await page.waitForURL('**/backoffice/cases/import');
		await expectNoAxeViolations(page);

		// A file without a file: refused next to the field.
		await page.getByRole('button', { name: 'Lire le fichier' }).click();
		await page.getByText('Choisissez un fichier CSV ou XLSX.').waitFor();

		const header = 'Nom;Prénom;Courriel;Étape;Date de contact;Commune d’installation;Date d’installation';
		await upload(
			page,
			'anciens-dossiers.csv',
			csv([
				header,
				'Importée;Zéphirine;zephirine@example.org;installé;12/03/2021;32013;2021-09-01',
				'Importé;Anatole;anatole@example.org;contact;2021-02-30;;'
			])
		);
		await page.getByRole('heading', { name: '1 erreur' }).waitFor();
		const errorRow = page.locator('table.errors tbody tr');
		await expect(errorRow.allTextContents()).resolves.toEqual([
			expect.stringMatching(/^3\s*Date de contact\s*2021-02-30\s*Date invalide/)
		]);
		const confirm = page.getByRole('button', { name: /Importer 1 dossier/ });
		await expect(confirm.isDisabled()).resolves.toBe(true);
		await page.getByText('Import impossible tant qu’une ligne est en erreur').waitFor();
		await expectNoAxeViolations(page);
		await screenshot(page, 'case-import-errors');

		// The fixed file names its stage column "Phase": read as nothing until it is mapped.
		await upload(
			page,
			'anciens-dossiers.csv',
			csv([
				header.replace('Étape', 'Phase du projet'),
				'Importée;Zéphirine;zephirine@example.org;installé;12/03/2021;32013;2021-09-01',
				'Importé;Anatole;anatole@example.org;contact;2021-02-28;;'
			])
		);
		await page.getByText('La correspondance des colonnes est à corriger').waitFor();
		await expect(page.getByRole('button', { name: /Importer 0 dossier/ }).isDisabled()).resolves.toBe(true);
		await page.getByLabel('Phase du projet').selectOption('stage');
		await page.getByRole('button', { name: 'Appliquer et revérifier' }).click();
		await page.getByText('Correspondance enregistrée').waitFor();
		await page.getByRole('heading', { name: 'Aucune erreur : le fichier peut être importé.' }).waitFor();
		await page.getByRole('button', { name: 'Importer 2 dossiers' }).click();
		await page.getByText('2 dossiers créés').waitFor();
		await expectNoAxeViolations(page);

		await page.getByRole('link', { name: 'Voir les dossiers' }).click();
		await page.waitForURL('**/backoffice/cases');
		await page.goto(demo.url + '/backoffice/cases?q=Zéphirine');
		await page.getByRole('link', { name: 'Zéphirine Importée' }).click();
		await page.waitForURL(/\/backoffice\/cases\/cas_/);
		await page.getByText('Importé depuis anciens-dossiers.csv').first().waitFor();

		// The export link carries the list's filters; the file is for French Excel.
		await page.goto(demo.url + '/backoffice/cases?q=Import');
		const href = await page.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href');
		expect(href).toBe('/backoffice/cases/export?q=Import&format=csv');
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: 'Exporter en CSV' }).click()
		]);
		expect(download.suggestedFilename()).toMatch(/^cases-\d{4}-\d{2}-\d{2}\.csv$/);
		const response = await page.request.get(demo.url + href);
		expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
		const body = await response.body();
		expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = body.subarray(3).toString('utf8').trim().split('\r\n');
		expect(lines[0].startsWith('external_id;first_name;last_name;email;')).toBe(true);
		expect(
			lines
				.slice(1)
				.map((line) => line.split(';')[2])
				.sort()
		).toEqual(['Importé', 'Importée']);
	}, 180_000);
});
