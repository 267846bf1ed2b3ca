import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

/**
 * Listings that show the place (issue 16): the cards of villages, workspaces and offers show their
 * first photo (srcset, lazy, text alternative in the reader's language) or else their commune on
 * the territory, drawn from the cached outlines file; each detail page has a small locator map
 * that needs no JavaScript; long badges and e-mail addresses stay inside their boxes.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e listings-place skipped: ${skipReason}`);

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };

type Box = { x: number; y: number; width: number; height: number };
const inside = (inner: Box, outer: Box, slack = 1) =>
	inner.x >= outer.x - slack &&
	inner.y >= outer.y - slack &&
	inner.x + inner.width <= outer.x + outer.width + slack &&
	inner.y + inner.height <= outer.y + outer.height + slack;

describe.skipIf(skipReason !== null)('listings that show the place', () => {
	const demo = useDemoServer();
	let files: string;

	beforeAll(() => {
		files = mkdtempSync(join(tmpdir(), 'soho-place-e2e-'));
	});
	afterAll(() => {
		if (files) rmSync(files, { recursive: true, force: true });
	});

	/** A page of a new visitor's browser, JavaScript off unless asked. */
	async function visitor(
		{ javaScript = false, locale = 'fr', viewport = LAPTOP } = {} as {
			javaScript?: boolean;
			locale?: 'fr' | 'en';
			viewport?: { width: number; height: number };
		}
	): Promise<Page> {
		const context = await demo.browser.newContext({
			javaScriptEnabled: javaScript,
			locale: locale === 'fr' ? 'fr-FR' : 'en-GB',
			viewport
		});
		demo.contexts.push(context);
		return context.newPage();
	}

	/** The drawn box of an SVG element: zero-sized when its `<use href>` did not resolve. */
	async function drawnBox(locator: Locator): Promise<Box> {
		const box = await locator.boundingBox();
		expect(box, 'the element is drawn').not.toBeNull();
		return box!;
	}

	/** The card (an `li`) whose title link is `name`. */
	const cardOf = (page: Page, cardClass: string, name: string) =>
		page.locator(`li.${cardClass}`).filter({ has: page.getByRole('link', { name, exact: true }) });

	test('a village card with a photo shows it with srcset, lazily, with its text alternative; a card without one shows its commune on the territory', async () => {
		// A committee member adds a photo to one of their villages that has a public page.
		const committee = await demo.signIn('committee@demo.soho.example', { javaScript: true });
		await committee.goto(`${demo.url}/backoffice/villages`);
		const links = await committee
			.locator('table th[scope="row"] a[href^="/backoffice/villages/"]')
			.evaluateAll((anchors) =>
				anchors.map((a) => [a.getAttribute('href')!, a.textContent!.trim()] as const)
			);
		const listHtml = await (await fetch(`${demo.url}/villages?lang=fr`)).text();
		const target = links.find(([, name]) => listHtml.includes(`>${name}</a>`));
		expect(target, "one of the committee's villages is on the public list").toBeTruthy();
		const [editPath, villageName] = target!;

		const pngPath = join(files, 'square.png');
		writeFileSync(
			pngPath,
			await sharp({ create: { width: 1400, height: 900, channels: 3, background: '#a3401f' } })
				.png()
				.toBuffer()
		);
		await committee.goto(`${demo.url}${editPath}`);
		await committee.setInputFiles('input[name="photo"]', pngPath);
		await committee.fill('input[name="altFr"]', `La halle de ${villageName} un jour de marché`);
		await committee.fill('input[name="altEn"]', `${villageName}'s market hall on a market day`);
		await Promise.all([
			committee.waitForLoadState('load'),
			committee.click('form[action="?/addPhoto"] button[type="submit"]')
		]);
		await expect(committee.locator('.photo-upload [role="status"]').textContent()).resolves.toContain(
			'Photo ajoutée'
		);

		for (const locale of ['fr', 'en'] as const) {
			const page = await visitor({ locale });
			await page.goto(`${demo.url}/villages?lang=${locale}`);
			const withPhoto = cardOf(page, 'village-card', villageName);
			const image = withPhoto.locator('.card-cover img');
			expect(await image.count()).toBe(1);
			expect(await image.getAttribute('loading')).toBe('lazy');
			expect(await image.getAttribute('alt')).toBe(
				locale === 'fr'
					? `La halle de ${villageName} un jour de marché`
					: `${villageName}'s market hall on a market day`
			);
			// The narrower stored copies are offered to the browser, widths ascending to the photo's own.
			const srcset = (await image.getAttribute('srcset')) ?? '';
			const widths = [...srcset.matchAll(/ (\d+)w/g)].map((m) => Number(m[1]));
			expect(widths.length).toBeGreaterThan(1);
			expect(widths).toEqual([...widths].sort((a, b) => a - b));
			expect(await image.getAttribute('sizes')).toBeTruthy();
			expect(await withPhoto.locator('svg.place-outline').count()).toBe(0);

			// Every other card draws its commune on the territory from the outlines file.
			const others = page.locator('li.village-card').filter({ hasNot: page.locator('.card-cover img') });
			expect(await others.count()).toBeGreaterThan(0);
			const other = others.first();
			const outline = other.locator('svg.place-outline');
			const territory = outline.locator('use.territory');
			const commune = outline.locator('use.commune');
			expect(await territory.getAttribute('href')).toMatch(
				/^\/map\/outlines\.svg\?v=[\w-]+&d=light&p=gers#territory$/
			);
			expect(await commune.getAttribute('href')).toMatch(/#c\d[\dAB]\d{3}$/);
			expect(await outline.getAttribute('data-commune')).toBe(
				(await commune.getAttribute('href'))!.split('#c')[1]
			);
			// Both references resolve (the drawing has a size), and the commune lies on the territory.
			await image.scrollIntoViewIfNeeded();
			await other.scrollIntoViewIfNeeded();
			const territoryBox = await drawnBox(territory);
			const communeBox = await drawnBox(commune);
			expect(territoryBox.width).toBeGreaterThan(50);
			expect(communeBox.width).toBeGreaterThan(0);
			expect(communeBox.width).toBeLessThan(territoryBox.width / 2);
			expect(inside(communeBox, territoryBox)).toBe(true);
			expect(inside(territoryBox, await drawnBox(other))).toBe(true);
			if (locale === 'fr') await screenshot(page, 'listings-place-villages');
		}

		// The file the cards point to holds the group they draw.
		const href = await (await visitor()).goto(`${demo.url}/villages`).then(async (response) => {
			const html = (await response?.text()) ?? '';
			return /href="(\/map\/outlines\.svg\?v=[^"#]+)#territory"/.exec(html.replaceAll('&amp;', '&'))?.[1];
		});
		expect(href).toBeTruthy();
		const svg = await (await fetch(`${demo.url}${href}`)).text();
		expect(svg).toMatch(/<g id="territory">\s*<path id="c/);
	});

	test('workspace and offer cards, and those the home page teases, show their commune on the territory when they have no photo', async () => {
		const page = await visitor();
		for (const [path, cardClass] of [
			['/workspaces', 'workspace-card'],
			['/', 'offer-card'],
			['/offers', 'offer-card']
		] as const) {
			await page.goto(`${demo.url}${path}`);
			const cards = page.locator(`li.${cardClass}`);
			expect(await cards.count(), path).toBeGreaterThan(0);
			const placed = cards.filter({ has: page.locator('svg.place-outline use.commune') });
			expect(await placed.count(), `${path}: cards with their commune`).toBeGreaterThan(0);
			const first = placed.first();
			await first.scrollIntoViewIfNeeded();
			expect((await drawnBox(first.locator('use.commune'))).width).toBeGreaterThan(0);
		}
		// The search's offer cards too: search for the commune of a card of the list.
		await page.goto(`${demo.url}/offers`);
		const commune = (await page.locator('li.offer-card .meta span').first().textContent())?.trim() ?? '';
		expect(commune.length).toBeGreaterThan(2);
		await page.goto(`${demo.url}/search?q=${encodeURIComponent(commune)}`);
		const found = page.locator('li.offer-card');
		expect(await found.count(), 'offers found by the search').toBeGreaterThan(0);
		expect(
			await found.filter({ has: page.locator('.card-cover img, svg.place-outline use.commune') }).count(),
			'search results with their photo or commune'
		).toBe(await found.filter({ hasNot: page.getByText(/Confidentiel|Confidential/) }).count());

		// A confidential takeover shows the bare territory: neither photo nor commune.
		const confidential = page
			.locator('li.offer-card')
			.filter({ hasText: /Confidentiel|Confidential/ })
			.first();
		if ((await confidential.count()) > 0) {
			expect(await confidential.locator('.card-cover img').count()).toBe(0);
			expect(await confidential.locator('use.commune').count()).toBe(0);
			expect(await confidential.locator('use.territory').count()).toBe(1);
		} else {
			console.log('no confidential takeover in the demo list: its card was not checked');
		}
	});

	test('each detail page has a small locator map that draws without JavaScript, in both languages', async () => {
		const listHtml = async (path: string) =>
			(await (await fetch(`${demo.url}${path}`)).text()).replaceAll('&amp;', '&');
		const details = [
			/href="(\/villages\/[a-z0-9-]+)"/.exec(await listHtml('/villages'))![1],
			/href="(\/workspaces\/[a-z0-9-]+)"/.exec(await listHtml('/workspaces'))![1],
			// An offer whose card shows a commune (not a confidential takeover).
			/<li class="card[^"]*offer-card[^>]*>(?:(?!<\/li>)[\s\S])*?#c\d[\dAB]\d{3}"(?:(?!<\/li>)[\s\S])*?href="(\/offers\/off_[\w-]+)"/.exec(
				await listHtml('/offers')
			)![1]
		];
		for (const locale of ['fr', 'en'] as const) {
			const page = await visitor({ locale });
			for (const path of details) {
				await page.goto(`${demo.url}${path}?lang=${locale}`);
				const locator = page.locator('section.place-locator');
				expect(await locator.count(), path).toBe(1);
				expect(await locator.locator('h2').textContent()).toBe(locale === 'fr' ? 'Situation' : 'Location');
				const map = locator.locator('svg[role="img"]');
				const label = (await map.getAttribute('aria-label')) ?? '';
				expect(label).toContain(locale === 'fr' ? 'sur la carte du territoire' : 'on a map of the territory');
				await map.scrollIntoViewIfNeeded();
				// The territory, the commune within it, and the pin's point on the commune.
				const territoryBox = await drawnBox(map.locator('use.territory'));
				const communeBox = await drawnBox(map.locator('use.commune'));
				expect(territoryBox.width).toBeGreaterThan(100);
				expect(inside(communeBox, territoryBox)).toBe(true);
				const pin = await drawnBox(map.locator('.pin circle'));
				const tip = { x: pin.x + pin.width / 2, y: pin.y + pin.height / 2 };
				expect(tip.x).toBeGreaterThanOrEqual(communeBox.x - 8);
				expect(tip.x).toBeLessThanOrEqual(communeBox.x + communeBox.width + 8);
				expect(await locator.locator('a[href="/map"]').count()).toBe(1);
			}
			if (locale === 'en') await screenshot(page, 'listings-place-offer-locator');
		}
		const page = await visitor({ javaScript: true });
		await page.goto(`${demo.url}${details[2]}`);
		await expectNoAxeViolations(page);
	});

	test('the back-office pages of a village, an offer and a workspace show the card’s cover and the same locator map', async () => {
		for (const [email, locale] of [
			['admin@demo.soho.example', 'fr'],
			['committee@demo.soho.example', 'en']
		] as const) {
			const page = await demo.signIn(email, { locale });
			for (const list of ['/backoffice/villages', '/backoffice/offers', '/backoffice/workspaces']) {
				await page.goto(`${demo.url}${list}?lang=${locale}`);
				const link = page.locator(`table a[href^="${list}/"]`).first();
				if (email.startsWith('admin') || list === '/backoffice/villages')
					expect(await link.count(), `${email}: a link on ${list}`).toBe(1);
				if ((await link.count()) === 0) continue;
				await page.goto(`${demo.url}${await link.getAttribute('href')}`);
				const place = page.getByTestId('listing-place');
				expect(await place.count(), list).toBe(1);
				// The cover: the first photo, else the commune on the territory.
				expect(await place.locator('.card-cover img, .card-cover svg.place-outline').count(), list).toBe(1);
				const map = place.locator('section.place-locator svg[role="img"]');
				expect(await map.getAttribute('aria-label'), list).toContain(
					locale === 'fr' ? 'sur la carte du territoire' : 'on a map of the territory'
				);
				await map.scrollIntoViewIfNeeded();
				const territoryBox = await drawnBox(map.locator('use.territory'));
				const communeBox = await drawnBox(map.locator('use.commune'));
				expect(territoryBox.width, list).toBeGreaterThan(100);
				expect(inside(communeBox, territoryBox), list).toBe(true);
				expect(await map.locator('.pin').count(), list).toBe(1);
				if (locale === 'fr' && list === '/backoffice/offers')
					await screenshot(page, 'listings-place-backoffice-offer');
			}
		}
	});

	test('long badges wrap inside their card at 1366 and 390 px, and an e-mail address breaks between its parts on a phone', async () => {
		// The laptop's grid has the narrowest cards (15rem beside the filters); the phone's are one column.
		for (const viewport of [LAPTOP, PHONE]) {
			const page = await visitor({ viewport });
			await page.goto(`${demo.url}/villages?scope=all`);
			const cards = page.locator('li.village-card');
			const count = await cards.count();
			expect(count).toBeGreaterThan(0);
			let gbit = 0;
			for (let i = 0; i < count; i++) {
				const card = cards.nth(i);
				const cardBox = (await card.boundingBox())!;
				for (const badge of await card.locator('.connection').all()) {
					const text = (await badge.textContent()) ?? '';
					if (text.includes('Gbit')) gbit++;
					expect(inside((await badge.boundingBox())!, cardBox), text).toBe(true);
				}
			}
			expect(gbit, 'a card with the longest broadband label').toBeGreaterThan(0);
		}
		const page = await visitor({ viewport: PHONE });

		// A contact e-mail on a detail page: cut before "@" and dots, never wider than its panel.
		for (const list of ['/villages', '/workspaces']) {
			const html = await (await fetch(`${demo.url}${list}`)).text();
			const paths = [...html.matchAll(new RegExp(`href="(${list}/[a-z0-9-]+)"`, 'g'))].map((m) => m[1]);
			for (const path of [...new Set(paths)]) {
				await page.goto(`${demo.url}${path}`);
				const email = page.locator('dd.email a').first();
				if ((await email.count()) === 0) continue;
				const text = (await email.textContent()) ?? '';
				expect(await email.getAttribute('href')).toBe(`mailto:${text}`);
				expect(await email.locator('wbr').count()).toBe(text.split(/(?=[@.])/).length - 1);
				const panel = page.locator('section.panel').filter({ has: email });
				expect(inside((await email.boundingBox())!, (await panel.boundingBox())!)).toBe(true);
				expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
					PHONE.width
				);
				await screenshot(page, 'listings-place-contact-phone');
				return;
			}
		}
		throw new Error('no detail page of the demo shows a contact e-mail');
	});
});
