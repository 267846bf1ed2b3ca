import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useDemoServer, offline, e2eSkipReason, expectNoAxeViolations, screenshot } from './support.ts';

/**
 * The public application (/apply): a candidate makes mistakes, corrects them and applies,
 * receives one confirmation email, and the advisor finds the new case in the back office.
 * The same journey runs with and without JavaScript.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e apply skipped: ${skipReason}`);

const ADVISOR = 'advisor@demo.soho.example';
const REFERENCE = /[A-Z0-9]{1,8}-\d{4}-\d{4,6}/;

const valueOf = (page: Page, selector: string) => page.locator(selector).inputValue();
const isChecked = (page: Page, selector: string) => page.locator(selector).isChecked();

describe.skipIf(skipReason !== null)('applying to the programme', () => {
	const demo = useDemoServer({ mailFrom: 'Programme Gers <contact@gers.example>' });

	for (const javaScriptEnabled of [true, false]) {
		const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
		const suffix = javaScriptEnabled ? 'Js' : 'Nojs';
		const lastName = `Garnier${suffix}`;
		const email = `helene.garnier.${suffix.toLowerCase()}@example.org`;

		test(`a candidate corrects two mistakes, applies, gets one email, and the advisor finds the household (${mode})`, async () => {
			const context = await demo.browser.newContext({ javaScriptEnabled, locale: 'en-GB' });
			await offline(context);
			const page = await context.newPage();

			// From an offer when the portal lists some, else from the header link.
			await page.goto(`${demo.url}/offers?lang=en`);
			const offerHref = await page
				.locator('a[href^="/offers/off_"]')
				.first()
				.getAttribute('href', { timeout: 2_000 })
				.catch(() => null);
			const offerId = offerHref ? /off_[a-z0-9]+/.exec(offerHref)?.[0] : undefined;
			if (offerId) {
				await page.goto(`${demo.url}/apply?offer=${offerId}`);
				await expect(page.getByText('You are applying from an offer').isVisible()).resolves.toBe(true);
			} else {
				await page.goto(`${demo.url}/`);
				await page
					.getByRole('navigation', { name: 'Main navigation' })
					.getByRole('link', { name: 'Apply' })
					.click();
				await page.waitForURL(`${demo.url}/apply`);
			}
			expect(await page.locator('h1').textContent()).toBe('Your plan to move here');

			// First try: no email, a child of 40.
			await page.getByLabel('First name').fill('Hélène');
			await page.getByLabel('Last name').fill(lastName);
			await page.getByLabel('Phone').fill('+31 6 1234 5678');
			await page.getByLabel('I am coming with my partner').check();
			await page.getByLabel('Your partner’s profession').fill('Nurse');
			await page.getByLabel('My partner will look for a job locally').check();
			await page.getByLabel('Age of child 1', { exact: true }).fill('7');
			// Without JavaScript four rows are there; with it, rows are added on demand.
			if (javaScriptEnabled) {
				await expect(page.locator('input[name^="children."]').count()).resolves.toBe(1);
				await page.getByRole('button', { name: 'Add a child' }).click();
				await expect(
					page.locator('#apply-children-1-age').evaluate((el) => el === document.activeElement)
				).resolves.toBe(true);
			} else {
				await expect(page.locator('input[name^="children."]').count()).resolves.toBe(4);
			}
			await page.getByLabel('Age of child 2', { exact: true }).fill('40');
			await page.getByLabel('Profession', { exact: true }).fill('Graphic designer');
			await page.getByLabel('Status', { exact: true }).selectOption('freelancer');
			await page.getByLabel('Sector', { exact: true }).selectOption('communication');
			await page.getByLabel('Describe the place you have in mind').fill('A quiet village near Auch');
			await page.locator('details.villages > summary').click();
			const village = page.locator('#apply-villages-0');
			const villageSlug = await village.getAttribute('value');
			await village.check();
			await page.getByLabel('In 6 to 12 months').check();
			await page.getByLabel('How did you hear about the programme?').fill('A fair in Amsterdam');
			await page.getByLabel('Not sure').check();
			await page.getByLabel(/I agree that a programme advisor contacts me/).check();
			await page.getByLabel(/welcome committees of the villages/).check();
			await page.getByRole('button', { name: 'Send my application' }).click();
			await page.waitForLoadState();

			const summary = page.getByRole('alert').filter({ hasText: 'answers need correcting' });
			await expect(summary.textContent()).resolves.toContain('2 answers need correcting');
			await expect(
				summary.getByRole('link', { name: 'Enter your email address.' }).getAttribute('href')
			).resolves.toBe('#apply-email');
			await expect(
				summary.getByRole('link', { name: 'Enter each child’s age, from 0 to 25.' }).getAttribute('href')
			).resolves.toBe('#apply-children-1-age');
			// Each message sits next to its field and is announced with it.
			await expect(page.locator('#apply-email-error').textContent()).resolves.toContain(
				'Enter your email address.'
			);
			await expect(page.locator('#apply-email').getAttribute('aria-invalid')).resolves.toBe('true');
			await expect(page.locator('#apply-children-1-age-error').textContent()).resolves.toContain(
				'Enter each child’s age, from 0 to 25.'
			);
			await expect(page.locator('#apply-children-1-age').getAttribute('aria-describedby')).resolves.toBe(
				'apply-children-1-age-error'
			);
			// Everything typed is kept.
			expect(await valueOf(page, '#apply-firstName')).toBe('Hélène');
			expect(await valueOf(page, '#apply-lastName')).toBe(lastName);
			expect(await valueOf(page, '#apply-phone')).toBe('+31 6 1234 5678');
			expect(await valueOf(page, '#apply-partnerProfession')).toBe('Nurse');
			expect(await valueOf(page, '#apply-children-0-age')).toBe('7');
			expect(await valueOf(page, '#apply-children-1-age')).toBe('40');
			expect(await valueOf(page, '#apply-status')).toBe('freelancer');
			expect(await valueOf(page, '#apply-sector')).toBe('communication');
			expect(await valueOf(page, '#apply-wishedArea')).toBe('A quiet village near Auch');
			expect(await isChecked(page, '#apply-hasPartner')).toBe(true);
			expect(await isChecked(page, '#apply-partnerNeedsJob')).toBe(true);
			expect(await isChecked(page, `input[name="villages"][value="${villageSlug}"]`)).toBe(true);
			expect(await page.getByLabel('In 6 to 12 months').isChecked()).toBe(true);
			expect(await page.getByLabel('Not sure').isChecked()).toBe(true);
			expect(await isChecked(page, '#apply-consentContact')).toBe(true);
			expect(await isChecked(page, '#apply-consentShareWithCommittees')).toBe(true);
			expect(await isChecked(page, '#apply-consentResearch')).toBe(false);
			if (offerId) expect(await page.locator('input[name="offer"]').inputValue()).toBe(offerId);
			// axe is injected as a script, so it runs only with JavaScript (both languages: see below).
			if (javaScriptEnabled) await expectNoAxeViolations(page);

			// Corrected: the application goes through.
			await page.locator('#apply-email').fill(email);
			await page.locator('#apply-children-1-age').fill('4');
			await page.getByRole('button', { name: 'Send my application' }).click();
			await page.waitForURL(/\/apply\/thanks\?ref=/);
			const reference = REFERENCE.exec(new URL(page.url()).searchParams.get('ref') ?? '')?.[0];
			expect(reference).toBeTruthy();
			await expect(page.locator('h1').textContent()).resolves.toBe('Thank you, your application has arrived');
			await expect(page.getByText(reference!, { exact: true }).isVisible()).resolves.toBe(true);
			await expect(page.getByRole('status').first().textContent()).resolves.toContain('confirmation email');
			if (javaScriptEnabled) await expectNoAxeViolations(page);
			await screenshot(page, `apply-thanks-${suffix.toLowerCase()}`);

			// Exactly one confirmation, to the applicant, with the reference.
			const deadline = Date.now() + 20_000;
			while (!demo.smtp.messages.some((m) => m.to.includes(email)) && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 200));
			}
			await new Promise((r) => setTimeout(r, 1_000)); // a second email would have arrived by now
			const mails = demo.smtp.messages.filter((m) => m.to.includes(email));
			expect(mails).toHaveLength(1);
			expect(mails[0].subject).toContain(reference);
			expect(mails[0].text).toContain(reference);
			expect(mails[0].text).toContain('Hello Hélène');

			// The advisor signs in and finds one case (the failed try created nothing).
			const advisor = await demo.signIn(ADVISOR, {
				locale: 'en',
				javaScript: javaScriptEnabled,
				offline: true
			});
			await advisor.goto(`${demo.url}/backoffice/cases?q=${encodeURIComponent(lastName)}`);
			const rows = advisor.locator('table tbody tr');
			await expect(rows.count()).resolves.toBe(1);
			await expect(rows.first().textContent()).resolves.toContain(reference);
			await rows
				.first()
				.getByRole('link', { name: new RegExp(lastName) })
				.click();
			await advisor.waitForURL(/\/backoffice\/cases\/cas_/);

			const household = advisor.locator('section[aria-labelledby="household-title"]');
			const householdText = (await household.textContent()) ?? '';
			expect(householdText).toContain(`Hélène ${lastName}`);
			expect(householdText).toContain('Partner');
			expect(householdText).toContain('Nurse');
			await expect(household.getByText('Child', { exact: true }).count()).resolves.toBe(2);
			const consents = advisor.locator('ul.consents > li');
			await expect(consents.count()).resolves.toBe(4);
			const consentTexts = await consents.allTextContents();
			expect(consentTexts.map((text) => text.trim().startsWith('✓'))).toEqual([true, true, false, false]);
			if (offerId) await expect(advisor.locator('main').textContent()).resolves.toContain(offerId);
			await screenshot(advisor, `apply-backoffice-case-${suffix.toLowerCase()}`);

			await advisor.context().close();
			await context.close();
		});
	}

	test('a bot that fills the hidden field sees the usual confirmation, and nothing is created or sent', async () => {
		const context = await demo.browser.newContext({ locale: 'en-GB' });
		await offline(context);
		const page = await context.newPage();
		await page.goto(`${demo.url}/apply`);
		const honeypot = page.locator('input[name="website"]');
		// Hidden from people and from assistive technologies, out of the tab order.
		const box = await honeypot.boundingBox();
		expect(box === null || box.x + box.width <= 0, 'the hidden field is off screen').toBe(true);
		await expect(honeypot.getAttribute('tabindex')).resolves.toBe('-1');
		await expect(page.locator('.honeypot').getAttribute('aria-hidden')).resolves.toBe('true');
		const botEmail = 'bot@spam.example';
		await page.getByLabel('First name').fill('Bot');
		await page.getByLabel('Last name').fill('Spammer');
		await page.locator('#apply-email').fill(botEmail);
		await page.getByLabel('In 6 to 12 months').check();
		await page.getByLabel('Not sure').check();
		await page.getByLabel(/I agree that a programme advisor contacts me/).check();
		await honeypot.evaluate((input: HTMLInputElement) => (input.value = 'https://spam.example'));
		await page.getByRole('button', { name: 'Send my application' }).click();
		await page.waitForURL(`${demo.url}/apply/thanks`);
		await expect(page.locator('h1').textContent()).resolves.toBe('Thank you, your application has arrived');
		await new Promise((r) => setTimeout(r, 1_500));
		expect(demo.smtp.messages.filter((m) => m.to.includes(botEmail))).toEqual([]);
		await context.close();
	});

	for (const locale of ['fr', 'en'] as const) {
		test(`the apply pages pass axe in ${locale}, empty, with errors and after sending`, async () => {
			const context = await demo.browser.newContext({ locale: locale === 'fr' ? 'fr-FR' : 'en-GB' });
			await offline(context);
			const page = await context.newPage();
			await page.goto(`${demo.url}/apply?lang=${locale}`);
			expect(await page.locator('html').getAttribute('lang')).toBe(locale);
			expect(await page.locator('h1').count()).toBe(1);
			await expectNoAxeViolations(page);
			if (locale === 'en') {
				for (const width of [390, 1280]) {
					await page.setViewportSize({ width, height: 900 });
					await screenshot(page, `apply-${width}`);
				}
			}
			await page.locator('form.apply-form button[type="submit"]').click();
			await page.waitForLoadState();
			const summary = page.locator('.error-summary');
			await expect(summary.getAttribute('role')).resolves.toBe('alert');
			// first name, last name, email, timeline, "would you move", contact consent
			await expect(summary.locator('li').count()).resolves.toBe(6);
			for (const href of await summary
				.locator('a')
				.evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
				expect(await page.locator(href!).count(), `${href} exists`).toBe(1);
			}
			await expect(page.title()).resolves.toMatch(locale === 'fr' ? /^Erreur : / : /^Error: /);
			await expectNoAxeViolations(page);
			if (locale === 'en') await screenshot(page, 'apply-errors-1280');
			await page.goto(`${demo.url}/apply/thanks?ref=GERS-2026-0001&lang=${locale}`);
			await expectNoAxeViolations(page);
			// A made-up reference is not echoed.
			await page.goto(`${demo.url}/apply/thanks?ref=Call%20us%20now&lang=${locale}`);
			await expect(page.getByText('Call us now').count()).resolves.toBe(0);
			await context.close();
		});
	}
});
