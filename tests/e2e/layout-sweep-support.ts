import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { decideRouteAccess } from '../../src/lib/server/http/route-access.ts';
import { listRoutes } from '../../src/lib/server/http/routes.test-utils.ts';
import { demoEmail, type DemoRole } from './security-support.ts';
import { e2eSkipReason, screenshot, useDemoServer, type DemoServer } from './support.ts';

/*
 * The overflow sweep (issue 16): every page each demo role may open, and every kind of public page
 * of the sitemap, at a phone's width (390×844) and a laptop's (1366×900). A page fails when the
 * document scrolls sideways, or when an element reaches past the viewport without sitting inside a
 * scroll region of its own (`overflow-x: auto | scroll`, which the page then shows as one). Each page
 * is opened once and measured at both widths (the viewport is resized, not the page reloaded), in one
 * browser context per role and language.
 *
 * Each role also opens the public lists and one public page of each kind (a village, an offer, a
 * workspace, an event, a member's profile), signed in; REQUIRED_DETAILS names the detail pages each
 * role must reach (one id read from its list), so a page no link leads to fails the sweep.
 *
 * Each role and the visitor are swept in French and in English (the app's own switch: `?lang=` on
 * the sign-in page or the first page, remembered in a cookie). On each page, besides the overflow:
 *  - words of the other language (WRONG_LANGUAGE below) in the text people read or hear (the
 *    visible text, hidden labels, aria-label, placeholder, title, alt) fail it — UI chrome only:
 *    the demo data is French and may stay French on an English page, so the words are ones that
 *    only the interface says;
 *  - axe-core (WCAG 2.1 A/AA) must find nothing, at the laptop's width. axe needs JavaScript, so
 *    the sweep runs with it on. axe runs once per page kind (route) and language: the first role of
 *    the file that opens the kind checks it (same components for the next roles).
 * Known failures on pages another branch is rebuilding are listed in ALLOWED, each with its reason.
 *
 * The sweep is two files of about the same length, so that CI's two e2e workers share it, each with
 * its own server: the admin, member and candidate (layout-sweep.e2e.ts), and the committee, partner
 * and visitor (layout-sweep-scoped.e2e.ts). The second leaves to the first the kinds the admin must
 * sweep (`pagesAdminMustSweep`: every page without parameters the admin may open, the public lists
 * and its REQUIRED_DETAILS; the admin's test fails when one was not swept), as one file did when the
 * admin went first.
 *
 * Each role prints how many pages it swept and where the time went (loading, measuring, reading the
 * text, axe, screenshots), to see what a slower sweep spends its time on.
 *
 * Screenshots of the key pages at both widths land in test-results/screenshots/sweep-*.png.
 */

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };
const ROUTES = listRoutes().filter((route) => route.kind === 'page');

/** admin stands for the advisor too (staff see the same pages; the admin sees a few more). */
type Role = Exclude<DemoRole, 'advisor'>;

/** Pages whose screenshots are kept (CI artefacts), by path as visited. */
const SCREENSHOT_PAGES: Record<string, string> = {
	'/backoffice/cases': 'case-list',
	'/backoffice/cases/board': 'board',
	'/backoffice/cases/[caseId]': 'case-page',
	'/backoffice': 'dashboard',
	'/backoffice/observatory': 'observatory',
	'/backoffice/outbox': 'outbox'
};

/**
 * Public pages each role also opens signed in (a signed-in person sees them with their own header,
 * a member sees the directory's profiles): the lists, then one page of each kind of detail, its id
 * read from the list's links.
 */
const PUBLIC_FOR_ROLES = [
	'/villages',
	'/offers',
	'/workspaces',
	'/events',
	'/directory',
	'/villages/[slug]',
	'/offers/[offerId]',
	'/workspaces/[slug]',
	'/events/[eventId]',
	'/directory/[profileId]'
] as const;

/**
 * The detail pages each role must reach in the demo (one of each kind, its id read from a list):
 * a sweep that found no link to one of them fails rather than skipping it quietly.
 */
