import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decideRouteAccess, ROUTE_ACCESS } from '../../src/lib/server/http/route-access.ts';
import { listRoutes, type RouteOnDisk } from '../../src/lib/server/http/routes.test-utils.ts';
import {
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
import { e2eSkipReason, useDemoServer } from './support.ts';

/*
 * The route × role matrix: every route under src/routes, requested as a visitor and as each demo
 * role (with ids of their own villages / organisation and of others'), as a full page and as the
 * `__data.json` of the page's own load alone (`x-sveltekit-invalidated=0…01`: no layout runs, the
 * way the browser's router asks after `invalidate`). The route access table says who may enter:
 * the others get 403/404 or the sign-in page, never a 200 with data.
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

describe.skipIf(skip)('security: route × role matrix', () => {
	const demo = useDemoServer();
	const cookies = new Map<Who, string>([['visitor', '']]);
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
					await response.arrayBuffer();
					countProbe(route.kind === 'page' ? 'page requests' : 'endpoint requests');
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
});
