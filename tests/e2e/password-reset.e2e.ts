import { describe, expect, test } from 'vitest';
import { useDemoServer, e2eSkipReason, expectNoAxeViolations, screenshot } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e password reset skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('password reset by email, through a real SMTP server', () => {
	const demo = useDemoServer({ mailFrom: 'Programme Gers <contact@gers.example>' });

	test('a member who forgot their password gets one email, chooses a new password and signs in with it', async () => {
		const page = await demo.browser.newPage({ locale: 'en-GB' });
		await page.goto(demo.url + '/signin');
		await page.getByRole('link', { name: 'Forgot your password?' }).click();
		await expectNoAxeViolations(page);
		await page.getByLabel('Email address').fill('member@demo.soho.example');
		await page.getByRole('button', { name: 'Send the link' }).click();
		await expect(page.getByRole('status').first().textContent()).resolves.toContain(
			'an email with a link will follow'
		);

		// Scheduled jobs (digests, reminders) may send mail too, depending on the time of day: look for ours.
		const toMember = () => demo.smtp.messages.filter((m) => m.to.includes('member@demo.soho.example'));
		const deadline = Date.now() + 20_000;
		while (toMember().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
		const [mail] = toMember();
		expect(mail.to).toEqual(['member@demo.soho.example']);
		// The demo member's language is English.
		expect(mail.subject).toBe('Choose a new password — Gers');
		const link = /https?:\/\/\S+\/reset-password\?token=[\w%-]+/.exec(mail.text)?.[0];
		expect(link).toBeTruthy();

		await page.goto(link!);
		await expectNoAxeViolations(page);
		await page.getByLabel('New password').fill('my new rural life');
		await page.getByLabel('Confirm the password').fill('my new rural lif');
		await page.getByRole('button', { name: 'Save the password' }).click();
		await expect(page.getByRole('alert').first().textContent()).resolves.toContain('differ');
		await page.getByLabel('New password').fill('my new rural life');
		await page.getByLabel('Confirm the password').fill('my new rural life');
		await page.getByRole('button', { name: 'Save the password' }).click();
		await expect(page.getByRole('status').first().textContent()).resolves.toContain('password is saved');
		await screenshot(page, 'password-reset-done');

		// The link works once.
		await page.goto(link!);
		await page.getByLabel('New password').fill('another new password');
		await page.getByLabel('Confirm the password').fill('another new password');
		await page.getByRole('button', { name: 'Save the password' }).click();
		await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
			'invalid, already used or expired'
		);

		await page.goto(demo.url + '/signin');
		await page.getByLabel('Email address').fill('member@demo.soho.example');
		await page.getByLabel('Password').fill('soho-demo-gers');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
			'Wrong email address or password'
		);
		await page.getByLabel('Password').fill('my new rural life');
		await page.getByRole('button', { name: 'Sign in' }).click();
		// Members land in their own space.
		await page.waitForURL(demo.url + '/member');
		await expect(page.getByText('Sofie de Vries (démo)').first().isVisible()).resolves.toBe(true);
		expect(toMember()).toHaveLength(1);
		await page.close();
	});
});
