import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decideRouteAccess, ROUTE_ACCESS } from '../../src/lib/server/http/route-access.ts';
import { listRoutes, type RouteOnDisk } from '../../src/lib/server/http/routes.test-utils.ts';
import {
	cookiesOf,
	countProbe,
	DEMO_ROLES,
	dataUrl,
	fetchOnce,
	demoEmail,
	idsIn,
	inBatches,
	pageData,
	printProbeCounts,
	readDataAnswer,
	signInByFetch,
	slugsIn,
	type DataAnswer,
	type DemoRole
} from './security-support.ts';
import {
	BOTH_EMAIL,
	OTHER_MARKERS,
	OTHER_PASSWORD,
	OTHER_ROLES,
	otherEmail,
	seedSecondProgramme,
	type OtherRole
} from './second-programme.ts';
import { DEMO_PASSWORD, e2eSkipReason, seededTemplate, useDemoServer } from './support.ts';

/*
 * The route × role matrix: every route under src/routes, requested as a visitor and as each demo
 * role (with ids of their own villages / organisation and of others'), as a full page and as the
 * `__data.json` of the page's own load alone (`x-sveltekit-invalidated=0…01`: no layout runs, the
 * way the browser's router asks after `invalidate`). The route access table says who may enter:
 * the others get 403/404 or the sign-in page, never a 200 with data.
 *
 * The instance holds two programmes (issue 17): the demo (Gers) and the Lot, built from zero
 * through the services (second-programme.ts) with its own staff, candidate and records. Every
 * route is also asked by each of the demo's roles with the Lot's ids (and by the Lot's admin with
 * the demo's, and by a person of both acting in the demo): a record of another programme is not
 * found (404, as if it did not exist), and no answer holds the other programme's names or e-mails.
 */

const skip = e2eSkipReason();
const ROUTES = listRoutes();

type Who = DemoRole | 'visitor';
const EVERYONE: Who[] = ['visitor', ...DEMO_ROLES];
/**
 * A public route lets everyone in alike: it is asked as a visitor, a portal member and the admin
 * (the three ways a public page can differ), not as all seven, to keep the matrix under two minutes.
 */
const PUBLIC_ASKERS: Who[] = ['visitor', 'member', 'admin'];

/** Where the ids of each parameter are read: a list page (as each role, for "own" ids) and an id prefix. */
const ID_SOURCES: Record<string, { list: string; prefix: string }> = {
	'backoffice:caseId': { list: '/backoffice/cases', prefix: 'cas' },
	'backoffice:eventId': { list: '/backoffice/events', prefix: 'evt' },
	'backoffice:templateId': { list: '/backoffice/mail-templates', prefix: 'mtp' },
	'backoffice:offerId': { list: '/backoffice/offers', prefix: 'off' },
	'backoffice:organisationId': { list: '/backoffice/organisations', prefix: 'org' },
	'backoffice:messageId': { list: '/backoffice/outbox', prefix: 'mail' },
	'backoffice:userId': { list: '/backoffice/people', prefix: 'usr' },
	'backoffice:referralId': { list: '/backoffice/referrals', prefix: 'ref' },
	'backoffice:villageId': { list: '/backoffice/villages', prefix: 'vil' },
	'backoffice:workspaceId': { list: '/backoffice/workspaces', prefix: 'wsp' },
	'backoffice:importId': { list: '/backoffice/cases/import', prefix: 'imp' },
	'backoffice:stayId': { list: '/backoffice/stays', prefix: 'sty' },
	'public:profileId': { list: '/directory', prefix: 'mbr' },
	'public:eventId': { list: '/events', prefix: 'evt' },
	'public:offerId': { list: '/offers', prefix: 'off' }
};
/** Parameters with no list to read them from: a well-formed value that matches nothing. */
const UNKNOWN_VALUES: Record<string, string> = {
	token: 'no-such-token-0000000000000000',
	documentId: 'doc_00000000000000000000',
	key: 'no-such-key.png',
	importId: 'imp_0000000000000000',
	section: 'funnel'
};

/** Pages an allowed role finds empty-handed in the demo (404), and why. */
const NOT_FOUND_IN_DEMO: Record<string, string> = {
	'/(backoffice)/backoffice/cases/[caseId]/merge':
		'merging needs a possible duplicate: the first case has none'
};

/** An endpoint slow to answer (a PDF takes seconds): of the roles it lets in, only the admin asks it. */
const SLOW_ENDPOINTS = new Set(['/(backoffice)/backoffice/observatory/report/pdf']);