const PUBLIC_DETAILS = ['/villages/[slug]', '/offers/[offerId]', '/workspaces/[slug]', '/events/[eventId]'];
const REQUIRED_DETAILS: Record<Role, readonly string[]> = {
	admin: [
		'/backoffice/cases/[caseId]',
		'/backoffice/cases/[caseId]/persons/[personId]',
		'/backoffice/villages/[villageId]',
		'/backoffice/offers/[offerId]',
		'/backoffice/workspaces/[workspaceId]',
		'/backoffice/events/[eventId]',
		'/backoffice/organisations/[organisationId]',
		'/backoffice/referrals/[referralId]',
		'/backoffice/stays/[stayId]',
		'/backoffice/people/[userId]',
		...PUBLIC_DETAILS
	],
	committee: ['/backoffice/cases/[caseId]', '/backoffice/villages/[villageId]', ...PUBLIC_DETAILS],
	partner: ['/backoffice/organisations/[organisationId]', ...PUBLIC_DETAILS],
	member: ['/directory/[profileId]', ...PUBLIC_DETAILS],
	candidate: PUBLIC_DETAILS
};

const LOCALES = ['fr', 'en'] as const;
type Locale = (typeof LOCALES)[number];

/**
 * Words of the other language that the interface may say and a person's data would not: checked
 * case-sensitively as whole words (a phrase is matched as written). `fr` lists what must not appear
 * on French pages (English words), `en` what must not appear on English pages (French words).
 * Left out on purpose: words the demo's French data says too ("Envoyer la liste…", "Candidature
 * reçue…", "le mercredi après-midi"), and "Welcome"/"Bienvenue", the names of mail templates kept in
 * both languages.
 */
const WRONG_LANGUAGE: Record<Locale, readonly string[]> = {
	fr: [
		'Save',
		'Search',
		'Household',
		'Cancel',
		'Sign in',
		'Sign out',
		'Dashboard',
		'Password',
		'Download',
		'Delete',
		'Previous',
		'Coming soon',
		'synthetic',
		'Loading',
		'Submit',
		'Back to',
		'Settings',
		'Show more',
		'January',
		'February',
		'April',
		'June',
		'July',
		'August',
		'October',
		'December',
		'Monday',
		'Tuesday',
		'Wednesday',
		'Thursday',
		'Friday'
	],
	en: [
		'Enregistrer',
		'Rechercher',
		'Ménage',
		'Bientôt',
		'Commune (code INSEE)',
		'Annuler',
		'Se connecter',
		'Se déconnecter',
		'Déconnexion',
		'Tableau de bord',
		'Mot de passe',
		'Précédent',
		'Télécharger',
		'Supprimer',
		'Aucun',
		'Aucune',
		'Voir tout',
		'Retour à',
		'niveaux synthétiques',
		'Paramètres',
		'Étape',
		'Prochaine'
	]
};

/**
 * Known failures left to another branch, by page (route path), language ('*' both), and what
 * failed: `word:<word>` or `axe:<rule id>`. Each says why it is allowed and who fixes it.
 */
type Allowance = { path: RegExp; locale: Locale | '*'; failure: string; reason: string };
const ALLOWED: readonly Allowance[] = [
	// The privacy notice names the cookies it sets, as the law asks: their names are the point.
	{
		path: /^\/privacy$/,
		locale: '*',
		failure: 'code',
		reason: 'cookie names (soho_lang, …) in the privacy notice'
	},
	// The import page lists the CSV columns a file must have: the names to type in the file's header.
	{
		path: /^\/backoffice\/cases\/import$/,
		locale: '*',
		failure: 'code',
		reason: 'the CSV column names the import expects (first_name, …)'
	}
];

const allowed = (path: string, locale: Locale, failure: string) =>
	ALLOWED.some(
		(entry) =>
			entry.path.test(path) && (entry.locale === '*' || entry.locale === locale) && entry.failure === failure
	);

type Offender = { path: string; width: number; selector: string; right: number; left: number };

/** What a person reads or hears on the page: visible text, hidden labels and the attributes read aloud. */
function readableText(): string {
	const lang = document.documentElement.lang;
	const parts = [document.body.innerText];
	for (const element of document.body.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
		// Text marked as another language (a quotation, a name of a language in itself) is not chrome.
		if (element.closest('[lang]')?.getAttribute('lang') !== lang) continue;
		if (element.closest('[hidden], [aria-hidden="true"]')) continue;
		for (const name of ['aria-label', 'placeholder', 'title', 'alt'])
			if (element.hasAttribute(name)) parts.push(element.getAttribute(name) ?? '');
	}
	// Elements marked as in another language are left out of the visible text too.
	for (const element of document.body.querySelectorAll('[lang]'))
		if (element.getAttribute('lang') !== lang && element instanceof HTMLElement)
			parts[0] = parts[0].replace(element.innerText, '');
	return parts.join('\n');
}

