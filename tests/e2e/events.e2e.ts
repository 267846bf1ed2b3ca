import { describe, expect, test } from 'vitest';
import { e2eSkipReason, expectNoAxeViolations, useDemoServer } from './support.ts';

/**
 * The public agenda, as a visitor sees it: upcoming events by month, the kind filter
 * (a GET form, so without JavaScript too), past events tucked away, an event page in
 * both languages; axe clean.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e events skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('public events', () => {
	const demo = useDemoServer();

	for (const lang of ['fr', 'en'] as const) {
		test(`the agenda and an event page are accessible in ${lang}`, async () => {
			const page = await demo.browser.newPage();
			await page.goto(`${demo.url}/events?lang=${lang}`);
			await expect(page.locator('h1').textContent()).resolves.toBe(lang === 'fr' ? 'Événements' : 'Events');
			const upcoming = page.locator('.results > section.month li.event-card');
			expect(await upcoming.count()).toBeGreaterThanOrEqual(10);
			expect(await page.locator('section.month h3').count()).toBeGreaterThanOrEqual(3);
			await expectNoAxeViolations(page);

			await Promise.all([page.waitForURL(/\/events\/evt_/), upcoming.first().locator('h4 a').click()]);
			await expect(page.locator('h1').isVisible()).resolves.toBe(true);
			await expect(page.getByTestId('event-times').textContent()).resolves.toMatch(/\d{2}:\d{2}/);
			const apply = page.getByRole('link', {
				name: lang === 'fr' ? 'Présenter mon projet' : 'Tell us about my plans'
			});
			expect(await apply.getAttribute('href')).toBe('/apply');
			await expectNoAxeViolations(page);
			await page.close();
		});
	}

	test('an event at a workspace links to the workspace page', async () => {
		const page = await demo.browser.newPage();
		await page.goto(`${demo.url}/events?lang=en&kind=breakfast&kind=club_meeting&kind=afterwork`);
		await Promise.all([
			page.waitForURL(/\/events\/evt_/),
			page.locator('.results > section.month li.event-card h4 a').first().click()
		]);
		const link = page.locator('dd a[href^="/workspaces/"]');
		await Promise.all([page.waitForURL(/\/workspaces\/[a-z0-9-]+$/), link.click()]);
		expect(await page.locator('h1').textContent()).toMatch(/Tiers-lieu|Hub|Télécentre/);
		await page.close();
	});

	test('the kind filter works without JavaScript and past events sit under "Past events"', async () => {
		const context = await demo.browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${demo.url}/events?lang=en`);
		const form = page.locator('form.filter-panel');
		await form.getByLabel('Workshop', { exact: true }).check();
		await Promise.all([
			page.waitForURL((url) => url.searchParams.getAll('kind').join() === 'workshop'),
			form.getByRole('button', { name: 'Show results' }).click()
		]);
		const badges = page.locator('li.event-card .badge-primary');
		const count = await badges.count();
		expect(count).toBeGreaterThan(0);
		for (let i = 0; i < count; i++) await expect(badges.nth(i).textContent()).resolves.toBe('Workshop');

		await page.goto(`${demo.url}/events?lang=en`);
		const past = page.locator('section.past');
		await expect(past.getByRole('heading', { name: 'Past events' }).isVisible()).resolves.toBe(true);
		// collapsed: the past events are there but hidden until the summary is opened
		const firstPast = past.locator('li.event-card').first();
		await expect(firstPast.isVisible()).resolves.toBe(false);
		await past.locator('summary').click();
		await expect(firstPast.isVisible()).resolves.toBe(true);
		await Promise.all([page.waitForURL(/\/events\/evt_/), firstPast.locator('h3 a').click()]);
		await expect(page.getByText('This event has taken place.').isVisible()).resolves.toBe(true);
		await context.close();
	});

	test('the sitemap lists the agenda and the home page teases upcoming events', async () => {
		const sitemap = await (await fetch(`${demo.url}/sitemap.xml`)).text();
		expect(sitemap).toContain(`${demo.url}/events?lang=fr`);
		expect(sitemap).toMatch(/\/events\/evt_[a-z0-9]+\?lang=en/);
		const page = await demo.browser.newPage();
		await page.goto(`${demo.url}/?lang=en`);
		await expect(page.getByRole('heading', { name: 'Upcoming events' }).isVisible()).resolves.toBe(true);
		await page.close();
	});
});
