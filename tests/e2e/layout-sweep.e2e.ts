import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { decideRouteAccess } from '../../src/lib/server/http/route-access.ts';
import { listRoutes } from '../../src/lib/server/http/routes.test-utils.ts';
import { demoEmail, type DemoRole } from './security-support.ts';
import { e2eSkipReason, screenshot, useDemoServer } from './support.ts';

/*
 * The overflow sweep (issue 16): every page each demo role may open, and every kind of public page
 * of the sitemap, at a phone's width (390×844) and a laptop's (1366×900). A page fails when the
 * document scrolls sideways, or when an element reaches past the viewport without sitting inside a
 * scroll region of its own (`overflow-x: auto | scroll`, which the page then shows as one). Each page
 * is opened once and measured at both widths (the viewport is resized, not the page reloaded), in one
 * browser context per role, to keep the file short.
 *
 * Screenshots of the key pages at both widths land in test-results/screenshots/sweep-*.png.
 */

const skip = e2eSkipReason();
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };
const ROUTES = listRoutes().filter((route) => route.kind === 'page');

/** admin stands for the advisor too (staff see the same pages; the admin sees a few more). */
const ROLES = ['admin', 'committee', 'partner', 'member', 'candidate'] as const satisfies readonly DemoRole[];

/** Pages whose screenshots are kept (CI artefacts), by path as visited. */
const SCREENSHOT_PAGES: Record<string, string> = {
	'/backoffice/cases': 'case-list',
	'/backoffice/cases/board': 'board',
	'/backoffice/cases/[caseId]': 'case-page',
	'/backoffice': 'dashboard',
	'/backoffice/observatory': 'observatory',
	'/backoffice/outbox': 'outbox'
};

type Offender = { path: string; width: number; selector: string; right: number; left: number };

/**
 * Measured in the page: the document's own overflow, then every element that reaches past the
 * viewport while no ancestor contains it (a scroll region scrolls it; a clipping box hides it and is
 * itself measured). Only the outermost offender of a branch is named.
 */
function measure(): {
	scrollWidth: number;
	innerWidth: number;
	offenders: Omit<Offender, 'path' | 'width'>[];
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
	return { scrollWidth: document.documentElement.scrollWidth, innerWidth, offenders };
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

describe.skipIf(skip)('layout sweep: no page scrolls sideways at 390 and 1366 px', () => {
	const demo = useDemoServer();

	/**
	 * Opens `path` on a phone's screen, measures it, then widens the window to the laptop's and measures
	 * again (resized, not reloaded). Narrow first: Chromium keeps the layout of a closed <details> from
	 * a wider window, which a phone never had.
	 */
	async function sweepPage(
		page: Page,
		path: string,
		shot: string | null,
		offenders: Offender[]
	): Promise<boolean> {
		if (page.viewportSize()?.width !== PHONE.width) await page.setViewportSize(PHONE);
		const response = await page.goto(demo.url + path);
		if (!response || response.status() >= 400) return false;
		for (const size of [PHONE, LAPTOP]) {
			if (page.viewportSize()?.width !== size.width) await page.setViewportSize(size);
			const result = await page.evaluate(measure);
			if (result.scrollWidth > result.innerWidth)
				offenders.push({
					path,
					width: size.width,
					selector: `html (scrollWidth ${result.scrollWidth} > ${result.innerWidth})`,
					right: result.scrollWidth,
					left: 0
				});
			for (const offender of result.offenders) offenders.push({ path, width: size.width, ...offender });
			if (shot) await screenshot(page, `sweep-${shot}-${size.width}`);
		}
		return true;
	}

	/** The links of the page (paths on this server), to find real ids for the pages that need one. */
	const linksOf = (page: Page) =>
		page.$$eval('a[href^="/"]', (anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));

	const report = (offenders: Offender[]) =>
		offenders.map((o) => `${o.path} @${o.width}px: ${o.selector} (left ${o.left}, right ${o.right})`);

	for (const role of ROLES) {
		test(`${role}: every page it may open fits`, { timeout: 240_000 }, async () => {
			// Without JavaScript, as every page must work (and the sweep stays short).
			const page = await demo.signIn(demoEmail(role), { viewport: LAPTOP, offline: true });
			// The pages this role may open and a visitor may not (public pages are swept once, below).
			const allowed = ROUTES.filter(
				(route) =>
					decideRouteAccess(route.id, { role }).outcome === 'allow' &&
					decideRouteAccess(route.id, null).outcome !== 'allow'
			);
			// Pages without parameters first, then by depth: their links give the ids of the others.
			const ordered = [...allowed].sort(
				(a, b) => a.params.length - b.params.length || a.path.localeCompare(b.path)
			);
			const links = new Set<string>();
			const offenders: Offender[] = [];
			const visited: string[] = [];
			const unreached: string[] = [];
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
				const shot =
					shotName && (role === 'admin' || shotName === 'dashboard') ? `${shotName}-${role}` : null;
				if (!(await sweepPage(page, path, shot, offenders))) continue;
				visited.push(route.path);
				for (const link of await linksOf(page)) links.add(link);
			}
			process.stdout.write(
				`[layout-sweep] ${role}: ${visited.length} pages × 2 widths` +
					(unreached.length ? `; no link found to ${unreached.join(', ')}` : '') +
					'\n'
			);
			expect(report(offenders), `pages of ${role} wider than the screen`).toEqual([]);
			if (role === 'admin') expect(visited).toContain('/backoffice/cases/[caseId]');
			if (role === 'committee') expect(visited).toContain('/backoffice/cases/board');
			expect(visited.length).toBeGreaterThan(role === 'admin' ? 40 : 2);
		});
	}

	test('visitor: every kind of public page of the sitemap fits', { timeout: 180_000 }, async () => {
		const context = await demo.browser.newContext({
			locale: 'fr-FR',
			viewport: LAPTOP,
			javaScriptEnabled: false
		});
		demo.contexts.push(context);
		await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
		const page = await context.newPage();
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
		const chosen = [...perKind.values()].flat();
		// The visitor's pages of the sign-in flow too.
		chosen.push('/signin', '/forgot-password', '/apply');
		const offenders: Offender[] = [];
		let visited = 0;
		for (const path of chosen) if (await sweepPage(page, path, null, offenders)) visited++;
		process.stdout.write(`[layout-sweep] visitor: ${visited} public pages × 2 widths\n`);
		expect(report(offenders), 'public pages wider than the screen').toEqual([]);
		expect(visited).toBeGreaterThan(8);
	});
});
