import { error, json, redirect, type Handle, type RequestEvent } from '@sveltejs/kit';
import { STAFF_ROLES } from '../auth/actor.ts';
import type { Role } from '../db/schema/index.ts';
import { signInPathFor } from './actor.ts';

/*
 * Who may reach each route, in one table, checked for every request by `routeAccessHandle`
 * (hooks.server.ts): full pages, their `__data.json` (where SvelteKit runs only the loads it
 * needs, so a layout's check may not run), form actions and `+server.ts` endpoints alike.
 * A route missing from the table is refused (403): a new route fails closed until it is listed.
 * Pages and services still check their own rules (a committee member's villages, a partner's
 * organisation): this table is the coarse, per-role gate in front of them.
 */

/**
 * `public`: anyone; `signed-in`: any signed-in person, acting in a programme or not yet (the
 * programme picker); `instance`: the signed-in instance admin (users.is_instance_admin), whatever
 * their programmes; a list: those roles only, in the programme the person acts in.
 */
export type RouteAllow = 'public' | 'signed-in' | 'instance' | readonly Role[];
export type RouteAccess = { kind: 'page' | 'endpoint'; allow: RouteAllow };

/** Staff, committee members and partners work in the back office; members and candidates have their own spaces. */
const BACKOFFICE: readonly Role[] = ['admin', 'advisor', 'committee', 'partner'];
const STAFF = STAFF_ROLES;
const ADMIN: readonly Role[] = ['admin'];
/**
 * Staff and committee members: the cases that target a committee's villages and their events, and
 * the observatory (`observatoryViewerOf`).
 */
const STAFF_AND_COMMITTEE: readonly Role[] = ['admin', 'advisor', 'committee'];
/** Referrals: staff, and partners for their organisation's. */
const REFERRALS: readonly Role[] = ['admin', 'advisor', 'partner'];

const page = (allow: RouteAllow): RouteAccess => ({ kind: 'page', allow });
const endpoint = (allow: RouteAllow): RouteAccess => ({ kind: 'endpoint', allow });

