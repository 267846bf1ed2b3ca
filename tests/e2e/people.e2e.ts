import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, useDemoServer, e2eSkipReason, expectNoAxeViolations, screenshot } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e people skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)(
	'people: an admin invites an advisor and a mayor, who accept by email',
	() => {
		const demo = useDemoServer({ mailFrom: 'Programme Gers <contact@gers.example>' });

		async function invitationLink(to: string): Promise<string> {
			const deadline = Date.now() + 20_000;
			let mail = demo.smtp.messages.find((m) => m.to.includes(to));
			while (!mail && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 200));
				mail = demo.smtp.messages.find((m) => m.to.includes(to));
			}
			expect(mail, `no mail to ${to}`).toBeTruthy();
			const link = /https?:\/\/\S+\/invitation\/[\w-]+/.exec(mail!.text)?.[0];
			expect(link).toBeTruthy();
			// The mail carries the configured public origin; the browser stays on the server's address (same cookies).
			return link!.replace(/^https?:\/\/[^/]+/, demo.url);
		}

		async function accept(link: string, name: string, password: string): Promise<Page> {
			const context = await demo.browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
			demo.contexts.push(context);
			const page = await context.newPage();
			await page.goto(link);
			await page.locator('input[name="name"]').fill(name);
			await page.locator('input[name="password"]').fill(password);
			await page.locator('input[name="confirmation"]').fill(password);
			await page.getByRole('button', { name: 'Accept and sign in' }).click();
			await page.waitForURL((url) => url.pathname === '/backoffice');
			return page;
		}

		test('the invitees accept through the emailed links and sign in; the mayor sees only their village’s households', async () => {
			const admin = await demo.signIn('admin@demo.soho.example', { locale: 'en', javaScript: true });
			await admin.goto(demo.url + '/backoffice/people');
			await expectNoAxeViolations(admin);
			await admin.getByRole('link', { name: 'Invite a person' }).first().click();
			await admin.waitForURL('**/backoffice/people/invite');
			await expectNoAxeViolations(admin);

			// An advisor, with English emails.
			await admin.locator('input[name="email"]').fill('nina.advisor@example.org');
			await admin.locator('input[name="name"]').fill('Nina Advisor');
			await admin.getByLabel('Language of the emails').selectOption('en');
			await admin.locator('input[name="role"][value="advisor"]').check();
			await admin.getByRole('button', { name: 'Send the invitation' }).click();
			await admin.waitForURL('**/backoffice/people?invited=**');
			await expect(admin.getByRole('status').first().textContent()).resolves.toContain(
				'Invitation sent to nina.advisor@example.org'
			);

			// A mayor of the first partner village, preselected through the query string as the villages page will link.
			await admin.goto(demo.url + '/backoffice/people/invite');
			await screenshot(admin, 'people-invite-form');
			const village = admin.locator('input[name="village"]').first();
			const villageId = await village.getAttribute('value');
			await admin.goto(
				`${demo.url}/backoffice/people/invite?role=committee&village=${villageId}&function=mayor`
			);
			await expect(admin.locator(`input[name="village"][value="${villageId}"]`).isChecked()).resolves.toBe(
				true
			);
			await expect(admin.locator('input[name="role"][value="committee"]').isChecked()).resolves.toBe(true);
			await admin.locator('input[name="email"]').fill('mayor@village.example');
			await admin.locator('input[name="name"]').fill('Marc Mayor');
			await admin.getByLabel('Language of the emails').selectOption('en');
			// Bad input first: a committee member without a village is refused, naming the field.
			await admin.locator(`input[name="village"][value="${villageId}"]`).uncheck();
			await admin.getByRole('button', { name: 'Send the invitation' }).click();
			await expect(admin.getByRole('alert').first().textContent()).resolves.toContain(
				'Villages: choose at least one'
			);
			await admin.locator(`input[name="village"][value="${villageId}"]`).check();
			await admin.locator(`select[name="function_${villageId}"]`).selectOption('mayor');
			await admin.getByRole('button', { name: 'Send the invitation' }).click();
			await admin.waitForURL('**/backoffice/people?invited=**');
			await expect(admin.getByText('mayor@village.example').count()).resolves.toBeGreaterThan(0);
			await screenshot(admin, 'people-pending-invitations');

			const advisorLink = await invitationLink('nina.advisor@example.org');
			const mayorLink = await invitationLink('mayor@village.example');
			expect(demo.smtp.messages.find((m) => m.to.includes('mayor@village.example'))!.subject).toBe(
				'Invitation to join Gers'
			);

			const advisor = await accept(advisorLink, 'Nina Advisor', 'nina-password-1');
			await expect(advisor.getByText('Nina Advisor').count()).resolves.toBeGreaterThan(0);
			const mayor = await accept(mayorLink, 'Marc Mayor', 'marc-password-1');

			// A link works once: the page says so.
			const again = await demo.browser.newContext({ locale: 'en-GB' });
			demo.contexts.push(again);
			const reused = await again.newPage();
			await reused.goto(mayorLink);
			await expect(reused.getByRole('alert').first().textContent()).resolves.toContain(
				'already been accepted'
			);
			await expectNoAxeViolations(reused);

			// The mayor sees only the cases of their village (those that agreed to share with committees).
			await mayor.goto(demo.url + '/backoffice/cases');
			await screenshot(mayor, 'people-mayor-cases');
			const villages = await mayor
				.locator('select[name="village"] option:not([value=""])')
				.evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
			expect(villages).toEqual([villageId]);
			const seen = (await mayor.locator('table.cases tbody tr .reference').allTextContents()).map((r) =>
				r.trim()
			);
			await admin.goto(`${demo.url}/backoffice/cases?village=${villageId}`);
			const targeting = new Set(
				(await admin.locator('table.cases tbody tr .reference').allTextContents()).map((r) => r.trim())
			);
			expect(seen.every((reference) => targeting.has(reference))).toBe(true);
			await admin.goto(`${demo.url}/backoffice/cases`);
			const all = (await admin.locator('table.cases tbody tr .reference').allTextContents()).length;
			expect(seen.length).toBeLessThan(all);

			// The people page lists both, active, without pending invitations.
			await admin.goto(`${demo.url}/backoffice/people?q=example.org`);
			await expect(admin.getByRole('link', { name: 'Nina Advisor' }).count()).resolves.toBe(1);
			await expect(admin.getByText('No open invitations.').count()).resolves.toBe(1);

			// Deactivating the advisor ends their session at once; the history stays on their page.
			await admin.getByRole('link', { name: 'Nina Advisor' }).click();
			await admin.waitForURL('**/backoffice/people/usr_*');
			await expectNoAxeViolations(admin);
			await admin.getByRole('button', { name: 'Deactivate' }).click();
			await expect(admin.getByRole('status').first().textContent()).resolves.toContain('Access deactivated.');
			await expect(admin.getByText('Invitation accepted').count()).resolves.toBeGreaterThan(0);
			await screenshot(admin, 'people-person-deactivated');
			await advisor.goto(demo.url + '/backoffice/cases');
			expect(new URL(advisor.url()).pathname).toBe('/signin');
		});

		test('an invitation to an e-mail that already has an account asks for its current password, never a new one', async () => {
			const admin = await demo.signIn('admin@demo.soho.example', { locale: 'en', javaScript: true });
			await admin.goto(demo.url + '/backoffice/people/invite');
			await admin.locator('input[name="email"]').fill('partner@demo.soho.example');
			await admin.locator('input[name="name"]').fill('Partner Advisor');
			await admin.getByLabel('Language of the emails').selectOption('en');
			await admin.locator('input[name="role"][value="advisor"]').check();
			await admin.getByRole('button', { name: 'Send the invitation' }).click();
			await admin.waitForURL('**/backoffice/people?invited=**', { timeout: 30_000 });

			const context = await demo.browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
			demo.contexts.push(context);
			const page = await context.newPage();
			const link = await invitationLink('partner@demo.soho.example');
			await page.goto(link);
			// No name, no new password: the account's own password, or the way to reset it.
			await expect(page.locator('input[name="name"], input[name="confirmation"]').count()).resolves.toBe(0);
			await expect(page.locator('input[name="password"]').getAttribute('autocomplete')).resolves.toBe(
				'current-password'
			);
			await expect(page.getByRole('link', { name: /Forgot your password/ }).count()).resolves.toBe(1);
			await page.locator('input[name="password"]').fill('not-the-password-1');
			await page.getByRole('button', { name: 'Accept and sign in' }).click();
			await page.waitForLoadState();
			await expect(page.getByRole('alert').first().textContent({ timeout: 30_000 })).resolves.toContain(
				'Wrong password.'
			);
			await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
			await page.getByRole('button', { name: 'Accept and sign in' }).click();
			await page.waitForURL((url) => url.pathname === '/backoffice', { timeout: 30_000 });
		});
	}
);
