import { beforeAll, describe, expect, test } from 'vitest';
import { useDemoServer, e2eSkipReason, expectNoAxeViolations, screenshot } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e setup skipped: ${skipReason}`);

/** First run without the demo: an empty data directory, SOHO_SEED_DEMO=false, the code read from the server's output. */
describe.skipIf(skipReason !== null)('first run: setting up a programme with the printed code', () => {
	const demo = useDemoServer({ seedDemo: false, freshDataDir: true });
	let code: string;

	beforeAll(() => {
		const output = demo.server.output();
		const printed = /setup code: ([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})/.exec(output);
		expect(printed, output).not.toBeNull();
		code = printed![1];
		expect(output).toContain(`${demo.url.replace('127.0.0.1', 'localhost')}/setup`);
	});

	test('the home page and sign-in lead to /setup, which refuses without the code and with a wrong one', async () => {
		const page = await demo.browser.newPage({ locale: 'en-GB', javaScriptEnabled: false });
		await page.goto(demo.url + '/');
		expect(new URL(page.url()).pathname).toBe('/setup');
		expect(await page.content()).not.toContain(code);
		await page.goto(demo.url + '/signin');
		expect(new URL(page.url()).pathname).toBe('/setup');

		await page.getByRole('button', { name: 'Continue' }).click();
		await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
			'Setup code: this is not the code printed'
		);
		expect(await page.getByLabel('Programme name').count()).toBe(0);
		await page.getByLabel('Setup code').fill('ABCD-EFGH-JKMN-PQRS');
		await page.getByRole('button', { name: 'Continue' }).click();
		await expect(page.getByRole('alert').first().textContent()).resolves.toContain('Setup code');
		expect(await page.getByLabel('Programme name').count()).toBe(0);

		// Posting the final form straight away, without the code, creates nothing either.
		const response = await page.request.post(demo.url + '/setup?/complete', {
			form: {
				name: 'Intruder',
				departements: '32',
				metropole: '31555',
				admin_name: 'X',
				admin_email: 'x@x.example',
				password: 'a-long-password'
			},
			headers: { origin: demo.url }
		});
		expect(await response.text()).toContain('setup.invalid_code');
		await page.close();
	});

	test('with the code: the programme and its admin are created, the admin lands on the dashboard’s checklist', async () => {
		// JavaScript on, for axe; the forms post the same way without it (the test above).
		const page = await demo.browser.newPage({ locale: 'en-GB' });
		await page.goto(demo.url + '/setup');
		await expectNoAxeViolations(page);
		await page.getByLabel('Setup code').fill(code.toLowerCase());
		await page.getByRole('button', { name: 'Continue' }).click();
		await page.getByLabel('Programme name').fill('SOHO Solo Gers');
		await page.getByLabel('Short name').fill('SOHO Solo');
		await page.getByLabel('Territory départements').fill('32, 99');
		await page.getByLabel('Metropole').fill('Toulouse (31555)');
		await page.getByLabel('Contact address').fill('contact@soho.example');
		await page.getByLabel('Full name').fill('Claire Admin');
		await page.getByLabel('Email address').fill('claire@soho.example');
		await page.getByLabel('Password').fill('a-long-password');
		await expectNoAxeViolations(page);
		await screenshot(page, 'setup-form');
		await page.getByRole('button', { name: 'Create the programme' }).click();
		// A département that does not exist: named, nothing created, what was typed kept.
		await expect(page.getByRole('alert').first().textContent()).resolves.toContain('Unknown département: 99');
		expect(await page.getByLabel('Programme name').inputValue()).toBe('SOHO Solo Gers');
		expect(await page.getByLabel('Territory départements').getAttribute('aria-invalid')).toBe('true');
		await page.getByLabel('Territory départements').fill('32');
		await page.getByLabel('Password').fill('a-long-password');
		await page.getByRole('button', { name: 'Create the programme' }).click();
		await page.waitForURL((url) => url.pathname === '/backoffice');

		const checklist = page.getByRole('region', { name: 'First steps' });
		await expect(checklist.getByRole('link').allTextContents()).resolves.toEqual([
			'Import commune outlines',
			'Add partner villages',
			'Invite your team',
			'Write your home page',
			'Fill the legal notice'
		]);
		expect(await checklist.getByRole('link', { name: 'Add partner villages' }).getAttribute('href')).toBe(
			'/backoffice/villages'
		);
		await expectNoAxeViolations(page);
		await screenshot(page, 'setup-checklist');

		// The setup is closed for good: the page is gone, the home page is the site again.
		await page.goto(demo.url + '/setup');
		expect(new URL(page.url()).pathname).not.toBe('/setup');
		const anonymous = await demo.browser.newPage({ locale: 'en-GB', javaScriptEnabled: false });
		await anonymous.goto(demo.url + '/');
		expect(new URL(anonymous.url()).pathname).toBe('/');
		await anonymous.goto(demo.url + '/setup');
		expect(new URL(anonymous.url()).pathname).toBe('/signin');
		await anonymous.close();
		await page.close();
	});
});