/** The words of `words` found in `text` (whole words; letters with accents count as letters). */
function wrongWords(text: string, words: readonly string[]): string[] {
	return words.filter((word) =>
		new RegExp(
			`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
			'u'
		).test(text)
	);
}

/**
 * Raw codes and identifiers a person should never read (issue 16: "no raw code or identifier shown
 * to anyone but an admin"): snake_case keys (`application_received`), dotted message kinds
 * (`case.application_received`) and record ids (`cas_3k9…`). E-mail addresses and links are not codes.
 */
function rawCodes(text: string): string[] {
	const words = text
		.split(/\s+/)
		.filter((word) => !word.includes('@') && !/^(https?:|\/|www\.)/.test(word))
		.map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
	return [
		...new Set(
			words.filter(
				(word) =>
					/^[a-z]+(?:[._][a-z0-9]+)*_[a-z0-9]+$/.test(word) || /^[a-z]{2,8}\.[a-z]+_[a-z_]+$/.test(word)
			)
		)
	];
}

type AxeViolation = { id: string; impact: string; nodes: { target: string[] }[] };
const AXE_SOURCE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

async function axeViolations(page: Page): Promise<AxeViolation[]> {
	// Evaluated through the debugging protocol, as support.ts does (the CSP refuses an injected script).
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
	return (await page.evaluate(async () => {
		// @ts-expect-error axe is injected above
		const result = await window.axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
			resultTypes: ['violations']
		});
		return result.violations.map((v: AxeViolation) => ({
			id: v.id,
			impact: v.impact,
			nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target }))
		}));
	})) as AxeViolation[];
}

/**
 * Measured in the page: the document's own overflow, then every element that reaches past the
 * viewport while no ancestor contains it (a scroll region scrolls it; a clipping box hides it and is
 * itself measured). Only the outermost offender of a branch is named.
 */
function measure(): {
	scrollWidth: number;
	innerWidth: number;
	offenders: Omit<Offender, 'path' | 'width'>[];
	scrollers: { selector: string; scrollWidth: number; clientWidth: number }[];
} {
	const innerWidth = window.innerWidth;
	const offenders: { selector: string; right: number; left: number }[] = [];
	const describe = (element: Element): string => {
		const parts: string[] = [];
		for (
			let node: Element | null = element;
			node && node !== document.body && parts.length < 4;
			node = node.parentElement
		) {
			const classes = [...node.classList].filter((name) => !name.startsWith('svelte-')).slice(0, 2);
			parts.unshift(
				node.tagName.toLowerCase() +
					(node.id ? `#${node.id}` : '') +
					classes.map((name) => `.${name}`).join('')
			);
		}
		return parts.join(' > ');
	};
	const visit = (element: Element) => {
		for (const child of Array.from(element.children)) {
			const style = getComputedStyle(child);
			if (style.display === 'none' || style.position === 'fixed') continue;
			const box = child.getBoundingClientRect();
			// Past the right edge only: what lies left of the page cannot be scrolled to (a honeypot field).
			if (box.width > 0 && box.right > innerWidth + 1) {
				offenders.push({
					selector: describe(child),
					right: Math.round(box.right),
					left: Math.round(box.left)
				});
				continue;
			}
			// Inside a scroll region or a clipping box, the children are that box's business.
			if (style.overflowX !== 'visible' || child instanceof SVGElement) continue;
			visit(child);
		}
	};
	visit(document.body);
	// The document scrolls sideways yet no box pokes out (a clipped box's content, a margin): name the
	// innermost elements that reach past the viewport, whatever contains them.
	if (document.documentElement.scrollWidth > innerWidth && offenders.length === 0) {
		const wide = [...document.body.querySelectorAll('*')].filter(
			(element) => !(element instanceof SVGElement) && element.getBoundingClientRect().right > innerWidth + 1
		);
		for (const element of wide
			.filter((element) => !wide.some((other) => other !== element && element.contains(other)))
			.slice(0, 3)) {
			const box = element.getBoundingClientRect();
			offenders.push({
				selector: describe(element),
				right: Math.round(box.right),
				left: Math.round(box.left)
			});
		}
	}
	// The scroll regions whose content is wider than they are (a table that scrolls in its box).
	const scrollers = [...document.body.querySelectorAll('*')]
		.filter((element) => {
			if (element instanceof SVGElement || element.scrollWidth <= element.clientWidth + 1) return false;
			const overflowX = getComputedStyle(element).overflowX;
			return (overflowX === 'auto' || overflowX === 'scroll') && element.getBoundingClientRect().width > 0;
		})
		.map((element) => ({
			selector: describe(element),
			scrollWidth: element.scrollWidth,
			clientWidth: element.clientWidth
		}));
	return { scrollWidth: document.documentElement.scrollWidth, innerWidth, offenders, scrollers };
}

