import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	countProbe,
	demoEmail,
	idsIn,
	pageData,
	printProbeCounts,
	signInByFetch
} from './security-support.ts';
import { e2eSkipReason, useDemoServer } from './support.ts';

/*
 * Cross-site scripting: payloads typed into /apply and the back-office forms (stored), and put in
 * the query strings of the pages (reflected), rendered in Chromium with JavaScript on, as the roles
 * who see them. A payload that runs opens a dialog (`alert`); one that lands as markup leaves an
 * element with an `on…` handler, a script or a `javascript:` link: none may appear.
 */

const skip = e2eSkipReason();

const MARK = 'xss13';
const PAYLOADS = [
	`<img src=x onerror=alert('${MARK}')>`,
	`"><script>alert('${MARK}')</script>`,
	`'><svg onload=alert('${MARK}')>`,
	`javascript:alert('${MARK}')`
];
/** One field's value: every payload, so each field carries each kind. */
const ALL = PAYLOADS.join(' ');

describe.skipIf(skip)('security: cross-site scripting', () => {
	// Every probe comes from 127.0.0.1: the public forms' per-address limits would answer 429 to most
	// of them (their own tests are in rate-limit and case-intake service tests).
	const demo = useDemoServer({
		env: { SOHO_LIMIT_APPLICATIONS_PER_HOUR: '100000', SOHO_LIMIT_MAILS_PER_RECIPIENT_PER_HOUR: '100000' }
	});
	const dialogs: string[] = [];
	const injected: string[] = [];
	const pages = new Map<string, Page>();

	afterAll(() => printProbeCounts('security-xss.e2e.ts'));

	/** A signed-in (or visitor's) browser page with JavaScript on, whose dialogs are recorded. */
	async function browserPage(who: string): Promise<Page> {
		const known = pages.get(who);
		if (known) return known;
		let page: Page;
		if (who === 'visitor') {
			const context = await demo.browser.newContext({ javaScriptEnabled: true });
			demo.contexts.push(context);
			page = await context.newPage();
		} else page = await demo.signIn(demoEmail(who as 'admin'), { javaScript: true, offline: true });
		page.on('dialog', async (dialog) => {
			dialogs.push(`${who} ${page.url()}: ${dialog.message()}`);
			await dialog.dismiss();
		});
		pages.set(who, page);
		return page;
	}

	/** Renders `path` as `who` and records any payload that became markup. */
	async function render(who: string, path: string, kind: string): Promise<string> {
		const page = await browserPage(who);
		await page.goto(demo.url + path, { waitUntil: 'load' });
		countProbe(kind);
		for (const problem of await inspect(page)) injected.push(`${who} ${path}: ${problem}`);
		return page.content();
	}

	/** The payloads of the page that became markup: handlers, scripts, `javascript:` links. */
	async function inspect(page: Page): Promise<string[]> {
		// Let an injected handler fire (an image error, a hydration-time script).
		await page.waitForTimeout(150);
		return page.evaluate((mark) => {
			const problems: string[] = [];
			for (const element of document.querySelectorAll('*')) {
				for (const attribute of element.attributes) {
					if (attribute.name.startsWith('on') && attribute.value.includes(mark))
						problems.push(`${element.tagName} ${attribute.name}`);
					if (
						['href', 'src', 'action', 'formaction'].includes(attribute.name) &&
						/^\s*javascript:/i.test(attribute.value)
					)
						problems.push(`${element.tagName} ${attribute.name}=${attribute.value.slice(0, 40)}`);
				}
				if (
					element.tagName === 'SCRIPT' &&
					element.textContent?.includes(`alert('${mark}')`) &&
					!element.textContent.includes('__sveltekit')
				)
					problems.push('SCRIPT');
			}
			return problems;
		}, MARK);
	}

	test('the probe sees a payload that became markup: the dialog, the handler, the script and the link', async () => {
		const page = await browserPage('visitor');
		await page.setContent(
			`<main><img src=x onerror="alert('${MARK}')"><a href="javascript:alert('${MARK}')">x</a><script>alert('${MARK}')</script></main>`
		);
		expect(await inspect(page)).toEqual(['IMG onerror', "A href=javascript:alert('xss13')", 'SCRIPT']);
		expect(dialogs.length).toBeGreaterThan(0);
		dialogs.length = 0;
	});

	let caseId = '';

	beforeAll(async () => {
		// The application is posted as a visitor's browser would without JavaScript.
		const response = await fetch(`${demo.url}/apply`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: demo.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				firstName: `${MARK}${PAYLOADS[0]}`,
				lastName: `${MARK}${PAYLOADS[1]}`,
				email: 'xss.probe@example.org',
				phone: '+33 6 00 00 00 01',
				hasPartner: 'on',
				partnerFirstName: PAYLOADS[2],
				partnerProfession: PAYLOADS[1],
				profession: PAYLOADS[0],
				status: 'freelancer',
				sector: PAYLOADS[2],
				wishedArea: ALL,
				villages: 'simorre',
				timeline: 'within_6_months',
				wouldMoveWithoutProgramme: 'yes',
				howHeard: PAYLOADS[3],
				consentContact: 'on',
				consentShareWithCommittees: 'on'
			})
		});
		await response.arrayBuffer();
		expect(response.status).toBe(303);
		const { cookie } = await signInByFetch(demo.url, demoEmail('advisor'));
		[caseId] = idsIn(await pageData(demo.url, `/backoffice/cases?q=${MARK}`, cookie), 'cas');
		expect(caseId).toMatch(/^cas_/);
	});

	test('an application full of payloads shows as text on the advisor’s, the committee’s and the admin’s pages', async () => {
		const html = await render('advisor', `/backoffice/cases/${caseId}`, 'stored: pages rendered');
		expect(html).toContain(MARK);
		await render('advisor', `/backoffice/cases?q=${MARK}`, 'stored: pages rendered');
		await render('advisor', '/backoffice/cases/board', 'stored: pages rendered');
		await render('advisor', `/backoffice/cases/${caseId}/edit`, 'stored: pages rendered');
		// The sector typed as "other" is listed, as text, for advisors to map.
		await render('advisor', '/backoffice/vocabularies', 'stored: pages rendered');
		await render('admin', `/backoffice/cases/${caseId}/history`, 'stored: pages rendered');
		await render('committee', '/backoffice', 'stored: pages rendered');
		await render('committee', `/backoffice/cases/${caseId}`, 'stored: pages rendered');
		expect(dialogs).toEqual([]);
		expect(injected).toEqual([]);
	});

	const BACK_OFFICE_FORMS = [
		'/backoffice/offers/new',
		'/backoffice/events/new',
		'/backoffice/workspaces/new',
		'/backoffice/organisations/new',
		'/backoffice/villages/new',
		'/backoffice/mail-templates/new',
		'/backoffice/cases/new'
	];

	test('payloads typed into every text field of the back-office forms run nowhere, saved or sent back with errors', async () => {
		const admin = await browserPage('admin');
		const landed: string[] = [];
		for (const path of BACK_OFFICE_FORMS) {
			await admin.goto(demo.url + path);
			const form = admin.locator('main form[method="post"]').last();
			const fields = form.locator(
				'input:not([type]), input[type="text"], input[type="url"], input[type="search"], input[type="tel"], textarea'
			);
			const count = await fields.count();
			for (let i = 0; i < count; i += 1) {
				const field = fields.nth(i);
				if (!(await field.isVisible()) || !(await field.isEditable())) continue;
				const type = await field.getAttribute('type');
				await field.fill(type === 'url' ? PAYLOADS[3] : `${MARK} ${ALL}`);
				countProbe('stored: form fields filled');
			}
			// The browser's own checks (required, url) would stop the post: the server's are what is tested.
			await form.evaluate((element) => ((element as HTMLFormElement).noValidate = true));
			await Promise.all([
				admin.waitForLoadState('load'),
				form.locator('button[type="submit"]').last().click()
			]);
			await admin.waitForTimeout(300);
			landed.push(new URL(admin.url()).pathname);
			await render(
				'admin',
				new URL(admin.url()).pathname + new URL(admin.url()).search,
				'stored: pages rendered'
			);
		}
		// The lists and the portal that show what was saved.
		for (const path of [
			'/backoffice/offers',
			'/backoffice/events',
			'/backoffice/workspaces',
			'/backoffice/organisations',
			'/backoffice/villages',
			'/backoffice/mail-templates'
		])
			await render('admin', path, 'stored: pages rendered');
		for (const path of ['/offers', '/events', '/workspaces', '/villages'])
			await render('visitor', path, 'stored: pages rendered');
		expect(landed.length).toBe(BACK_OFFICE_FORMS.length);
		expect(dialogs).toEqual([]);
		expect(injected).toEqual([]);
	}, 240_000);

	test('payloads in the query string of the pages are never reflected as markup', async () => {
		const query = (names: string[]) => new URLSearchParams(names.map((name) => [name, ALL])).toString();
		const reflected = [
			['visitor', `/search?${query(['q'])}`],
			['visitor', `/offers?${query(['q', 'kind', 'village', 'commune'])}`],
			['visitor', `/villages?${query(['q', 'status'])}`],
			['visitor', `/workspaces?${query(['q', 'kind'])}`],
			['visitor', `/events?${query(['kind', 'village'])}`],
			['visitor', `/directory?${query(['q', 'skill'])}`],
			['visitor', `/apply?${query(['offer', 'village'])}`],
			['visitor', `/apply/thanks?${query(['ref'])}`],
			['visitor', `/signin?next=${encodeURIComponent(PAYLOADS[3])}`],
			['visitor', `/reset-password?${query(['token'])}`],
			['advisor', `/backoffice/cases?${query(['q', 'stage', 'village'])}`],
			['advisor', `/backoffice/observatory/funnel?${query(['from', 'to', 'village'])}`],
			['admin', `/backoffice/people?${query(['q', 'role', 'status', 'invited'])}`],
			['admin', `/backoffice/outbox?${query(['status'])}`]
		];
		for (const [who, path] of reflected) await render(who, path, 'reflected: pages rendered');
		expect(dialogs).toEqual([]);
		expect(injected).toEqual([]);
	});
});
