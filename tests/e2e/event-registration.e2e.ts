import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
	e2eSkipReason,
	expectNoAxeViolations,
	screenshot,
	useDemoServer,
	type DemoServer
} from './support.ts';

/**
 * Issue "Community": a member registers to a workshop and downloads its .ics, which a real
 * iCalendar library parses; a visitor registers with a name and an email, reads their personal
 * link and cancels; the staff see the registrations. Works with the demo programme's events.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e event registration skipped: ${skipReason}`);

/** The first upcoming workshop of the demo agenda. */
async function openWorkshop(page: Page, url: string, lang: 'fr' | 'en' = 'en') {
	await page.goto(`${url}/events?lang=${lang}&kind=workshop`);
	await Promise.all([
		page.waitForURL(/\/events\/evt_/),
		page.locator('.results > section.month li.event-card h4 a').first().click()
	]);
	return new URL(page.url()).pathname.split('/').pop()!;
}

describe.skipIf(skipReason !== null)('event registration', () => {
	// Mail goes to a test SMTP server: the outbox hides personal links from every reader.
	const demo = useDemoServer({ mailFrom: 'Programme Gers <contact@gers.example>' });

	test('a member registers to a workshop and downloads its calendar file, which parses', async () => {
		const page = await demo.signIn('member@demo.soho.example', {
			locale: 'en',
			javaScript: true,
			acceptDownloads: true
		});
		const eventId = await openWorkshop(page, demo.url);
		const title = (await page.locator('h1').textContent())!.trim();
		const box = page.locator('section.registration');
		await expect(box.textContent()).resolves.toMatch(/Registering as/);
		await expectNoAxeViolations(page);
		await Promise.all([
			page.waitForNavigation(),
			box.getByRole('button', { name: /Register|Join the waiting list/ }).click()
		]);
		await expect(page.locator('section.registration [role=status]').textContent()).resolves.toMatch(
			/your seat is booked|waiting list/
		);
		await screenshot(page, 'event-registered-1280');

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: 'Add to my calendar (.ics)' }).click()
		]);
		expect(download.suggestedFilename()).toBe(`${eventId}.ics`);
		const text = readFileSync((await download.path())!, 'utf8');
		const calendar = new ICAL.Component(ICAL.parse(text));
		const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
		expect(event.summary).toBe(title);
		expect(event.uid).toMatch(new RegExp(`^${eventId}@`));
		expect(event.startDate.toJSDate().getTime()).toBeGreaterThan(Date.now());
		expect(event.endDate.compare(event.startDate)).toBe(1);

		// Back on the page later: the member is shown as registered, with a link to cancel. (A
		// reload would post the form again: event pages run without JavaScript.)
		await page.goto(`${demo.url}/events/${eventId}`);
		await expect(page.locator('section.registration [role=status]').textContent()).resolves.toMatch(
			/Your seat is booked|waiting list/
		);
		// The programme feed holds the event too.
		const feed = await (await fetch(`${demo.url}/events/calendar.ics`)).text();
		const uids = new ICAL.Component(ICAL.parse(feed))
			.getAllSubcomponents('vevent')
			.map((vevent) => vevent.getFirstPropertyValue('uid'));
		expect(uids).toContain(event.uid);
		await page.context().close();
	});

	test('a visitor registers with a name and an email, without JavaScript, then cancels through the personal link', async () => {
		const context = await demo.browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
		const page = await context.newPage();
		await openWorkshop(page, demo.url, 'fr');
		const box = page.locator('section.registration');
		// Nothing typed: each field says what is missing, and nothing is lost.
		await box.getByLabel('Adresse e-mail').fill('pas-une-adresse');
		await Promise.all([page.waitForNavigation(), box.getByRole('button').click()]);
		await expect(box.textContent()).resolves.toContain('Indiquez votre nom.');
		await expect(box.textContent()).resolves.toContain('Cette adresse e-mail n’est pas valide.');
		expect(await box.getByLabel('Adresse e-mail').inputValue()).toBe('pas-une-adresse');
		await box.getByLabel('Nom et prénom').fill('Anneke de Vries');
		await box.getByLabel('Adresse e-mail').fill('anneke.devries@example.nl');
		await Promise.all([page.waitForNavigation(), box.getByRole('button').click()]);
		await expect(box.locator('[role=status]').textContent()).resolves.toMatch(
			/place est réservée|liste d’attente/
		);
		await context.close();

		// The confirmation mail carries the personal link; the outbox shows the mail, never the link.
		const token = await tokenFromMail(demo, 'anneke.devries@example.nl');
		const staff = await demo.signIn('admin@demo.soho.example', { locale: 'en', javaScript: true });
		await staff.goto(`${demo.url}/backoffice/outbox`);
		expect(await staff.content()).toContain('anneke.devries@example.nl');
		expect(await staff.content()).not.toContain(token);
		await staff.goto(`${demo.url}/backoffice/events`);
		await expectNoAxeViolations(staff);
		await Promise.all([
			staff.waitForURL(/\/backoffice\/events\/evt_/),
			staff.locator('table.events a').first().click()
		]);
		await staff.close();

		const visitor = await demo.browser.newPage({ locale: 'fr-FR' });
		await visitor.goto(`${demo.url}/events/registrations/${token}`);
		await expectNoAxeViolations(visitor);
		await Promise.all([
			visitor.waitForNavigation(),
			visitor.getByRole('button', { name: 'Annuler mon inscription' }).click()
		]);
		await expect(visitor.locator('[role=status]').first().textContent()).resolves.toContain(
			'Votre inscription est annulée'
		);
		// The link stays valid and says so; a forged one finds nothing.
		await visitor.reload();
		await expect(visitor.locator('p.status').textContent()).resolves.toContain('annulée');
		const forged = await visitor.goto(`${demo.url}/events/registrations/${'x'.repeat(32)}`);
		expect(forged?.status()).toBe(404);
		await visitor.close();
	});
});

/** Reads the personal link of the registration mail to `email` received by the test SMTP server. */
async function tokenFromMail(demo: DemoServer, email: string): Promise<string> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const mail = demo.smtp.messages.findLast((m) => m.to.includes(email));
		const match =
			mail && `${mail.text} ${mail.html ?? ''}`.match(/\/events\/registrations\/([A-Za-z0-9_-]{32})/);
		if (match) return match[1];
		if (Date.now() > deadline) throw new Error(`no registration link in a mail to ${email}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}
