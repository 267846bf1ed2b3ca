import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useDemoServer, e2eSkipReason, expectNoAxeViolations, screenshot } from './support.ts';

/**
 * Back-office editing of villages, workspaces and offers by the people who own them:
 * Markdown that renders inert, photo uploads (accepted and refused), scope (404 for
 * other people's records), errors next to their field with the typed values kept.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e back-office listings skipped: ${skipReason}`);

const ACCOUNTS = {
	admin: 'admin@demo.soho.example',
	committee: 'committee@demo.soho.example',
	partner: 'partner@demo.soho.example'
} as const;

/** Markdown a careless (or malicious) editor could paste: none of it may run. */
const HOSTILE_MARKDOWN = [
	'**Bienvenue à Simorre**, village de la Save.',
	'',
	'<script>window.__xss = "script"</script>',
	'',
	'<img src="x" onerror="window.__xss = \'onerror\'">',
	'',
	'[un lien](javascript:window.__xss="link") et [le site](https://example.org)'
].join('\n');

describe.skipIf(skipReason !== null)(
	'back office: villages, workspaces and offers edited by their owners',
	() => {
		const demo = useDemoServer();
		let files: string;

		beforeAll(() => {
			files = mkdtempSync(join(tmpdir(), 'soho-listings-e2e-'));
		});
		afterAll(() => {
			if (files) rmSync(files, { recursive: true, force: true });
		});

		const signIn = (account: keyof typeof ACCOUNTS, viewport = { width: 1280, height: 900 }): Promise<Page> =>
			demo.signIn(ACCOUNTS[account], { javaScript: true, viewport });

		/** The edit links of a back-office list: id → visible name. */
		async function listLinks(page: Page, path: string): Promise<Map<string, string>> {
			await page.goto(`${demo.url}${path}`);
			const links = await page
				.locator(`table th[scope="row"] a[href^="${path}/"]`)
				.evaluateAll((anchors) =>
					anchors.map((a) => [a.getAttribute('href') ?? '', (a.textContent ?? '').trim()] as const)
				);
			return new Map(links.map(([href, name]) => [href.split('/').pop() ?? '', name]));
		}

		/** The error shown inside the field that holds the named control, or null. */
		async function fieldError(page: Page, form: string, name: string): Promise<string | null> {
			const field = page.locator(`${form} .field:has([name="${name}"])`);
			const error = field.locator('.field-error');
			return (await error.count()) ? ((await error.first().textContent())?.trim() ?? '') : null;
		}

		test('a committee member edits their village: Markdown renders inert, a photo is uploaded and served, a bad file is refused, another village is 404', async () => {
			const admin = await signIn('admin');
			const allVillages = await listLinks(admin, '/backoffice/villages');
			await admin.context().close();

			const page = await signIn('committee');
			const villages = await listLinks(page, '/backoffice/villages');
			expect([...villages.values()].sort()).toEqual(['Cologne', 'Samatan', 'Simorre']);
			expect(allVillages.size).toBeGreaterThan(villages.size);
			await expectNoAxeViolations(page);
			await screenshot(page, 'backoffice-villages-committee');

			const simorreId = [...villages].find(([, name]) => name === 'Simorre')![0];
			await page.goto(`${demo.url}/backoffice/villages/${simorreId}`);
			expect(await page.locator('h1').textContent()).toContain('Simorre');
			await expectNoAxeViolations(page);

			// Markdown with a script, an event handler and a javascript: link.
			await page.fill('textarea[name="presentationFr"]', HOSTILE_MARKDOWN);
			await Promise.all([
				page.waitForLoadState('load'),
				page.click('form[action="?/save"] button[type="submit"]')
			]);
			await expect(page.locator('[role="status"]').first().textContent()).resolves.toContain('enregistrées');
			expect(await page.locator('textarea[name="presentationFr"]').inputValue()).toBe(HOSTILE_MARKDOWN);
			const preview = page.locator('.markdown-preview-body').first();
			expect(await preview.innerHTML()).toContain('<strong>Bienvenue à Simorre</strong>');
			const previewHtml = await preview.innerHTML();
			expect(previewHtml).not.toMatch(/<script|onerror|javascript:/i);
			expect(await page.evaluate(() => (window as { __xss?: string }).__xss)).toBeUndefined();

			// The public page (when it exists) shows the same text, inert.
			const publicPage = await page.context().newPage();
			const response = await publicPage.goto(`${demo.url}/villages/simorre?lang=fr`);
			if (response?.status() === 200) {
				expect(await publicPage.content()).toContain('Bienvenue à Simorre');
				expect(await publicPage.locator('[onerror]').count()).toBe(0);
				expect(await publicPage.locator('a[href^="javascript:"]').count()).toBe(0);
				expect(await publicPage.evaluate(() => (window as { __xss?: string }).__xss)).toBeUndefined();
			} else {
				console.log(`/villages/simorre answered ${response?.status()}: checked the back-office preview only`);
			}
			await publicPage.close();

			// A photo: a generated PNG, stored as WebP and served immutable.
			const pngPath = join(files, 'place.png');
			writeFileSync(
				pngPath,
				await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#1f5f4a' } })
					.composite([
						{
							input: Buffer.from(
								'<svg width="600" height="400"><circle cx="300" cy="200" r="150" fill="#f3c969"/></svg>'
							),
							top: 200,
							left: 300
						}
					])
					.png()
					.toBuffer()
			);
			await page.setInputFiles('input[name="photo"]', pngPath);
			await page.fill('input[name="altFr"]', 'La place de Simorre et son église fortifiée');
			await page.fill('input[name="altEn"]', "Simorre's square and its fortified church");
			await Promise.all([
				page.waitForLoadState('load'),
				page.click('form[action="?/addPhoto"] button[type="submit"]')
			]);
			await expect(page.locator('.photo-upload [role="status"]').textContent()).resolves.toContain(
				'Photo ajoutée'
			);
			const image = page.locator('.photo-list img').first();
			expect(await image.getAttribute('alt')).toBe('La place de Simorre et son église fortifiée');
			const src = (await image.getAttribute('src')) ?? '';
			expect(src).toMatch(/^\/media\/[a-f0-9]{64}\.webp$/);
			const served = await fetch(`${demo.url}${src}`);
			expect(served.status).toBe(200);
			expect(served.headers.get('content-type')).toBe('image/webp');
			expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
			expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).format).toBe('webp');
			expect((await fetch(`${demo.url}/media/${'0'.repeat(64)}.webp`)).status).toBe(404);
			// The public village page shows the photo with its text alternative in the reader's language.
			const publicHtml = await (await fetch(`${demo.url}/villages/simorre?lang=fr`)).text();
			expect(publicHtml).toContain(`src="${src}"`);
			expect(publicHtml).toContain('alt="La place de Simorre et son église fortifiée"');
			await expectNoAxeViolations(page);
			await screenshot(page, 'backoffice-village-edit-committee');

			// A text file renamed .png is refused with its reason, next to the file field; alt texts are kept.
			const textPath = join(files, 'not-a-photo.png');
			writeFileSync(textPath, 'Ceci est un texte, pas une photo.\n');
			await page.setInputFiles('input[name="photo"]', textPath);
			await page.fill('input[name="altFr"]', 'Texte alternatif conservé');
			await page.fill('input[name="altEn"]', 'Kept alternative text');
			await Promise.all([
				page.waitForLoadState('load'),
				page.click('form[action="?/addPhoto"] button[type="submit"]')
			]);
			expect(await fieldError(page, '.photo-upload', 'photo')).toContain("n'est pas une image");
			expect(await page.locator('input[name="altFr"]').inputValue()).toBe('Texte alternatif conservé');
			expect(await page.locator('input[name="altEn"]').inputValue()).toBe('Kept alternative text');
			expect(await page.locator('.photo-list img').count()).toBe(1);
			await expectNoAxeViolations(page);
			await screenshot(page, 'backoffice-village-photo-refused');

			// Another village's edit page does not exist for this committee member.
			const otherId = [...allVillages.keys()].find((id) => !villages.has(id))!;
			const denied = await page.goto(`${demo.url}/backoffice/villages/${otherId}`);
			expect(denied?.status()).toBe(404);
			await page.context().close();
		});

		test("a partner edits their workspace (an empty name is flagged next to the field, the rest is kept) and gets 404 for another organisation's offer", async () => {
			const admin = await signIn('admin');
			const allOffers = await listLinks(admin, '/backoffice/offers');
			await admin.goto(`${demo.url}/backoffice/offers/${[...allOffers.keys()][0]}`);
			await expectNoAxeViolations(admin);
			await admin.goto(`${demo.url}/backoffice/workspaces/new`);
			await expectNoAxeViolations(admin);
			await admin.context().close();

			const page = await signIn('partner');
			const workspaces = await listLinks(page, '/backoffice/workspaces');
			expect(workspaces.size).toBeGreaterThan(0);
			const [workspaceId, workspaceName] = [...workspaces][0];
			await page.goto(`${demo.url}/backoffice/workspaces/${workspaceId}`);
			await expectNoAxeViolations(page);

			await page.fill('input[name="name"]', '');
			await page.fill('input[name="capacity"]', '42');
			await page.fill('textarea[name="equipment"]', 'Salle de réunion\nImprimante\nCabine téléphonique');
			await Promise.all([
				page.waitForLoadState('load'),
				page.click('form[action="?/save"] button[type="submit"]')
			]);
			expect(await fieldError(page, 'form[action="?/save"]', 'name')).toContain('Nom invalide');
			expect(await page.locator('input[name="name"]').getAttribute('aria-invalid')).toBe('true');
			expect(await page.locator('input[name="capacity"]').inputValue()).toBe('42');
			expect(await page.locator('textarea[name="equipment"]').inputValue()).toBe(
				'Salle de réunion\nImprimante\nCabine téléphonique'
			);
			await expectNoAxeViolations(page);
			await screenshot(page, 'backoffice-workspace-edit-error');

			await page.fill('input[name="name"]', workspaceName);
			await Promise.all([
				page.waitForLoadState('load'),
				page.click('form[action="?/save"] button[type="submit"]')
			]);
			await expect(page.locator('[role="status"]').first().textContent()).resolves.toContain('enregistrées');
			expect(await page.locator('input[name="capacity"]').inputValue()).toBe('42');

			const ownOffers = await listLinks(page, '/backoffice/offers');
			const foreignOffer = [...allOffers.keys()].find((id) => !ownOffers.has(id))!;
			expect(foreignOffer).toBeTruthy();
			const denied = await page.goto(`${demo.url}/backoffice/offers/${foreignOffer}`);
			expect(denied?.status()).toBe(404);
			// A partner has no village to edit.
			expect((await page.goto(`${demo.url}/backoffice/villages`))?.status()).toBe(200);
			expect(await page.locator('table').count()).toBe(0);
			await page.context().close();

			const mobile = await signIn('partner', { width: 390, height: 844 });
			await mobile.goto(`${demo.url}/backoffice/workspaces/${workspaceId}`);
			await screenshot(mobile, 'backoffice-workspace-edit-mobile');
			await mobile.context().close();
		});

		test("staff override a commune's connection level, approve a candidate for a confidential takeover and expire an offer", async () => {
			const page = await signIn('admin');
			const villages = await listLinks(page, '/backoffice/villages');
			await page.goto(`${demo.url}/backoffice/villages/${[...villages.keys()][0]}`);
			await page.selectOption('select[name="level"]', 'gbit');
			await page.fill('textarea[name="note"]', 'Fibre raccordée au bourg en mars');
			await Promise.all([
				page.waitForLoadState('load'),
				page.click('form[action="?/overrideConnectivity"] button[type="submit"]')
			]);
			await expect(page.locator('[role="status"]').first().textContent()).resolves.toContain(
				'Niveau de connexion enregistré'
			);
			expect(await page.locator('select[name="level"]').inputValue()).toBe('gbit');

			await page.goto(`${demo.url}/backoffice/offers`);
			const confidential = page.locator('table tr:has(.badge:text("Confidentielle")) th a').first();
			await Promise.all([page.waitForLoadState('load'), confidential.click()]);
			const candidates = await page.locator('select[name="userId"] option').count();
			if (candidates > 0) {
				await Promise.all([
					page.waitForLoadState('load'),
					page.click('form[action="?/approveDisclosure"] button[type="submit"]')
				]);
				await expect(page.locator('[role="status"]').first().textContent()).resolves.toContain(
					'peut maintenant voir'
				);
			}
			await expectNoAxeViolations(page);

			await Promise.all([
				page.waitForLoadState('load'),
				page.click('form[action="?/expire"] button[type="submit"]')
			]);
			await expect(page.locator('[role="status"]').first().textContent()).resolves.toContain(
				'retirée du portail'
			);
			expect(await page.locator('form[action="?/expire"]').count()).toBe(0);
			await screenshot(page, 'backoffice-offer-expired-admin');
			await page.context().close();
		});
	}
);