/**
 * Every route id of `src/routes` (SvelteKit's `event.route.id`). `route-access.test.ts` fails when a
 * route is missing here or listed with the wrong kind; the security matrix (tests/e2e) requests
 * every route as every role.
 */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
	// Sign-in, password reset, invitations and the first-run setup are for visitors.
	'/(auth)/forgot-password': page('public'),
	'/(auth)/invitation/[token]': page('public'),
	'/(auth)/reset-password': page('public'),
	'/(auth)/setup': page('public'),
	'/(auth)/signin': page('public'),
	// The second step of sign-in: the session is pending until the code is accepted.
	'/(auth)/signin/two-factor': page('public'),
	// Password-less sign-in: ask for a link, then use it (once, briefly).
	'/(auth)/signin/link': page('public'),
	'/(auth)/signin/link/[token]': page('public'),
	'/(auth)/unlock/[token]': page('public'),
	// A person of several programmes picks one (the page checks the session too).
	'/(auth)/choose-programme': page('signed-in'),
	// The instance admin (users.is_instance_admin), above the programmes (the page checks the flag too).
	'/(instance)/instance': page('instance'),

	'/(backoffice)/backoffice': page(BACKOFFICE),
	// One's own sessions and second factor.
	'/(backoffice)/backoffice/account': page(BACKOFFICE),
	'/(backoffice)/backoffice/advisors': page(STAFF),
	'/(backoffice)/backoffice/cases': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/cases/[caseId]': page(BACKOFFICE),
	'/(backoffice)/backoffice/cases/[caseId]/community': page(STAFF),
	// A document the household sent from their space (candidate-space documents).
	'/(backoffice)/backoffice/cases/[caseId]/documents/[documentId]': endpoint(STAFF),
	'/(backoffice)/backoffice/cases/[caseId]/edit': page(STAFF),
	'/(backoffice)/backoffice/cases/[caseId]/history': page(ADMIN),
	'/(backoffice)/backoffice/cases/[caseId]/mail': page(STAFF),
	'/(backoffice)/backoffice/cases/[caseId]/merge': page(STAFF),
	'/(backoffice)/backoffice/cases/[caseId]/persons/[personId]': page(STAFF),
	'/(backoffice)/backoffice/cases/[caseId]/persons/new': page(STAFF),
	'/(backoffice)/backoffice/cases/[caseId]/referrals/new': page(STAFF),
	'/(backoffice)/backoffice/cases/[caseId]/stage': page(STAFF),
	'/(backoffice)/backoffice/cases/board': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/cases/duplicates': page(STAFF),
	'/(backoffice)/backoffice/vocabularies': page(STAFF),
	'/(backoffice)/backoffice/cases/export': endpoint(STAFF),
	'/(backoffice)/backoffice/cases/import': page(STAFF),
	'/(backoffice)/backoffice/cases/import/[importId]': page(STAFF),
	'/(backoffice)/backoffice/cases/new': page(STAFF),
	'/(backoffice)/backoffice/events': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/events/[eventId]': page(BACKOFFICE),
	'/(backoffice)/backoffice/events/[eventId]/duplicate': page(BACKOFFICE),
	'/(backoffice)/backoffice/events/[eventId]/edit': page(BACKOFFICE),
	'/(backoffice)/backoffice/events/new': page(BACKOFFICE),
	'/(backoffice)/backoffice/follow-up': page(STAFF),
	'/(backoffice)/backoffice/follow-up/questionnaire': page(ADMIN),
	'/(backoffice)/backoffice/mail-templates': page(STAFF),
	'/(backoffice)/backoffice/mail-templates/[templateId]': page(STAFF),
	'/(backoffice)/backoffice/mail-templates/new': page(STAFF),
	'/(backoffice)/backoffice/my-day': page(STAFF),
	'/(backoffice)/backoffice/observatory': page(STAFF_AND_COMMITTEE),
	// The comparison of programmes: staff only (the service also checks the programme opted in).
	'/(backoffice)/backoffice/observatory/comparison': page(STAFF),
	'/(backoffice)/backoffice/observatory/comparison/csv': endpoint(STAFF),
	'/(backoffice)/backoffice/observatory/definitions': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/durability': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/exports': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/exports/file': endpoint(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/exports/geojson': endpoint(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/exports/research': endpoint(ADMIN),
	'/(backoffice)/backoffice/observatory/flows': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/funnel': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/geography': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/impact': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/integration': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/profiles': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/report': page(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/report/pdf': endpoint(STAFF_AND_COMMITTEE),
	'/(backoffice)/backoffice/observatory/tokens': page(ADMIN),
	'/(backoffice)/backoffice/offers': page(BACKOFFICE),
	'/(backoffice)/backoffice/offers/[offerId]': page(BACKOFFICE),
	'/(backoffice)/backoffice/offers/new': page(BACKOFFICE),
	'/(backoffice)/backoffice/organisations': page(BACKOFFICE),
	'/(backoffice)/backoffice/organisations/[organisationId]': page(BACKOFFICE),
	'/(backoffice)/backoffice/organisations/new': page(STAFF),
	'/(backoffice)/backoffice/outbox': page(ADMIN),
	'/(backoffice)/backoffice/outbox/[messageId]': page(ADMIN),
	'/(backoffice)/backoffice/people': page(STAFF),
	'/(backoffice)/backoffice/people/[userId]': page(STAFF),
	'/(backoffice)/backoffice/people/invite': page(ADMIN),
	// Data protection: retention and the register are for admins; staff see a person's consents, admins export and erase.
	'/(backoffice)/backoffice/privacy': page(ADMIN),
	'/(backoffice)/backoffice/privacy/persons/[personId]': page(STAFF),
	'/(backoffice)/backoffice/privacy/persons/[personId]/export': endpoint(ADMIN),
	'/(backoffice)/backoffice/referrals': page(REFERRALS),
	'/(backoffice)/backoffice/referrals/[referralId]': page(REFERRALS),
	'/(backoffice)/backoffice/settings': page(ADMIN),
	// Discovery stays: staff plan them; committee members and partners answer the meetings they host.
	'/(backoffice)/backoffice/stays': page(BACKOFFICE),
	'/(backoffice)/backoffice/stays/[stayId]': page(STAFF),
	'/(backoffice)/backoffice/territory': page(ADMIN),
	'/(backoffice)/backoffice/villages': page(BACKOFFICE),
	'/(backoffice)/backoffice/villages/[villageId]': page(BACKOFFICE),
	'/(backoffice)/backoffice/villages/new': page(STAFF),
	'/(backoffice)/backoffice/workspaces': page(BACKOFFICE),
	'/(backoffice)/backoffice/workspaces/[workspaceId]': page(BACKOFFICE),
	'/(backoffice)/backoffice/workspaces/new': page(BACKOFFICE),

	// The candidate's space: their own stays (the service refuses anyone but the case's candidate).
	'/(candidate)/space/stays': page(['candidate']),
	'/(candidate)/space/stays/calendar.ics': endpoint(['candidate']),

	// The portal: public pages (their loads show more to signed-in readers, checked in services).
	'/(public)': page('public'),
	'/(public)/apply': page('public'),
	// The candidate space: a candidate's own file only (the services check it is theirs).
	'/(candidate)/space/needs': page(['candidate']),
	'/(candidate)/space/suggestions': page(['candidate']),
	'/(public)/apply/thanks': page('public'),
	'/(public)/directory': page('public'),
	'/(public)/directory/[profileId]': page('public'),
	'/(public)/events': page('public'),
	'/(public)/events/[eventId]': page('public'),
	'/(public)/events/[eventId]/event.ics': endpoint('public'),
	'/(public)/events/calendar.ics': endpoint('public'),
	'/(public)/events/registrations/[token]': page('public'),
	'/(public)/faq': page('public'),
	// The national portal: every participating programme's published listings (searchNational).
	'/(public)/france': page('public'),
	'/(public)/legal': page('public'),
	'/(public)/map': page('public'),
	// The public programme's commune outlines, drawn by the map pages (cacheable by version).
	'/(public)/map/outlines.json': endpoint('public'),
	'/(public)/map/outlines.svg': endpoint('public'),
	'/(public)/member': page(['member']),
	// A member's invitations to host households on discovery stays.
	'/(public)/member/stays': page(['member']),
	// One's own consents and data (GDPR): members, and candidates who reach it by its address.
	'/(public)/member/privacy': page(['member', 'candidate']),
	'/(public)/member/privacy/export': endpoint(['member', 'candidate']),
	'/(public)/offers': page('public'),
	'/(public)/offers/[offerId]': page('public'),
	'/(public)/privacy': page('public'),
	'/(public)/search': page('public'),
	'/(public)/survey/[token]': page('public'),
	'/(public)/villages': page('public'),
	'/(public)/villages/[slug]': page('public'),
	'/(public)/workspaces': page('public'),
	'/(public)/workspaces/[slug]': page('public'),

	// The candidate's space: their own file only (every service checks `cases.candidate_user_id`).
	'/(candidate)/space': page(['candidate']),
	'/(candidate)/space/account': page(['candidate']),
	'/(candidate)/space/consents': page(['candidate']),
	'/(candidate)/space/documents': page(['candidate']),
	'/(candidate)/space/documents/[documentId]': endpoint(['candidate']),
	'/(candidate)/space/messages': page(['candidate']),

	// A funder's token or a signed-in reader: the endpoint checks which (http/observatory-api.ts).
	'/api/v1/observatory': endpoint('public'),
	'/api/v1/observatory/[section]': endpoint('public'),
	'/healthz': endpoint('public'),
	'/logo/[key]': endpoint('public'),
	'/media/[key]': endpoint('public'),
	'/readyz': endpoint('public'),
	'/robots.txt': endpoint('public'),
	'/signout': endpoint('public'),
	'/sitemap.xml': endpoint('public')
};

export type RouteDecision =
	{ outcome: 'allow' } | { outcome: 'sign_in' } | { outcome: 'deny'; reason: 'role' | 'unlisted' };

/**
 * Who asks for a route, null for a visitor: a signed-in person's role in the programme they act in
 * (null while they act in none: several programmes and no choice yet, or an instance admin of no
 * programme), and whether they are the instance admin.
 */
export type RouteViewer = { role: Role | null; isInstanceAdmin?: boolean };

/** What the table says of `viewer` (null: a visitor) on `routeId`. Pure: the handle and the tests share it. */
export function decideRouteAccess(
	routeId: string,
	viewer: RouteViewer | null,
	table: Readonly<Record<string, RouteAccess>> = ROUTE_ACCESS
): RouteDecision {
	const access = Object.hasOwn(table, routeId) ? table[routeId] : undefined;
	if (!access) return { outcome: 'deny', reason: 'unlisted' };
	if (access.allow === 'public') return { outcome: 'allow' };
	if (!viewer) return { outcome: 'sign_in' };
	if (access.allow === 'signed-in') return { outcome: 'allow' };
	if (access.allow === 'instance') {
		return viewer.isInstanceAdmin === true ? { outcome: 'allow' } : { outcome: 'deny', reason: 'role' };
	}
	if (viewer.role && access.allow.includes(viewer.role)) return { outcome: 'allow' };
	return { outcome: 'deny', reason: 'role' };
}

/** The viewer of a request, from what the auth handle resolved (a session without an actor still counts as signed in). */
export function routeViewerOf(
	locals: Pick<App.Locals, 'actor' | 'sessionToken' | 'instanceAdmin'>
): RouteViewer | null {
	if (!locals.actor && !locals.sessionToken) return null;
	return { role: locals.actor?.role ?? null, isInstanceAdmin: Boolean(locals.instanceAdmin) };
}

const FORBIDDEN = { code: 'account.forbidden', message: 'Your role may not open this page.' } as const;
const UNLISTED = {
	code: 'account.forbidden',
	message: 'This route has no entry in the access table.'
} as const;

type AccessEvent = Pick<RequestEvent, 'locals' | 'url' | 'route'>;

/**
 * The same check for a load or an action (the back-office layout calls it, so a refused full page
 * shows the app's error page): a visitor goes to the sign-in page, a refused role gets a 403.
 */
export function requireRouteAccess(event: AccessEvent): void {
	const decision = decideRouteAccess(event.route.id ?? '', routeViewerOf(event.locals));
	if (decision.outcome === 'sign_in') redirect(303, signInPathFor(event.url));
	if (decision.outcome === 'deny') error(403, decision.reason === 'unlisted' ? UNLISTED : FORBIDDEN);
}

/**
 * Applies the table to every request. Refusals are answered here, before any load, action or
 * endpoint runs, with one exception: a refused full page (a GET of a page, not its data) is
 * rendered so that the page's own check shows the app's error page; if that render does not
 * refuse (401/403/404) it is thrown away and a plain 403 goes out instead.
 */
export const routeAccessHandle: Handle = async ({ event, resolve }) => {
	const routeId = event.route.id;
	// No route: SvelteKit answers 404 itself, nothing runs.
	if (routeId === null) return resolve(event);
	const decision = decideRouteAccess(routeId, routeViewerOf(event.locals));
	if (decision.outcome === 'allow') return resolve(event);
	if (decision.outcome === 'sign_in') {
		// SvelteKit turns a redirect answered to a `__data.json` request into its JSON form.
		return new Response(null, { status: 303, headers: { location: signInPathFor(event.url) } });
	}
	const body = decision.reason === 'unlisted' ? UNLISTED : FORBIDDEN;
	const isFullPage =
		ROUTE_ACCESS[routeId]?.kind === 'page' &&
		!event.isDataRequest &&
		(event.request.method === 'GET' || event.request.method === 'HEAD');
	if (isFullPage) {
		const response = await resolve(event);
		if ([401, 403, 404].includes(response.status)) return response;
		await response.body?.cancel();
		// The page itself let this role in: its checks and the table disagree.
		event.locals.logger.warn(
			{ routeId, status: response.status },
			'A page rendered for a role the access table refuses'
		);
	}
	return json(body, { status: 403 });
};