/**
 * `/backoffice/cases/[caseId]` → a pattern matching `/backoffice/cases/cas_…` (an id has its prefix,
 * so the board at `/backoffice/cases/board` is not taken for a case); a slug is any segment.
 */
const patternOf = (path: string) =>
	new RegExp(
		`^${path
			.replace(/\./g, '\\.')
			.replace(/\[slug\]/g, '[^/?#]+')
			.replace(/\[\w+\]/g, '[a-z]+_[a-z0-9]+')}$`
	);

type Findings = { offenders: Offender[]; words: string[]; axe: string[] };

/** Where a role's sweep spent its time, in milliseconds, by step. */
type Timings = { load: number; measure: number; text: number; axe: number; screenshots: number };

/** The routes `role` may open and a visitor may not (public pages are swept apart). */
const routesOf = (role: Role) =>
	ROUTES.filter(
		(route) =>
			decideRouteAccess(route.id, { role }).outcome === 'allow' &&
			decideRouteAccess(route.id, null).outcome !== 'allow'
	);

/**
 * The pages the admin's sweep must open (its test fails otherwise): every page without parameters
 * the admin may open, the public lists, and one page of each kind of detail (REQUIRED_DETAILS). The
 * other roles' sweep, in its own file, does not check these kinds with axe again.
 */
export const pagesAdminMustSweep = (): string[] => [
	...new Set([
		...routesOf('admin')
			.filter((route) => route.params.length === 0)
			.map((route) => route.path),
		...ROUTES.filter(
			(route) => route.params.length === 0 && (PUBLIC_FOR_ROLES as readonly string[]).includes(route.path)
		).map((route) => route.path),
		...REQUIRED_DETAILS.admin
	])
];

/**
 * The sweep's steps on one server: `sweepRole` for a demo role, `sweepPublic` for the visitor.
 * `axeDoneElsewhere`: page kinds another file checks with axe (skipped here, in both languages).
 */
