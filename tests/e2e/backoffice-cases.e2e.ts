import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e backoffice cases skipped: ${skipReason}`);

/**
 * The advisors' daily tool on the seeded demo: list, case page, board (with and without
 * JavaScript, by keyboard), my day, and the committee member's narrow view.
 */
describe.skipIf(skipReason !== null)('back office: the advisors’ daily tool', () => {
	const demo = useDemoServer();

	const signIn = (
		email: string,
		{ javaScriptEnabled = true }: { javaScriptEnabled?: boolean } = {}
	): Promise<Page> =>
		demo.signIn(email, { javaScript: javaScriptEnabled, viewport: { width: 1440, height: 900 } });

	const column = (page: Page, stage: string) => page.locator(`section[aria-labelledby="column-${stage}"]`);

	test('an advisor filters the list, opens a case, logs a call and qualifies it; both show on the timeline', async () => {
		const page = await signIn('advisor@demo.soho.example');
		// The dashboard counts the open pipeline.
		await page.getByText('dossiers en cours (avant installation)').first().waitFor();

		// From the back office's menu (the dashboard has its own shortcut to the cases too).
		await page.locator('nav.bo-nav').getByRole('link', { name: 'Dossiers', exact: true }).click();
		await page.waitForURL('**/backoffice/cases');
		await expect(page.locator('h1').textContent()).resolves.toContain('Dossiers d’accompagnement');
		await expectNoAxeViolations(page);
		await screenshot(page, 'backoffice-cases-list');

		await page.getByLabel('Étape').selectOption('contact');
		await page.getByRole('button', { name: 'Filtrer', exact: true }).click();
		await page.waitForURL('**/backoffice/cases?**stage=contact**');
		const rows = page.locator('table.cases tbody tr');
		const count = await rows.count();
		expect(count).toBeGreaterThan(0);
		// Every row is at the first stage.
		const stages = await rows.locator('td .stage-badge').allTextContents();
		expect(new Set(stages.map((s) => s.trim()))).toEqual(new Set(['Premier contact']));

		const first = rows.first().locator('a.case-link');
		const name = (await first.textContent())!.trim();
		await first.click();
		await page.waitForURL(/\/backoffice\/cases\/cas_/);
		await expect(page.locator('h1').textContent()).resolves.toBe(name);
		await expectNoAxeViolations(page);

		// A call, logged from the timeline form.
		await page.getByText('Ajouter un appel, une note, un rendez-vous…').click();
		await page.getByLabel('Type', { exact: true }).selectOption('call');
		await page.getByLabel('Résumé').fill('Rappel : questions sur les écoles');
		await page.getByLabel('Détails').fill('Deux enfants, cherche une école à Simorre.');
		await page.getByRole('button', { name: 'Ajouter à l’historique' }).click();
		await page.getByText('Ajouté à l’historique.').first().waitFor();

		// Then qualified, through the stage form.
		await page.getByLabel('Nouvelle étape').selectOption('qualified');
		await page.getByRole('button', { name: 'Changer d’étape' }).click();
		await page.getByText('Étape changée.').first().waitFor();
		await expect(page.locator('.case-sub .stage-badge').textContent()).resolves.toContain('Qualifié');

		const timeline = page.locator('ol.timeline > li');
		// Newest first: the stage change, then the call. The demo's own entries are left out: a meeting
		// planned in the future tops the timeline, and one seeded the same minute may sit above a call
		// logged at the minute (the form's time has no seconds).
		const entries = (await timeline.allTextContents()).filter(
			(entry) =>
				entry.includes('Premier contact → Qualifié') || entry.includes('Rappel : questions sur les écoles')
		);
		expect(entries).toHaveLength(2);
		expect(entries[0]).toContain('Premier contact → Qualifié');
		expect(entries[0]).toContain('par Julien Dupuy');
		expect(entries[1]).toContain('Rappel : questions sur les écoles');
		expect(entries[1]).toContain('Appel');

		// An illegal move is refused with its reason, and the form keeps what was typed.
		await page.getByLabel('Nouvelle étape').selectOption('contact');
		await page.getByRole('button', { name: 'Changer d’étape' }).click();
		await page.getByText('Indiquez le motif de ce changement.').first().waitFor();
		await screenshot(page, 'backoffice-case-page');
	});

	test('my day lists overdue and today’s tasks; "done" takes one off', async () => {
		const page = await signIn('advisor@demo.soho.example');
		await page.goto(demo.url + '/backoffice/my-day');
		await expect(page.locator('h1').textContent()).resolves.toBe('Ma journée');
		await expectNoAxeViolations(page);
		const buttons = page.getByRole('button', { name: /^Fait/ });
		const before = await buttons.count();
		expect(before).toBeGreaterThan(0);
		const title = (await page.locator('.task-title').first().textContent())!.trim();
		await buttons.first().click();
		await page.getByText(`Tâche faite : ${title}.`).first().waitFor();
		await expect(buttons.count()).resolves.toBe(before - 1);
		await screenshot(page, 'backoffice-my-day');
	});

	test('the board moves a card without JavaScript, and asks commune and date for "installed"', async () => {
		const page = await signIn('advisor@demo.soho.example', { javaScriptEnabled: false });
		await page.goto(demo.url + '/backoffice/cases/board');
		const card = column(page, 'contact').locator('li.case-card').first();
		const reference = (await card.locator('.card-ref').textContent())!.trim();
		await card.locator('select[name="stage"]').selectOption('qualified');
		await card.getByRole('button', { name: /Déplacer/ }).click();
		await page.waitForLoadState();
		await page.getByText(`${reference} est passé à l’étape « Qualifié ».`).first().waitFor();
		await expect(
			column(page, 'qualified').locator('.card-ref', { hasText: reference }).count()
		).resolves.toBe(1);
		await expect(column(page, 'contact').locator('.card-ref', { hasText: reference }).count()).resolves.toBe(
			0
		);

		// "Installed" needs the commune and the date: the stage form asks for them.
		const installing = column(page, 'installing').locator('li.case-card').first();
		const installingRef = (await installing.locator('.card-ref').textContent())!.trim();
		await installing.locator('select[name="stage"]').selectOption('installed');
		await installing.getByRole('button', { name: /Déplacer/ }).click();
		await page.waitForURL(/\/stage\?to=installed/);
		await expect(page.locator('h1').textContent()).resolves.toContain('« Installé »');
		await page.getByRole('button', { name: 'Changer d’étape' }).click();
		await page.getByText('Indiquez la commune d’installation.').first().waitFor();
		await page.getByText('Indiquez la date d’installation.').first().waitFor();
		const commune = page.getByLabel('Commune d’installation');
		const firstCode = await commune.locator('option:not([value=""])').first().getAttribute('value');
		await commune.selectOption(firstCode!);
		await page.getByLabel('Date d’installation').fill('2026-01-15');
		await page.getByRole('button', { name: 'Changer d’étape' }).click();
		await page.waitForURL('**/backoffice/cases/board**');
		await expect(
			column(page, 'installed').locator('.card-ref', { hasText: installingRef }).count()
		).resolves.toBe(1);
	});

	test('the board moves a card with the keyboard (focus kept) and by drag and drop, and passes axe', async () => {
		const page = await signIn('advisor@demo.soho.example');
		await page.goto(demo.url + '/backoffice/cases/board');
		await page.waitForSelector('li.case-card[draggable="true"]');
		await expectNoAxeViolations(page);
		await screenshot(page, 'backoffice-cases-board');

		// Keyboard: focus the card's stage list, pick the next stage, Tab to "Move", Enter.
		const card = column(page, 'qualified').locator('li.case-card').first();
		const id = (await card.getAttribute('id'))!.replace('card-', '');
		const reference = (await card.locator('.card-ref').textContent())!.trim();
		const select = page.locator(`#move-${id}`);
		await select.focus();
		await expect(select.inputValue()).resolves.toBe('contact');
		await page.keyboard.press('ArrowDown');
		await expect(select.inputValue()).resolves.toBe('discovery_visit');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		await page.waitForFunction(
			(caseId) =>
				document
					.querySelector('section[aria-labelledby="column-discovery_visit"]')
					?.querySelector(`#card-${caseId}`) !== null,
			id
		);
		// The focus follows the card into its new column, and the move is announced.
		await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(`move-${id}`);
		await expect(page.locator('[role="status"][aria-live="polite"]').textContent()).resolves.toContain(
			`${reference} est passé à l’étape « Séjour découverte ».`
		);

		// Drag and drop (the browser's drag events, dispatched as a mouse would): back two
		// stages is illegal, and the board says why.
		const drag = (stage: string) =>
			page.evaluate(
				({ caseId, stage }) => {
					const dataTransfer = new DataTransfer();
					const card = document.getElementById(`card-${caseId}`)!;
					const target = document.querySelector(`section[aria-labelledby="column-${stage}"]`)!;
					card.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer }));
					target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer }));
					target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer }));
					card.dispatchEvent(new DragEvent('dragend', { bubbles: true, dataTransfer }));
				},
				{ caseId: id, stage }
			);
		await drag('contact');
		await page.getByText(`${reference} n’a pas changé d’étape`).first().waitFor();
		await page.getByText('Ce changement d’étape n’est pas possible').first().waitFor();
		// A legal drop moves it.
		await drag('installing');
		await page.waitForFunction(
			(caseId) =>
				document
					.querySelector('section[aria-labelledby="column-installing"]')
					?.querySelector(`#card-${caseId}`) !== null,
			id
		);
	});

	test('a committee member sees only the consenting cases of their villages, and not found elsewhere', async () => {
		const advisor = await signIn('advisor@demo.soho.example');
		const committee = await signIn('committee@demo.soho.example');
		await committee.goto(demo.url + '/backoffice/cases');
		await expectNoAxeViolations(committee);
		const seen = await committee.locator('table.cases tbody tr .reference').allTextContents();
		const villages = await committee
			.locator('select[name="village"] option:not([value=""])')
			.evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
		expect(villages.length).toBeGreaterThan(0);
		// Counted against the demo, through the advisor's list of the cases targeting those villages:
		// the committee sees exactly those whose household agreed to share with committees.
		const targeting = new Set<string>();
		for (const village of villages) {
			await advisor.goto(`${demo.url}/backoffice/cases?village=${village}`);
			for (const reference of await advisor.locator('table.cases tbody tr .reference').allTextContents()) {
				targeting.add(reference.trim());
			}
		}
		expect(seen.length).toBeGreaterThan(0);
		expect(seen.every((reference) => targeting.has(reference.trim()))).toBe(true);
		await advisor.goto(`${demo.url}/backoffice/cases`);
		const total = Number(
			(await advisor.locator('table.cases caption').textContent())!
				.match(/(\d[\d\s\u202f]*) dossiers/)![1]
				.replace(/\D/g, '')
		);
		expect(seen.length).toBeLessThan(total);
		// Their case page: the committee view, no stage change, no tasks.
		await committee.locator('a.case-link').first().click();
		await committee.waitForURL(/\/backoffice\/cases\/cas_/);
		await committee.getByText('Vue du comité d’accueil').first().waitFor();
		await expect(committee.getByLabel('Nouvelle étape').count()).resolves.toBe(0);
		await expect(committee.getByRole('heading', { name: 'Tâches' }).count()).resolves.toBe(0);
		// Another case's address answers 404.
		const other = await advisor.locator('table.cases tbody tr').evaluateAll(
			(rows, visible) => {
				for (const row of rows) {
					const reference = row.querySelector('.reference')?.textContent?.trim();
					const href = row.querySelector('a.case-link')?.getAttribute('href');
					if (reference && href && !visible.includes(reference)) return href;
				}
				return null;
			},
			seen.map((reference) => reference.trim())
		);
		expect(other).toBeTruthy();
		const response = await committee.goto(demo.url + other);
		expect(response?.status()).toBe(404);
	});
});
