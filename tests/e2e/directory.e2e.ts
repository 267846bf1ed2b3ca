import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSkipReason, expectNoAxeViolations, screenshot, useDemoServer } from './support.ts';

/**
 * Issue 5 (members and directory): a visitor finds a listed solo by skill and language,
 * accent- and case-insensitively, in French and English; a member who leaves the directory
 * is found nowhere; once they opt in again they appear. Works with the demo member account
 * (Sofie de Vries, a Dutch-speaking translator in Lectoure).
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e directory skipped: ${skipReason}`);

const SOFIE = 'Sofie de Vries (démo)';

/** Searches the directory through its form and returns the names listed. */
async function search(page: Page, url: string, q: string, lang: 'fr' | 'en' = 'en'): Promise<string[]> {
	await page.goto(`${url}/directory?lang=${lang}`);
	await page.fill('#directory-q', q);
	await Promise.all([
		// The form's own URL already matches /directory?: wait for the one carrying the query.
		page.waitForURL((u) => u.pathname === '/directory' && u.searchParams.get('q') === q),
		page.locator('form.directory-form button[type=submit]').click()
	]);
	return (await page.locator('.directory-list h3').allTextContents()).map((name) => name.trim());
}

describe.skipIf(skipReason !== null)('member directory', () => {
	const demo = useDemoServer();

	test('a visitor finds a listed solo by skill and language in French and English, whatever the accents', async () => {
		const page = await demo.browser.newPage();
		for (const [q, lang] of [
			['traductrice néerlandais Lectoure', 'fr'],
			['TRADUCTRICE NEERLANDAIS lectoure', 'fr'],
			['Dutch translator near Lectoure', 'en']
		] as const) {
			expect(await search(page, demo.url, q, lang), q).toContain(SOFIE);
		}
		await expect(page.locator('.understood').textContent()).resolves.toMatch(/Dutch/);
		await expectNoAxeViolations(page);
		await screenshot(page, 'directory-search-1280');
		await page.setViewportSize({ width: 375, height: 800 });
		await expectNoAxeViolations(page);
		await page.getByRole('link', { name: SOFIE }).first().click();
		await page.waitForURL(/\/directory\/mbr_/);
		await expect(page.locator('h1').textContent()).resolves.toContain('Sofie');
		await expectNoAxeViolations(page);
		await page.close();
	});

	test('a member who leaves the directory is found nowhere; after opting in again they appear', async () => {
		const member = await demo.signIn('member@demo.soho.example', { locale: 'en', javaScript: true });
		expect(new URL(member.url()).pathname).toBe('/member');
		await expectNoAxeViolations(member);
		const profilePath = await member.getByRole('link', { name: 'View my page' }).getAttribute('href');
		expect(profilePath).toMatch(/^\/directory\/mbr_/);

		// A bad website is refused next to its field, and what was typed stays.
		await member.fill('input[name=website]', 'javascript:alert(1)');
		await member.fill('input[name=headline]', 'Traductrice et interprète FR–NL–EN');
		await Promise.all([
			member.waitForNavigation(),
			member.getByRole('button', { name: 'Save my profile' }).click()
		]);
		await member.waitForSelector('text=Invalid website address');
		await expect(member.inputValue('input[name=headline]')).resolves.toBe(
			'Traductrice et interprète FR–NL–EN'
		);
		await expectNoAxeViolations(member);

		// Leaves the directory.
		await member.fill('input[name=website]', 'https://sofie-de-vries.example');
		await member.uncheck('input[name=isListed]');
		await Promise.all([
			member.waitForNavigation(),
			member.getByRole('button', { name: 'Save my profile' }).click()
		]);
		await member.waitForSelector('text=Profile saved.');

		const visitor = await demo.browser.newPage();
		expect(await search(visitor, demo.url, 'Dutch translator')).not.toContain(SOFIE);
		expect(await search(visitor, demo.url, 'Sofie')).toEqual([]);
		const response = await visitor.goto(`${demo.url}${profilePath}`);
		expect(response?.status()).toBe(404);
		const sitemap = await (await fetch(`${demo.url}/sitemap.xml`)).text();
		expect(sitemap).not.toContain(profilePath!);

		// Opts in again: the profile appears, with the new headline.
		await member.check('input[name=isListed]');
		await Promise.all([
			member.waitForNavigation(),
			member.getByRole('button', { name: 'Save my profile' }).click()
		]);
		await member.waitForSelector('text=Profile saved.');
		expect(await search(visitor, demo.url, 'traducteur néerlandais', 'fr')).toContain(SOFIE);
		await expect(visitor.locator('.directory-list').textContent()).resolves.toContain(
			'Traductrice et interprète FR–NL–EN'
		);
		expect(await (await fetch(`${demo.url}/sitemap.xml`)).text()).toContain(profilePath!);
		await member.close();
		await visitor.close();
	});

	test('an advisor pairs an ambassador from the case page; the pairing shows on the case timeline and in the ambassador space', async () => {
		const advisor = await demo.signIn('advisor@demo.soho.example', { locale: 'en', javaScript: true });
		await advisor.goto(`${demo.url}/backoffice/cases?stage=installing&lang=en`);
		await Promise.all([
			advisor.waitForURL(/\/backoffice\/cases\/cas_/),
			advisor.locator('a.case-link').first().click()
		]);
		const casePath = new URL(advisor.url()).pathname;
		const section = advisor.locator('section[aria-labelledby="community-title"]');
		await expect(section.textContent()).resolves.toMatch(/Suggested ambassadors/);
		await advisor.goto(`${demo.url}${casePath}/community?lang=en`);
		await expectNoAxeViolations(advisor);
		const sofie = advisor.locator('ol.suggestions > li', { hasText: SOFIE });
		await expect(sofie.textContent()).resolves.toMatch(/Available: /);
		await sofie.locator('input[name=note]').fill('Coffee at the Lectoure market');
		await Promise.all([advisor.waitForNavigation(), sofie.getByRole('button').click()]);
		await advisor.waitForSelector('text=Coffee at the Lectoure market');
		await advisor.goto(`${demo.url}${casePath}?lang=en`);
		const timeline = (await advisor.locator('section[aria-labelledby="timeline-title"]').textContent()) ?? '';
		expect(timeline).toContain('Sofie de Vries');
		await advisor.close();

		const member = await demo.signIn('member@demo.soho.example', { locale: 'en', javaScript: true });
		const pairings = (await member.locator('section[aria-labelledby="pairings-title"]').textContent()) ?? '';
		expect(pairings).toContain('Coffee at the Lectoure market');
		await member.close();
	});

	test('a member chooses their languages by name, in their language; the codes stored before are ticked', async () => {
		// French, without JavaScript: the plain list of names, Sofie's stored codes (nl, fr, en) ticked.
		const fr = await demo.signIn('member@demo.soho.example', { locale: 'fr' });
		const languages = fr.locator('fieldset.language-picker').first();
		await expect(languages.locator('legend').textContent()).resolves.toBe('Langues');
		await expect(languages.getByLabel('Néerlandais').isChecked()).resolves.toBe(true);
		await expect(languages.getByLabel('Espagnol').isChecked()).resolves.toBe(false);
		// No code is shown: the labels are names.
		const labels = (await languages.locator('label').allTextContents()).map((label) => label.trim());
		expect(labels.filter((label) => /^[a-z]{2}$/.test(label))).toEqual([]);
		await languages.getByLabel('Espagnol').check();
		await Promise.all([
			fr.waitForNavigation(),
			fr.getByRole('button', { name: 'Enregistrer mon profil' }).click()
		]);
		await fr.waitForSelector('text=Profil enregistré.');
		await expect(
			fr.locator('fieldset.language-picker').first().getByLabel('Espagnol').isChecked()
		).resolves.toBe(true);
		await fr.close();

		// English: the same languages read in English (the member space is a public page: server-rendered).
		const en = await demo.signIn('member@demo.soho.example', { locale: 'en', javaScript: true });
		const picker = en.locator('fieldset.language-picker').first();
		await expect(picker.getByLabel('Spanish').isChecked()).resolves.toBe(true);
		await expect(picker.getByLabel('Dutch').isChecked()).resolves.toBe(true);
		await expectNoAxeViolations(en);
		// Spanish removed again; Dutch stays, so the directory still finds Sofie by it.
		await picker.getByLabel('Spanish').uncheck();
		await Promise.all([en.waitForNavigation(), en.getByRole('button', { name: 'Save my profile' }).click()]);
		await en.waitForSelector('text=Profile saved.');
		const after = en.locator('fieldset.language-picker').first();
		await expect(after.getByLabel('Spanish').isChecked()).resolves.toBe(false);
		await expect(after.getByLabel('Dutch').isChecked()).resolves.toBe(true);
		await en.close();
	});
});
