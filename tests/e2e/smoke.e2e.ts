import { describe, expect, test } from 'vitest';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e smoke skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('smoke: a visitor opens soho and the demo admin signs in', () => {
	const demo = useDemoServer();

	test('the home page presents the demo programme, labelled as demo, and passes axe', async () => {
		const page = await demo.browser.newPage({ locale: 'fr-FR' });
		const response = await page.goto(demo.url + '/');
		expect(response?.status()).toBe(200);
		await expect(page.locator('h1').first().textContent()).resolves.toBeTruthy();
		expect(await page.locator('html').getAttribute('lang')).toBe('fr');
		await expect(
			page
				.getByText(/démonstration|fictives|synthétiques/i)
				.first()
				.isVisible()
		).resolves.toBe(true);
		await screenshot(page, 'home');
		await expectNoAxeViolations(page);
		await page.close();
	});

	test('the demo admin signs in with the form and reaches the back office', async () => {
		const page = await demo.browser.newPage({ locale: 'fr-FR' });
		await page.goto(demo.url + '/signin');
		await expectNoAxeViolations(page);
		await page.getByLabel('Adresse e-mail').fill('admin@demo.soho.example');
		await page.getByLabel('Mot de passe').fill('wrong password');
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page.getByRole('alert').first().textContent()).resolves.toContain('incorrect');
		// What was typed is kept.
		expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe('admin@demo.soho.example');

		await page.getByLabel('Mot de passe').fill('soho-demo-gers');
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await page.waitForURL('**/backoffice');
		await expect(page.getByText('Camille Martin (démo)').first().isVisible()).resolves.toBe(true);
		await screenshot(page, 'backoffice-admin');
		await expectNoAxeViolations(page);
		await page.close();
	});

	test('sign-in and sign-out work without JavaScript', async () => {
		const context = await demo.browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
		const page = await context.newPage();
		await page.goto(demo.url + '/backoffice');
		expect(new URL(page.url()).pathname).toBe('/signin');
		await page.getByLabel('Email address').fill('advisor@demo.soho.example');
		await page.getByLabel('Password').fill('soho-demo-gers');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL('**/backoffice');
		await page.getByRole('button', { name: 'Sign out' }).first().click();
		await page.waitForURL(demo.url + '/');
		await page.goto(demo.url + '/backoffice');
		expect(new URL(page.url()).pathname).toBe('/signin');
		await context.close();
	});

	test('without SMTP, a reset email waits in the outbox, where the admin reads it', async () => {
		const visitor = await demo.browser.newPage({ locale: 'fr-FR' });
		await visitor.goto(demo.url + '/forgot-password');
		await visitor.getByLabel('Adresse e-mail').fill('advisor@demo.soho.example');
		await visitor.getByRole('button', { name: 'Envoyer le lien' }).click();
		// waitFor retries until the answer page is there: isVisible() would read the form page still on screen.
		await visitor.getByRole('status').first().waitFor({ state: 'visible' });
		await visitor.close();

		const admin = await demo.signIn('admin@demo.soho.example', {
			javaScript: true,
			next: '/backoffice/outbox'
		});
		await admin
			.getByRole('cell', { name: 'advisor@demo.soho.example' })
			.first()
			.waitFor({ state: 'visible' });
		await screenshot(admin, 'outbox');
		await expectNoAxeViolations(admin);
		await admin.close();
	});

	test('a form posted from another site is refused (CSRF)', async () => {
		const response = await fetch(demo.url + '/signin', {
			method: 'POST',
			headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: 'email=admin%40demo.soho.example&password=soho-demo-gers'
		});
		expect(response.status).toBe(403);
		const sameSite = await fetch(demo.url + '/signin', {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: demo.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: 'email=admin%40demo.soho.example&password=soho-demo-gers'
		});
		expect(sameSite.status).toBe(303);
		expect(sameSite.headers.get('set-cookie')).toMatch(/soho\.session_token=/);
	});

	test('health and readiness endpoints answer', async () => {
		const health = await fetch(demo.url + '/healthz');
		expect(health.status).toBe(200);
		const ready = await fetch(demo.url + '/readyz');
		expect(await ready.json()).toMatchObject({ status: 'ready', database: 'pglite' });
		expect(ready.headers.get('x-request-id')).toBeTruthy();
	});
});
