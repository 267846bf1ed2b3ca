import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

/**
 * The accompaniment journey of issue "Back office", on the demo programme, through the browser
 * only: a household applies on the web; the advisor qualifies the lead and targets a partner
 * village; the village's committee member signs in, sees only that case among the households
 * that share with them, and records a visit; the advisor refers the partner to the employment
 * service, whose partner account accepts and records the outcome; the advisor moves the case to
 * installed with commune and date; the timeline shows every step.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e accompaniment journey skipped: ${skipReason}`);

const VILLAGE = 'Simorre'; // one of the demo committee member's villages

describe.skipIf(skipReason !== null)('accompaniment journey, from web lead to installation', () => {
	const demo = useDemoServer();

	async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
		const context = await demo.browser.newContext({
			locale: 'fr-FR',
			viewport: { width: 1280, height: 900 },
			...options
		});
		demo.contexts.push(context);
		return context.newPage();
	}

	const signIn = (email: string): Promise<Page> => demo.signIn(email, { javaScript: true });

	async function moveTo(page: Page, stage: string) {
		await page.getByLabel('Nouvelle étape').selectOption(stage);
		await page.getByRole('button', { name: 'Changer d’étape' }).click();
	}

	test('web lead → qualified → committee visit → referral closed by the partner → installed, every step on the timeline', async () => {
		// 1. A household applies on the portal (English visitor), sharing with committees and partners.
		const lastName = `Parcours-${Date.now().toString(36)}`;
		const visitor = await newPage();
		await visitor.goto(`${demo.url}/apply?lang=en`);
		await visitor.getByLabel('First name').fill('Hélène');
		await visitor.getByLabel('Last name').fill(lastName);
		await visitor.locator('#apply-email').fill(`${lastName.toLowerCase()}@example.nl`);
		await visitor.getByLabel('I am coming with my partner').check();
		await visitor.getByLabel('Your partner’s profession').fill('Nurse');
		await visitor.getByLabel('My partner will look for a job locally').check();
		await visitor.getByLabel('Profession', { exact: true }).fill('Graphic designer');
		await visitor.getByLabel('Status', { exact: true }).selectOption('freelancer');
		await visitor.getByLabel('In 6 to 12 months').check();
		await visitor.getByLabel('Not sure').check();
		await visitor.getByLabel(/I agree that a programme advisor contacts me/).check();
		await visitor.getByLabel(/welcome committees of the villages/).check();
		await visitor.getByLabel(/shared with the programme’s partners/).check();
		await visitor.getByRole('button', { name: 'Send my application' }).click();
		// The application writes the case, its household, consents, account and mail: slow on a loaded CI machine.
		await visitor.waitForURL('**/apply/thanks**', { timeout: 90_000 });

		// 2. The advisor finds the lead, qualifies it and targets the partner village.
		const advisor = await signIn('advisor@demo.soho.example');
		await advisor.goto(`${demo.url}/backoffice/cases?q=${encodeURIComponent(lastName)}`);
		await Promise.all([
			advisor.waitForURL(/\/backoffice\/cases\/cas_/),
			advisor
				.getByRole('link', { name: new RegExp(lastName) })
				.first()
				.click()
		]);
		const caseUrl = advisor.url().split('?')[0];
		await moveTo(advisor, 'qualified');
		await advisor.getByText('Étape changée.').waitFor();
		// The target villages' picker is folded under the project's facts.
		await advisor.getByText('Changer les villages ciblés').click();
		await advisor.getByRole('checkbox', { name: VILLAGE }).check();
		await advisor.getByRole('button', { name: 'Enregistrer les villages' }).click();
		await advisor.waitForLoadState();
		await expectNoAxeViolations(advisor);

		// 3. The committee member of the village sees that case (and only households that target
		// their villages and share with them), records a visit.
		const committee = await signIn('committee@demo.soho.example');
		await committee
			.getByRole('link', { name: new RegExp(`Hélène ${lastName}`) })
			.first()
			.waitFor();
		await committee.goto(`${demo.url}/backoffice/cases`);
		const listed = await committee.locator('table a[href^="/backoffice/cases/cas_"]').allTextContents();
		expect(listed.some((name) => name.includes(lastName))).toBe(true);
		// A case that does not target their villages is not found.
		const otherCase = await advisor.evaluate(async () => {
			const response = await fetch('/backoffice/cases?stage=abandoned');
			const html = await response.text();
			return /\/backoffice\/cases\/(cas_[a-z0-9]+)/.exec(html)?.[1] ?? null;
		});
		expect(otherCase).not.toBeNull();
		const refused = await committee.goto(`${demo.url}/backoffice/cases/${otherCase}`);
		expect(refused?.status()).toBe(404);
		// After hydration: hydrating the page sets the <details> back to its server state (closed).
		await committee.goto(caseUrl, { waitUntil: 'networkidle' });
		await committee.locator('details.add-activity > summary').click();
		await committee.getByLabel('Type').selectOption('visit');
		await committee.getByLabel('Résumé').fill('Visite du village et de la maison de la place');
		await committee.getByRole('button', { name: 'Ajouter à l’historique' }).click();
		await committee.getByText('Ajouté à l’historique.').first().waitFor();
		await expectNoAxeViolations(committee);

		// 4. The advisor refers the partner to the employment service.
		await advisor.goto(caseUrl);
		await advisor.getByRole('link', { name: 'Orienter vers un partenaire' }).click();
		await advisor.waitForURL('**/referrals/new');
		const personSelect = advisor.getByLabel('Personne orientée');
		// The household's partner (entered without a name on the web form: "— (Conjoint·e)").
		const partnerValue = await personSelect
			.locator('option', { hasText: 'Conjoint·e' })
			.first()
			.getAttribute('value');
		expect(partnerValue).toMatch(/^per_/);
		await personSelect.selectOption(partnerValue!);
		await advisor.getByLabel('Besoin').selectOption('job_search');
		await advisor
			.getByLabel('Organisation partenaire')
			.selectOption({ label: 'Service public de l’emploi, agence d’Auch (démo)' });
		await advisor.getByLabel('Message à l’organisation').fill('Infirmière, cherche un poste à Auch.');
		await advisor.getByRole('button', { name: 'Envoyer l’orientation' }).click();
		await advisor.waitForURL(/\/backoffice\/referrals\/ref_\w+\?created=1/);
		const referralUrl = advisor.url().split('?')[0];

		// 5. The employment service's partner accepts and records the outcome.
		const partner = await signIn('emploi@demo.soho.example');
		await partner.goto(referralUrl);
		const shared = (await partner.locator('main').textContent()) ?? '';
		expect(shared).toContain('Infirmière, cherche un poste à Auch.');
		expect(shared).not.toContain(lastName.toUpperCase() + '@');
		await partner.getByRole('button', { name: 'Accepter l’orientation' }).click();
		await partner.getByText('Orientation acceptée.').waitFor();
		await partner.locator('select[name="outcome"]').selectOption('achieved');
		await partner.getByLabel('Commentaire').fill('Contrat au centre hospitalier d’Auch.');
		await partner.getByRole('button', { name: 'Enregistrer le résultat' }).click();
		await partner.getByText('Résultat enregistré.').waitFor();

		// 6. The advisor moves the case on to installed, with the commune and the date.
		await advisor.goto(caseUrl);
		await moveTo(advisor, 'discovery_visit');
		await advisor.waitForLoadState();
		await advisor.goto(caseUrl);
		await moveTo(advisor, 'installing');
		await advisor.waitForLoadState();
		await advisor.goto(caseUrl);
		await advisor.getByLabel('Nouvelle étape').selectOption('installed');
		await advisor.getByLabel('Commune d’installation').selectOption({ label: VILLAGE });
		await advisor.getByLabel('Date d’installation').fill('2026-11-20');
		await advisor.getByRole('button', { name: 'Changer d’étape' }).click();
		await advisor.waitForLoadState();

		// 7. The timeline tells the whole story.
		await advisor.goto(caseUrl);
		const timeline = (await advisor.locator('section[aria-labelledby="timeline-title"]').textContent()) ?? '';
		for (const step of [
			'Candidature',
			'Qualifié',
			`Comité de ${VILLAGE} prévenu`,
			'Visite du village et de la maison de la place',
			'Orientation vers Service public de l’emploi, agence d’Auch (démo)',
			'a accepté l’orientation',
			'a enregistré le résultat de l’orientation : Objectif atteint',
			'Séjour découverte',
			'Installé'
		]) {
			expect(timeline, `timeline lacks "${step}"`).toContain(step);
		}
		const header = (await advisor.locator('header.case-header').textContent()) ?? '';
		expect(header).toContain('Installé');
		await expectNoAxeViolations(advisor);
		await screenshot(advisor, 'journey-installed-timeline');
	}, 240_000); // seven steps by four people in one test: more than the default 120 s on a loaded machine
});
