import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useDemoServer, e2eSkipReason } from './support.ts';

/**
 * Issue 11 §6: no page shows a shell command or an environment variable name to a reader who is
 * not an admin (admins get a link to the upload page instead). Every URL of the sitemap is read
 * anonymously, and every observatory page as a committee member and as an admin, on the demo
 * without outlines nor INSEE attributes — where the pages used to print how to import them —
 * and on the demo with the bundled reference data.
 */
const skipReason = e2eSkipReason();
if (skipReason) console.log(`e2e no shell commands skipped: ${skipReason}`);

/** `soho <command>` as the CLI spells its commands, and the operator settings' variable names. */
const SHELL_COMMAND =
	/\bsoho (db|geo|territory|user|config|import|export|programme|mail|observatory|connectivity|case|cases|seed|serve|jobs?)\b/;
const ENV_VARIABLE = /\b(SOHO_[A-Z_]+|DATABASE_URL|SMTP_URL|MAIL_FROM|LOG_LEVEL|BODY_SIZE_LIMIT)\b|\bORIGIN=/;

const OBSERVATORY_PAGES = [
	'',
	'/flows',
	'/funnel',
	'/profiles',
	'/integration',
	'/durability',
	'/impact',
	'/geography',
	'/definitions',
	'/exports',
	'/report'
].map((path) => `/backoffice/observatory${path}`);

/** What a page shows (text, attributes, inline data) that looks like a command or a variable. */
function leaks(html: string): string[] {
	return [SHELL_COMMAND, ENV_VARIABLE].flatMap((pattern) => {
		const match = pattern.exec(html);
		return match ? [html.slice(Math.max(0, match.index - 60), match.index + 60)] : [];
	});
}

test('the patterns catch what pages used to print, and not the word soho alone', () => {
	expect(leaks('importez-les avec `soho geo import FICHIER` ou `soho geo fetch`')).toHaveLength(1);
	expect(leaks('(or set SOHO_INSEE_DIR before the demo is created)')).toHaveLength(1);
	expect(leaks('Set ORIGIN=https://example.org')).toHaveLength(1);
	expect(leaks('soho — open-source software; computed by soho and checked')).toEqual([]);
});

for (const [label, env] of [
	['without reference data', { SOHO_GEO_FILE: 'none', SOHO_INSEE_DIR: 'none' }],
	['with the bundled reference data', {}]
] as const) {
	describe.skipIf(skipReason !== null)(`no shell command on any page (${label})`, () => {
		const demo = useDemoServer({ env });

		async function check(page: Page, urls: string[]): Promise<string[]> {
			const found: string[] = [];
			for (const url of urls) {
				const response = await page.goto(url.startsWith('http') ? url : `${demo.url}${url}`);
				expect(response?.status(), url).toBeLessThan(500);
				for (const leak of leaks(await page.content())) found.push(`${url}: …${leak}…`);
			}
			return found;
		}

		test('every page of the sitemap, read anonymously', async () => {
			const xml = await (await fetch(`${demo.url}/sitemap.xml`)).text();
			const urls = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
			expect(urls.length).toBeGreaterThan(20);
			// The served HTML is what a reader without JavaScript gets: plain requests, four at a time.
			const found: string[] = [];
			const queue = urls.map((url) => url.replace(/^https?:\/\/[^/]+/, demo.url));
			await Promise.all(
				Array.from({ length: 4 }, async () => {
					for (let url = queue.shift(); url; url = queue.shift()) {
						const response = await fetch(url);
						expect(response.status, url).toBe(200);
						for (const leak of leaks(await response.text())) found.push(`${url}: …${leak}…`);
					}
				})
			);
			expect(found).toEqual([]);
		});

		test('every observatory page, as a committee member and as an admin, and the map as staff', async () => {
			for (const email of [
				'committee@demo.soho.example',
				'advisor@demo.soho.example',
				'admin@demo.soho.example'
			]) {
				const page = await demo.signIn(email, { locale: 'en' });
				const found = await check(page, [...OBSERVATORY_PAGES, '/map', '/villages?km=40', '/offers?km=40']);
				expect(found, email).toEqual([]);
			}
		});
	});
}