function createSweep(demo: DemoServer, { axeDoneElsewhere = new Set<string>() } = {}) {
	/** Page kinds (route paths) axe has checked, per language: a later role's same page is not checked again. */
	const axeChecked: Record<Locale, Set<string>> = {
		fr: new Set(axeDoneElsewhere),
		en: new Set(axeDoneElsewhere)
	};

	const timed = async <T>(timings: Timings, step: keyof Timings, run: () => Promise<T>): Promise<T> => {
		const started = performance.now();
		try {
			return await run();
		} finally {
			timings[step] += performance.now() - started;
		}
	};

	const printTimings = (timings: Timings) =>
		Object.entries(timings)
			.map(([step, ms]) => `${step} ${Math.round(ms / 1000)} s`)
			.join(', ');

	/**
	 * Opens `path` on a phone's screen, measures it, then widens the window to the laptop's and measures
	 * again (resized, not reloaded). Narrow first: Chromium keeps the layout of a closed <details> from
	 * a wider window, which a phone never had. At the laptop's width, the words and axe.
	 */
	async function sweepPage(
		page: Page,
		{
			path,
			kind,
			locale,
			shot,
			adminOnly
		}: { path: string; kind: string; locale: Locale; shot: string | null; adminOnly: boolean },
		findings: Findings,
		timings: Timings
	): Promise<boolean> {
		if (page.viewportSize()?.width !== PHONE.width) await page.setViewportSize(PHONE);
		const response = await timed(timings, 'load', () => page.goto(demo.url + path));
		if (!response || response.status() >= 400) return false;
		for (const size of [PHONE, LAPTOP]) {
			if (page.viewportSize()?.width !== size.width) await page.setViewportSize(size);
			const result = await timed(timings, 'measure', () => page.evaluate(measure));
			if (result.scrollWidth > result.innerWidth)
				findings.offenders.push({
					path,
					width: size.width,
					selector: `html (scrollWidth ${result.scrollWidth} > ${result.innerWidth})`,
					right: result.scrollWidth,
					left: 0
				});
			for (const offender of result.offenders)
				findings.offenders.push({ path, width: size.width, ...offender });
			if (shot)
				await timed(timings, 'screenshots', () => screenshot(page, `sweep-${shot}-${locale}-${size.width}`));
		}
		const text = await timed(timings, 'text', () => page.evaluate(readableText));
		for (const word of wrongWords(text, WRONG_LANGUAGE[locale]))
			if (!allowed(kind, locale, `word:${word}`)) findings.words.push(`${path} (${locale}): “${word}”`);
		for (const code of adminOnly ? [] : rawCodes(text))
			if (!allowed(kind, locale, 'code')) findings.words.push(`${path} (${locale}): raw code “${code}”`);
		if (!axeChecked[locale].has(kind)) {
			axeChecked[locale].add(kind);
			for (const violation of await timed(timings, 'axe', () => axeViolations(page)))
				if (!allowed(kind, locale, `axe:${violation.id}`))
					findings.axe.push(
						`${path} (${locale}): ${violation.id} (${violation.impact}) — ` +
							violation.nodes.map((node) => node.target.join(' ')).join(', ')
					);
		}
		return true;
	}

	/** The links of the page (paths on this server), to find real ids for the pages that need one. */
	const linksOf = (page: Page) =>
		page.$$eval('a[href^="/"]', (anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));

	const report = (offenders: Offender[]) =>
		offenders.map((o) => `${o.path} @${o.width}px: ${o.selector} (left ${o.left}, right ${o.right})`);

	const expectClean = (findings: Findings, who: string) => {
		expect(report(findings.offenders), `pages of ${who} wider than the screen`).toEqual([]);
		expect(findings.words, `pages of ${who} in the other language`).toEqual([]);
		expect(findings.axe, `axe violations on the pages of ${who}`).toEqual([]);
	};

	/** One role's pages in one language: what failed, what was visited, what no link led to. */
	async function sweepRole(role: Role, locale: Locale) {
		// With JavaScript, as people use it (axe needs it); every page also works without (other files).
		const page = await demo.signIn(demoEmail(role), {
			viewport: LAPTOP,
			offline: true,
			locale,
			javaScript: true
		});
		// The pages this role may open and a visitor may not (public pages are swept apart).
		const allowedRoutes = routesOf(role);
		// Pages without parameters first, then by depth: their links give the ids of the others.
		const byDepth = (a: (typeof ROUTES)[number], b: (typeof ROUTES)[number]) =>
			a.params.length - b.params.length || a.path.localeCompare(b.path);
		const publicPages = ROUTES.filter((route) =>
			(PUBLIC_FOR_ROLES as readonly string[]).includes(route.path)
		);
		const ordered = [...allowedRoutes.sort(byDepth), ...publicPages.sort(byDepth)];
		const links = new Set<string>();
		const findings: Findings = { offenders: [], words: [], axe: [] };
		const visited: string[] = [];
		const unreached: string[] = [];
		const timings: Timings = { load: 0, measure: 0, text: 0, axe: 0, screenshots: 0 };
		const started = performance.now();
		for (const route of ordered) {
			let path = route.path;
			if (route.params.length) {
				const pattern = patternOf(route.path);
				const found = [...links].find((link) => pattern.test(link.split(/[?#]/)[0]));
				if (!found) {
					unreached.push(route.path);
					continue;
				}
				path = found.split(/[?#]/)[0];
			}
			const shotName = SCREENSHOT_PAGES[route.path];
			const shot = shotName && (role === 'admin' || shotName === 'dashboard') ? `${shotName}-${role}` : null;
			// Codes are an admin's tools on the pages only an admin opens (stage keys, message kinds).
			const adminOnly = decideRouteAccess(route.id, { role: 'advisor' }).outcome !== 'allow';
			if (!(await sweepPage(page, { path, kind: route.path, locale, shot, adminOnly }, findings, timings)))
				continue;
			visited.push(route.path);
			for (const link of await linksOf(page)) links.add(link);
		}
		await page.context().close();
		process.stdout.write(
			`[layout-sweep] ${role} (${locale}): ${visited.length} pages × 2 widths in ` +
				`${Math.round((performance.now() - started) / 1000)} s (${printTimings(timings)})` +
				(unreached.length ? `; no link found to ${unreached.join(', ')}` : '') +
				'\n'
		);
		return { findings, visited, unreached };
	}

	/** One or two pages of each kind of the sitemap, and the sign-in flow, in one language. */
	async function sweepPublic(locale: Locale) {
		const context = await demo.browser.newContext({
			locale: locale === 'fr' ? 'fr-FR' : 'en-GB',
			viewport: LAPTOP
		});
		demo.contexts.push(context);
		await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
		const page = await context.newPage();
		// The language is chosen as a visitor does (the switch's ?lang=), then remembered.
		await page.goto(`${demo.url}/?lang=${locale}`);
		const sitemap = await (await fetch(`${demo.url}/sitemap.xml`)).text();
		const paths = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)]
			.map((match) => new URL(match[1]).pathname)
			// Pages, not files (the events' calendar).
			.filter((path) => !/\.\w+$/.test(path));
		// One or two of each kind (a village's page looks like the next village's).
		const perKind = new Map<string, string[]>();
		for (const path of new Set(paths)) {
			const segments = path.split('/');
			const kind = segments.length > 2 ? segments.slice(0, -1).join('/') + '/*' : path;
			const seen = perKind.get(kind) ?? [];
			if (seen.length < 2) perKind.set(kind, [...seen, path]);
		}
		const chosen = [...perKind.entries()].flatMap(([kind, kindPaths]) =>
			kindPaths.map((path) => ({ path, kind }))
		);
		// The visitor's pages of the sign-in flow too.
		for (const path of ['/signin', '/forgot-password', '/apply']) chosen.push({ path, kind: path });
		const findings: Findings = { offenders: [], words: [], axe: [] };
		let visited = 0;
		const timings: Timings = { load: 0, measure: 0, text: 0, axe: 0, screenshots: 0 };
		const started = performance.now();
		for (const { path, kind } of chosen)
			if (await sweepPage(page, { path, kind, locale, shot: null, adminOnly: false }, findings, timings))
				visited++;
		process.stdout.write(
			`[layout-sweep] visitor (${locale}): ${visited} public pages × 2 widths in ` +
				`${Math.round((performance.now() - started) / 1000)} s (${printTimings(timings)})\n`
		);
		return { findings, visited };
	}

	return { sweepRole, sweepPublic, expectClean };
}

/**
 * The tests of one sweep file: each of `roles` in both languages (side by side, two browser
 * contexts), then the visitor's public pages when `visitor`. One server and browser for the file;
 * a kind axe checked for one role is not checked again for the next, nor are `axeDoneElsewhere`.
 * The limits leave room for a machine busy with other jobs (they guard against a hang, they
 * measure nothing).
 */
export function describeLayoutSweep({
	roles,
	visitor,
	axeDoneElsewhere
}: {
	roles: readonly Role[];
	visitor: boolean;
	axeDoneElsewhere?: Set<string>;
}): void {
	describe.skipIf(e2eSkipReason())(
		'layout sweep: no page scrolls sideways at 390 and 1366 px, speaks the other language or fails axe',
		() => {
			const demo = useDemoServer();
			let sweep: ReturnType<typeof createSweep> | undefined;
			const sweepOf = () => (sweep ??= createSweep(demo, { axeDoneElsewhere }));

			for (const role of roles) {
				test(
					`${role}: every page it may open fits, in French and English, axe clean`,
					{ timeout: 900_000 },
					async () => {
						const { sweepRole, expectClean } = sweepOf();
						const results = await Promise.all(LOCALES.map((locale) => sweepRole(role, locale)));
						for (const [index, { findings, visited }] of results.entries()) {
							const who = `${role} (${LOCALES[index]})`;
							expectClean(findings, who);
							expect(
								REQUIRED_DETAILS[role].filter((path) => !visited.includes(path)),
								`detail pages ${who} found no link to`
							).toEqual([]);
							// The other file leaves the axe checks of these pages to the admin's sweep.
							if (role === 'admin')
								expect(
									pagesAdminMustSweep().filter((path) => !visited.includes(path)),
									`pages ${who} did not sweep (no link to them, or an error status)`
								).toEqual([]);
							if (role === 'committee') expect(visited).toContain('/backoffice/cases/board');
							expect(visited.length).toBeGreaterThan(role === 'admin' ? 40 : 2);
						}
					}
				);
			}

			if (visitor)
				test(
					'visitor: every kind of public page of the sitemap fits, in French and English, axe clean',
					{ timeout: 240_000 },
					async () => {
						const { sweepPublic, expectClean } = sweepOf();
						const results = await Promise.all(LOCALES.map((locale) => sweepPublic(locale)));
						for (const [index, { findings, visited }] of results.entries()) {
							expectClean(findings, `the visitor (${LOCALES[index]})`);
							expect(visited).toBeGreaterThan(8);
						}
					}
				);
		}
	);
}