type Variant = { label: 'own' | 'other' | 'unknown' | 'none'; path: string };

/** Who asks another programme's ids: the demo's roles, a person of both acting in the demo, the Lot's admin. */
type CrossAsker = Who | 'both' | 'lot-admin';

describe.skipIf(skip)('security: route × role matrix', () => {
	let dataDir = '';
	// Registered before the server's hooks, so it runs after the server stopped.
	afterAll(() => {
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});
	const demo = useDemoServer({
		env: async () => {
			dataDir = mkdtempSync(join(tmpdir(), 'soho-e2e-matrix-'));
			cpSync(await seededTemplate({}), dataDir, { recursive: true });
			await seedSecondProgramme(dataDir);
			return { SOHO_DATA_DIR: dataDir };
		}
	});
	const cookies = new Map<Who, string>([['visitor', '']]);
	/** The Lot's people, and the person of both programmes acting in the demo. */
	const otherCookies = new Map<OtherRole, string>();
	let bothCookie = '';
	/** The Lot's ids per parameter source (read as its admin), its case's household member, its slugs. */
	const otherIds = new Map<string, string[]>();
	const otherSlugs = new Map<string, string>();
	let otherPerson = '';
	/** Per parameter source: every id (read as admin), and each role's own. */
	const allIds = new Map<string, string[]>();
	const ownIds = new Map<string, Map<Who, string[]>>();
	const slugs = new Map<string, string[]>();
	const personOf = new Map<string, string>();

	beforeAll(async () => {
		for (const role of DEMO_ROLES) {
			const { cookie } = await signInByFetch(demo.url, demoEmail(role));
			expect(cookie, `${role} signs in`).toContain('session_token');
			cookies.set(role, cookie);
		}
		for (const [key, { list, prefix }] of Object.entries(ID_SOURCES)) {
			const byRole = new Map<Who, string[]>();
			for (const who of EVERYONE)
				byRole.set(who, idsIn(await pageData(demo.url, list, cookies.get(who)!), prefix));
			ownIds.set(key, byRole);
			allIds.set(key, byRole.get('admin')!);
		}
		slugs.set('villages', slugsIn(await pageData(demo.url, '/villages', '')));
		slugs.set('workspaces', slugsIn(await pageData(demo.url, '/workspaces', '')));
		// A household member of each case the matrix opens.
		for (const caseId of new Set(
			[...(ownIds.get('backoffice:caseId')?.values() ?? [])]
				.flatMap((ids) => ids.slice(0, 1))
				.concat(allIds.get('backoffice:caseId')!.slice(0, 1))
		)) {
			const [personId] = idsIn(
				await pageData(demo.url, `/backoffice/cases/${caseId}`, cookies.get('admin')!),
				'per'
			);
			if (personId) personOf.set(caseId, personId);
		}
		expect(allIds.get('backoffice:caseId')!.length).toBeGreaterThan(0);

		// The Lot: its people sign in; its ids are read from its admin's back-office lists.
		for (const role of OTHER_ROLES) {
			const { cookie } = await signInByFetch(demo.url, otherEmail(role), { password: OTHER_PASSWORD });
			expect(cookie, `the Lot's ${role} signs in`).toContain('session_token');
			otherCookies.set(role, cookie);
		}
		const lotAdmin = otherCookies.get('admin')!;
		for (const [key, { list, prefix }] of Object.entries(ID_SOURCES)) {
			if (key.startsWith('backoffice:'))
				otherIds.set(key, idsIn(await pageData(demo.url, list, lotAdmin), prefix));
		}
		// Its public records: the demo's host shows the demo, so they are read from its back office.
		otherIds.set('public:offerId', otherIds.get('backoffice:offerId')!);
		otherIds.set('public:eventId', otherIds.get('backoffice:eventId')!);
		const lotCase = otherIds.get('backoffice:caseId')![0];
		expect(lotCase, "the Lot's case").toBeTruthy();
		[otherPerson] = idsIn(await pageData(demo.url, `/backoffice/cases/${lotCase}`, lotAdmin), 'per');
		for (const [kind, key] of [
			['villages', 'backoffice:villageId'],
			['workspaces', 'backoffice:workspaceId']
		] as const) {
			const [id] = otherIds.get(key)!;
			const [slug] = slugsIn(await pageData(demo.url, `/backoffice/${kind}/${id}`, lotAdmin));
			if (slug) otherSlugs.set(kind, slug);
		}
		expect(otherSlugs.size, "the Lot's village and workspace slugs").toBe(2);
		for (const key of [
			'caseId',
			'villageId',
			'offerId',
			'workspaceId',
			'eventId',
			'organisationId',
			'referralId',
			'stayId',
			'userId'
		])
			expect(otherIds.get(`backoffice:${key}`)!.length, `the Lot's ${key}`).toBeGreaterThan(0);

		// The person of both programmes signs in, is asked to choose, and chooses the demo.
		const both = await signInByFetch(demo.url, BOTH_EMAIL, { password: DEMO_PASSWORD });
		const offered = (await pageData(demo.url, '/choose-programme', both.cookie)) as {
			programmes: { programmeId: string; programmeName: string }[];
		};
		expect(offered.programmes).toHaveLength(2);
		const demoProgramme = offered.programmes.find((p) => p.programmeName !== 'Accueil Lot')!;
		const chosen = await fetch(`${demo.url}/choose-programme`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: demo.url,
				accept: 'text/html',
				cookie: both.cookie,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ programmeId: demoProgramme.programmeId })
		});
		await chosen.arrayBuffer();
		expect(chosen.status).toBe(303);
		bothCookie = [both.cookie, ...cookiesOf(chosen)].join('; ');
	});

	afterAll(() => printProbeCounts('security-matrix.e2e.ts'));

	/** The addresses of a route for one role: with their own ids and with others' (none for a route without parameters). */
	function variantsOf(route: RouteOnDisk, who: Who): Variant[] {
		if (route.params.length === 0) return [{ label: 'none', path: route.path }];
		const area = route.id.startsWith('/(backoffice)') ? 'backoffice' : 'public';
		const fill = (pick: 'own' | 'other'): Variant | null => {
			let label: Variant['label'] = pick;
			const values: Record<string, string> = {};
			for (const param of route.params) {
				const key = `${area}:${param}`;
				if (param === 'personId') {
					// Under a case: a member of that household; alone (privacy pages): the first one read.
					const person = route.params.includes('caseId')
						? personOf.get(values.caseId)
						: [...personOf.values()][0];
					if (!person) return null;
					values.personId = person;
				} else if (param === 'slug') {
					const list = slugs.get(route.id.includes('/villages/') ? 'villages' : 'workspaces') ?? [];
					if (!list[0]) return null;
					values.slug = list[0];
				} else if (ID_SOURCES[key]) {
					const all = allIds.get(key) ?? [];
					const own = ownIds.get(key)?.get(who) ?? [];
					const value = pick === 'own' ? (own[0] ?? null) : (all.find((id) => !own.includes(id)) ?? null);
					if (value) values[param] = value;
					else if (all.length === 0 && UNKNOWN_VALUES[param]) {
						values[param] = UNKNOWN_VALUES[param];
						label = 'unknown';
					} else return null;
				} else if (UNKNOWN_VALUES[param]) {
					values[param] = UNKNOWN_VALUES[param];
					if (param !== 'section') label = 'unknown';
				} else throw new Error(`no value for the parameter ${param} of ${route.id}`);
			}
			return { label, path: route.path.replace(/\[(\w+)\]/g, (_, name: string) => values[name]) };
		};
		const variants = [fill('own'), fill('other')].filter((v): v is Variant => v !== null);
		return variants.filter((v, i) => variants.findIndex((w) => w.path === v.path) === i);
	}

	type IdSet = {
		ids: (key: string) => string | undefined;
		person: string | undefined;
		slug: (kind: string) => string | undefined;
	};
	/** The address of a route with one programme's ids; null when it has no parameter such an id fills. */
	function pathWithIdsOf(route: RouteOnDisk, set: IdSet): string | null {
		const area = route.id.startsWith('/(backoffice)') ? 'backoffice' : 'public';
		const values: Record<string, string> = {};
		let isFilled = false;
		for (const param of route.params) {
			const value =
				param === 'personId'
					? set.person
					: param === 'slug'
						? set.slug(route.id.includes('/villages/') ? 'villages' : 'workspaces')
						: set.ids(`${area}:${param}`);
			if (value) {
				values[param] = value;
				isFilled = true;
			} else if (UNKNOWN_VALUES[param]) values[param] = UNKNOWN_VALUES[param];
			else return null;
		}
		return isFilled ? route.path.replace(/\[(\w+)\]/g, (_, name: string) => values[name]) : null;
	}
	const lotIds = (): IdSet => ({
		// Not one the demo also lists (the person of both programmes is one of the demo's people too).
		ids: (key) => otherIds.get(key)?.find((id) => !allIds.get(key)?.includes(id)),
		person: otherPerson,
		slug: (kind) => otherSlugs.get(kind)
	});
	const demoIds = (): IdSet => {
		const caseId = allIds.get('backoffice:caseId')![0];
		return {
			ids: (key) => allIds.get(key)?.find((id) => !otherIds.get(key)?.includes(id)),
			person: personOf.get(caseId),
			slug: (kind) => slugs.get(kind)?.[0]
		};
	};

	test('every route under src/routes has an entry in the route access table', () => {
		expect(ROUTES.length).toBeGreaterThan(90);
		const missing = ROUTES.filter((route) => !Object.hasOwn(ROUTE_ACCESS, route.id)).map((route) => route.id);
		expect(missing).toEqual([]);
	});

	test('a member asking only the back-office dashboard’s own load (no layout) gets a refusal, not its data', async () => {
		const response = await fetch(`${demo.url}/backoffice/__data.json?x-sveltekit-invalidated=001`, {
			headers: { cookie: cookies.get('member')! },
			redirect: 'manual'
		});
		const answer = await readDataAnswer(response);
		expect(answer).toEqual({ kind: 'http', status: 403 });
	});

	const isSignInRedirect = (status: number, location: string | null) =>
		status >= 300 && status < 400 && (location ?? '').includes('/signin');
	const isSignInAnswer = (answer: DataAnswer) =>
		answer.kind === 'redirect' && answer.location.startsWith('/signin');

	test.for(ROUTES.map((route) => [route.id, route] as const))('%s', async ([, route]) => {
		const problems: string[] = [];
		const tasks: (() => Promise<void>)[] = [];
		const askers = ROUTE_ACCESS[route.id]?.allow === 'public' ? PUBLIC_ASKERS : EVERYONE;
		for (const who of askers) {
			// No demo account is the instance admin: `instance` routes are refused to every role.
			const actor = who === 'visitor' ? null : { role: who, isInstanceAdmin: false };
			const decision = decideRouteAccess(route.id, actor);
			const headers = { cookie: cookies.get(who)! };
			if (decision.outcome === 'allow' && SLOW_ENDPOINTS.has(route.id) && who !== 'admin') continue;
			for (const variant of variantsOf(route, who)) {
				const where = `${who} ${variant.label} ${variant.path}`;
				tasks.push(async () => {
					const response = await fetchOnce(demo.url + variant.path, { headers, redirect: 'manual' });
					const body = await response.text();
					countProbe(route.kind === 'page' ? 'page requests' : 'endpoint requests');
					// The demo's pages, lists, CSV exports and API hold nothing of the Lot's.
					const leaked = OTHER_MARKERS.filter((marker) => body.includes(marker));
					if (leaked.length) problems.push(`${where}: holds ${leaked.join(', ')}`);
					const { status } = response;
					const location = response.headers.get('location');
					if (status >= 500) problems.push(`${where}: ${status}`);
					else if (decision.outcome === 'sign_in') {
						if (!isSignInRedirect(status, location))
							problems.push(`${where}: ${status}, not sent to sign in`);
					} else if (decision.outcome === 'deny') {
						if (status !== 403 && status !== 404) problems.push(`${where}: ${status}, not refused`);
					} else if (variant.label === 'own' || variant.label === 'none') {
						const isExpected404 = status === 404 && NOT_FOUND_IN_DEMO[route.id];
						if (route.kind === 'page' && status >= 400 && !isExpected404)
							problems.push(`${where}: ${status}, refused to an allowed role`);
					} else if (variant.label === 'other' && !['admin', 'advisor'].includes(who)) {
						// Another village's / organisation's record: not found, never shown.
						if (status !== 403 && status !== 404)
							problems.push(`${where}: ${status}, another's record shown`);
					}
				});
				// An allowed role's own data is the page it was just served: its data is asked only when refused or another's.
				if (route.kind !== 'page' || (decision.outcome === 'allow' && variant.label !== 'other')) continue;
				tasks.push(async () => {
					const response = await fetchOnce(
						demo.url + dataUrl(variant.path, { layouts: route.layouts, leafOnly: true }),
						{ headers, redirect: 'manual' }
					);
					const answer = await readDataAnswer(response);
					countProbe('__data.json requests (page load alone)');
					if (answer.kind === 'http' && answer.status >= 500)
						problems.push(`${where} data: ${answer.status}`);
					else if (decision.outcome === 'sign_in') {
						if (!isSignInAnswer(answer) && !(answer.kind === 'http' && answer.status === 403))
							problems.push(`${where} data: ${JSON.stringify(answer).slice(0, 80)}, not sent to sign in`);
					} else if (decision.outcome === 'deny') {
						if (!(answer.kind === 'http' && (answer.status === 403 || answer.status === 404)))
							problems.push(`${where} data: ${JSON.stringify(answer).slice(0, 120)}, not refused`);
					} else if (variant.label === 'other' && !['admin', 'advisor'].includes(who)) {
						if (answer.kind === 'data') problems.push(`${where} data: another's record returned`);
					}
				});
			}
		}
		await inBatches(tasks, 4);
		expect(problems).toEqual([]);
	});

	/*
	 * Two programmes on one instance: each of the demo's roles (and the person of both, acting in
	 * the demo) asks every route with the Lot's ids; the Lot's admin asks the back office with the
	 * demo's. Access is decided by role first (the matrix above checks those refusals); where the role
	 * may enter, the other programme's record is not found: 404, as if it did not exist (a public
	 * page on the demo's host too). No answer, whatever its status, holds the other's names or e-mails.
	 */
	const CROSS_ROUTES = ROUTES.filter((route) => route.params.length > 0);
	const DEMO_MARKERS = ['demo.soho.example'];

	test.for(CROSS_ROUTES.map((route) => [route.id, route] as const))(
		'%s with the other programme’s ids',
		async ([, route]) => {
			const problems: string[] = [];
			const tasks: (() => Promise<void>)[] = [];
			const probes: {
				who: CrossAsker;
				role: DemoRole | null;
				cookie: string;
				path: string | null;
				markers: string[];
			}[] = [
				...EVERYONE.map((who) => ({
					who,
					role: who === 'visitor' ? null : who,
					cookie: cookies.get(who)!,
					path: pathWithIdsOf(route, lotIds()),
					markers: OTHER_MARKERS
				})),
				{
					who: 'both',
					role: 'admin',
					cookie: bothCookie,
					path: pathWithIdsOf(route, lotIds()),
					markers: OTHER_MARKERS
				},
				// The reverse, in the back office (the demo's host shows the demo's public pages to anyone).
				{
					who: 'lot-admin',
					role: 'admin',
					cookie: otherCookies.get('admin')!,
					path: route.id.startsWith('/(backoffice)') ? pathWithIdsOf(route, demoIds()) : null,
					markers: DEMO_MARKERS
				}
			];
			for (const { who, role, cookie, path, markers } of probes) {
				if (!path) continue;
				const decision = decideRouteAccess(route.id, role ? { role, isInstanceAdmin: false } : null);
				if (decision.outcome === 'allow' && SLOW_ENDPOINTS.has(route.id) && who !== 'admin') continue;
				const where = `${who} ${path}`;
				const leaks = (text: string) => markers.filter((marker) => text.includes(marker));
				tasks.push(async () => {
					const response = await fetchOnce(demo.url + path, { headers: { cookie }, redirect: 'manual' });
					const body = await response.text();
					countProbe('requests with the other programme’s ids');
					const { status } = response;
					const location = response.headers.get('location');
					if (leaks(body).length) problems.push(`${where}: ${status}, holds ${leaks(body).join(', ')}`);
					if (decision.outcome === 'sign_in') {
						if (!isSignInRedirect(status, location))
							problems.push(`${where}: ${status}, not sent to sign in`);
					} else if (decision.outcome === 'deny') {
						if (status !== 403 && status !== 404) problems.push(`${where}: ${status}, not refused`);
					} else if (status !== 404) problems.push(`${where}: ${status}, not 404`);
				});
				if (route.kind !== 'page' || decision.outcome !== 'allow') continue;
				tasks.push(async () => {
					const response = await fetchOnce(
						demo.url + dataUrl(path, { layouts: route.layouts, leafOnly: true }),
						{ headers: { cookie }, redirect: 'manual' }
					);
					const text = await response.clone().text();
					const answer = await readDataAnswer(response);
					countProbe('__data.json requests with the other programme’s ids');
					if (leaks(text).length) problems.push(`${where} data: holds ${leaks(text).join(', ')}`);
					if (
						!(answer.kind === 'error' && answer.status === 404) &&
						!(answer.kind === 'http' && answer.status === 404)
					)
						problems.push(`${where} data: ${JSON.stringify(answer).slice(0, 120)}, not 404`);
				});
			}
			await inBatches(tasks, 4);
			expect(problems).toEqual([]);
		}
	);
});
