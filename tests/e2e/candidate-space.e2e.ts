import { afterAll, describe, expect, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import {
	useDemoServer,
	e2eSkipReason,
	expectNoAxeViolations,
	offline,
	screenshot,
	signInDemo
} from './support.ts';

/**
 * The candidate's journey into their space: apply, receive the sign-in link by mail (in-process
 * SMTP), land on /space with the file's stage, write to the advisor; staff answer from the case
 * page; the candidate reads the answer. The link works once. Another candidate sees none of it.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e candidate space skipped: ${skipReason}`);

const EMAIL = 'ines.roy.space@example.org';
const QUESTION = 'Can we visit Simorre with the mayor in April?';
const ANSWER = 'Yes: on 12 April, the mayor will welcome you at 10 am.';

describe.skipIf(skipReason !== null)('the candidate space', () => {
	const demo = useDemoServer({ mailFrom: 'Programme Gers <contact@gers.example>' });
	const contexts: BrowserContext[] = [];
	afterAll(async () => {
		for (const context of contexts) await context.close();
	});

	const mailTo = async (to: string, match: (text: string) => boolean) => {
		const deadline = Date.now() + 20_000;
		for (;;) {
			const found = demo.smtp.messages.find((m) => m.to.includes(to) && match(m.text));
			if (found || Date.now() > deadline) return found;
			await new Promise((r) => setTimeout(r, 200));
		}
	};

	test('apply → sign-in link by mail → /space shows the stage → message → staff answer → the candidate reads it', async () => {
		const context = await demo.browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
		contexts.push(context);
		// Requests that leave the test server (map tiles…) are aborted, so pages finish loading.
		await offline(context);
		const page = await context.newPage();
		await page.goto(`${demo.url}/apply?lang=en`);
		await page.getByLabel('First name').fill('Inès');
		await page.getByLabel('Last name').fill('Roy');
		await page.locator('#apply-email').fill(EMAIL);
		await page.getByLabel('In 6 to 12 months').check();
		await page.getByLabel('Not sure').check();
		await page.getByLabel(/I agree that a programme advisor contacts me/).check();
		await page.getByRole('button', { name: 'Send my application' }).click();
		await page.waitForURL(/\/apply\/thanks\?ref=/);

		const confirmation = await mailTo(EMAIL, (text) => text.includes('/signin/link/'));
		expect(confirmation, 'the confirmation carries a sign-in link').toBeTruthy();
		const mailed = /https?:\/\/\S+\/signin\/link\/[\w-]+/.exec(confirmation!.text)?.[0];
		expect(mailed).toBeTruthy();
		// The mail names the configured origin (localhost); the browser stays on the test server's address.
		const link = `${demo.url}${new URL(mailed!).pathname}`;

		// Opening the link changes nothing (mail scanners); the button signs in, and the candidate lands in their space.
		await page.goto(link!);
		await page.getByRole('button', { name: 'Sign me in' }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin/link/'));
		expect(new URL(page.url()).pathname, (await page.locator('main').textContent()) ?? '').toBe('/space');
		await expect(page.getByTestId('space-stage').textContent()).resolves.toContain('First contact');
		await expect(page.getByTestId('space-next').textContent()).resolves.toContain('Your application is in');
		// The public menu leads to the space, not to the back office.
		await expect(
			page
				.getByRole('navigation', { name: 'Main navigation' })
				.getByRole('link', { name: 'My space' })
				.getAttribute('href')
		).resolves.toBe('/space');
		await expect(page.locator('a[href="/backoffice"]').count()).resolves.toBe(0);
		await screenshot(page, 'candidate-space-overview');

		await page.getByRole('navigation', { name: 'My space' }).getByRole('link', { name: 'Messages' }).click();
		await page.waitForURL(`${demo.url}/space/messages`);
		await page.getByRole('button', { name: 'Send' }).click();
		await expect(page.locator('#message-body-error').textContent()).resolves.toContain('Write your message');
		await page.getByLabel('Your message').fill(QUESTION);
		await page.getByRole('button', { name: 'Send' }).click();
		await page.waitForURL(/\/space\/messages\?sent=1/);
		await expect(page.getByRole('status').first().textContent()).resolves.toContain('Message sent');
		await expect(page.getByTestId('message-thread').textContent()).resolves.toContain(QUESTION);

		// The file has no advisor yet: the programme's admins are told, with the case's address.
		const notice = await mailTo('admin@demo.soho.example', (text) => text.includes('/backoffice/cases/'));
		expect(notice, 'staff are told of the message').toBeTruthy();
		const casePath = /\/backoffice\/cases\/cas_[a-z0-9]+/.exec(notice!.text)?.[0];
		expect(casePath).toBeTruthy();
		expect(notice!.text).not.toContain(QUESTION);

		const advisor = await signInDemo(
			{ browser: demo.browser, serverUrl: demo.url, contexts },
			'advisor@demo.soho.example',
			{ locale: 'en', offline: true }
		);
		await advisor.goto(`${demo.url}${casePath}`);
		const thread = advisor.locator('#candidate-messages');
		await expect(thread.textContent()).resolves.toContain(QUESTION);
		await thread.getByLabel('Answer the candidate').fill(ANSWER);
		await thread.getByRole('button', { name: 'Send the answer' }).click();
		await advisor.waitForLoadState();
		await expect(advisor.locator('#candidate-messages').textContent()).resolves.toContain(ANSWER);

		const told = await mailTo(EMAIL, (text) => text.includes('/space/messages'));
		expect(told, 'the candidate is told of the answer').toBeTruthy();
		await page.goto(`${demo.url}/space/messages`);
		await expect(page.getByTestId('message-thread').textContent()).resolves.toContain(ANSWER);
		await screenshot(page, 'candidate-space-messages');

		// The link worked once: used again, it says so and offers a new one.
		const fresh = await demo.browser.newContext({ javaScriptEnabled: true, locale: 'en-GB' });
		contexts.push(fresh);
		await offline(fresh);
		const again = await fresh.newPage();
		await again.goto(link!);
		await expect(again.getByRole('alert').first().textContent()).resolves.toContain('already used');
		await expect(again.getByRole('button', { name: 'Send me a link' }).isVisible()).resolves.toBe(true);
		await expectNoAxeViolations(again);

		// Another household's candidate sees none of it.
		const other = await signInDemo(
			{ browser: demo.browser, serverUrl: demo.url, contexts },
			'candidate@demo.soho.example',
			{ locale: 'en', next: '/space/messages', offline: true }
		);
		const otherThread = await other.locator('main').textContent();
		expect(otherThread).not.toContain(QUESTION);
		// The demo candidate's own conversation, seeded through the same services.
		expect(otherThread).toContain('tout à fait possible');
		expect(otherThread).not.toContain(ANSWER);
		const response = await other.goto(`${demo.url}${casePath}`);
		expect(response?.status()).toBe(403);
	});
});
