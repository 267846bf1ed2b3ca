import { randomUUID } from 'node:crypto';
import {
	error,
	redirect,
	type Handle,
	type HandleServerError,
	type RequestEvent,
	type ServerInit
} from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getApp, startApp, stopApp } from '#server/app.ts';
import { SESSION_COOKIE_PREFIX } from '#server/auth/auth.ts';
import { findActorBySession } from '#server/domain/account/account.service.ts';
import { getSetupStatus } from '#server/domain/setup/setup.service.ts';
import { ConfigError, publicOrigin } from '#server/config.ts';
import { compressResponse } from '#server/http/compression.ts';
import { createPublicCacheHandle } from '#server/http/public-cache.ts';
import {
	programmeAddress,
	publicProgrammeIdOf,
	resolveRequestProgramme
} from '#server/http/programme-hosts.ts';
import { guardRequestInput } from '#server/http/input-guard.ts';
import { securityHeadersFor, withSecurityHeaders } from '#server/http/security-headers.ts';
import { chooseProgrammeRedirect, PROGRAMME_COOKIE } from '#server/http/programme-choice.ts';
import { twoFactorHoldRedirect } from '#server/http/two-factor.ts';
import { routeAccessHandle } from '#server/http/route-access.ts';
import { createLogger, requestContext } from '#server/logger.ts';
import { addressUrl, prefixLocation, prefixPageLinks } from '$lib/domain/programme-address.ts';
import { isLocale, negotiateLocale, translate } from '$lib/i18n/index.ts';

const log = createLogger({ namespace: 'http' });

export const init: ServerInit = async () => {
	try {
		await startApp();
	} catch (error) {
		// One clear line for the operator (bad config, unreachable database, locked data directory).
		process.stderr.write(
			`soho: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`
		);
		process.exit(1);
	}
	configurePublicCacheFastPath();
	process.once('sveltekit:shutdown', async (reason) => {
		log.info({ reason }, 'Shutting down');
		await stopApp();
	});
};

export const LOCALE_COOKIE = 'soho_lang';

const requestHandle: Handle = async ({ event, resolve }) => {
	const requestId = event.request.headers.get('x-request-id')?.slice(0, 64) || randomUUID();
	event.locals.requestId = requestId;
	event.locals.logger = log.child({ requestId });
	event.locals.actor = null;
	event.locals.sessionToken = null;
	const started = performance.now();
	return requestContext.run({ requestId }, async () => {
		const response = await resolve(event);
		response.headers.set('x-request-id', requestId);
		log.info(
			{
				method: event.request.method,
				path: event.url.pathname,
				status: response.status,
				ms: Math.round(performance.now() - started)
			},
			'request'
		);
		return response;
	});
};

const LOCALE_COOKIE_OPTIONS = { path: '/', maxAge: 60 * 60 * 24 * 365, httpOnly: false };

/** The locale asked with ?lang= when the cookie does not hold it yet (it is then remembered). */
function localeToRemember(event: RequestEvent): string | null {
	const asked = event.url.searchParams.get('lang');
	return isLocale(asked) && asked !== event.cookies.get(LOCALE_COOKIE) ? asked : null;
}

const localeHandle: Handle = async ({ event, resolve }) => {
	const asked = event.url.searchParams.get('lang');
	const cookie = event.cookies.get(LOCALE_COOKIE);
	const locale = isLocale(asked)
		? asked
		: isLocale(cookie)
			? cookie
			: negotiateLocale(event.request.headers.get('accept-language'));
	const remembered = localeToRemember(event);
	if (remembered) event.cookies.set(LOCALE_COOKIE, remembered, LOCALE_COOKIE_OPTIONS);
	event.locals.locale = locale;
	return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
};

/** NUL bytes and malformed form bodies are a 400, never a database error (http/input-guard.ts). */
const inputGuardHandle: Handle = async ({ event, resolve }) =>
	guardRequestInput(event, event.locals.locale) ?? resolve(event);

const SESSION_COOKIE = `${SESSION_COOKIE_PREFIX}.session_token`;

/**
 * Resolves the session cookie to the actor every service call receives: in the programme of the
 * host name, else the one chosen (`soho_programme` cookie, re-checked against the person's
 * memberships on every request), else their only one. A person of several programmes without a
 * choice is sent to /choose-programme from the spaces that need an actor.
 */
const authHandle: Handle = async ({ event, resolve }) => {
	event.locals.programmes = [];
	event.locals.mustChooseProgramme = false;
	event.locals.instanceAdmin = null;
	if (event.cookies.get(SESSION_COOKIE) || event.cookies.get(`__Secure-${SESSION_COOKIE}`)) {
		const found = await findActorBySession(
			{
				requestHeaders: event.request.headers,
				programmeId: event.cookies.get(PROGRAMME_COOKIE) ?? null,
				programmeOfHost: event.locals.programmeOfHost ?? null
			},
			{ auth: getApp().auth, db: getApp().database.db, config: getApp().config }
		);
		event.locals.actor = found.actor;
		event.locals.sessionToken = found.sessionToken;
		event.locals.programmes = found.programmes;
		event.locals.mustChooseProgramme = found.mustChooseProgramme;
		if (found.isInstanceAdmin && found.user) {
			event.locals.instanceAdmin = { userId: found.user.id, name: found.user.name, email: found.user.email };
		}
		// Staff held until they enrol the second factor their programme requires.
		const held = found.mustEnrolTwoFactor ? twoFactorHoldRedirect(event.url.pathname) : null;
		if (held) redirect(303, held);
		const toChoose = found.mustChooseProgramme ? chooseProgrammeRedirect(event.url.pathname) : null;
		if (toChoose) redirect(303, toChoose);
	}
	const response = await resolve(event);
	// Pages that depend on who is signed in must never be cached by a shared cache.
	if ((event.locals.actor || event.locals.sessionToken) && !response.headers.has('cache-control'))
		response.headers.set('cache-control', 'private, no-store');
	return response;
};

/** Once an admin exists the setup never reopens: stop asking the database. */
let isSetupDone = false;

async function isSetupOpen(): Promise<boolean> {
	if (isSetupDone) return false;
	const { isOpen } = await getSetupStatus({}, { db: getApp().database.db });
	if (!isOpen) isSetupDone = true;
	return isOpen;
}

/**
 * While the instance has no admin (first run without the demo), the home page and the
 * sign-in page lead to /setup, which asks for the code printed in the server's terminal.
 */
const setupHandle: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	if (event.request.method === 'GET' && (path === '/' || path === '/signin') && (await isSetupOpen())) {
		return new Response(null, { status: 303, headers: { location: '/setup' } });
	}
	return resolve(event);
};

/**
 * Request → programme, once per request: the programme of the path prefix (`/p/<slug>/…`, which
 * the reroute hook of src/hooks.ts strips for the routes), else the one whose host
 * (programme_hosts) the request was sent to, else null (the default programme is shown: see
 * http/programme-hosts.ts). A prefix naming no programme, or used on a programme's own host,
 * answers 404; a programme with a host name of its own is sent there. Under a prefix, the links
 * the page writes and the redirects keep it (lib/domain/programme-address.ts), so following a
 * link or posting a form stays in the programme; the public cache stores the prefixed page.
 */
const programmeOfHostHandle: Handle = async ({ event, resolve }) => {
	const found = await resolveRequestProgramme(event);
	const notFound = (): never =>
		error(404, { code: 'not_found', message: translate(event.locals.locale, 'common_error_404_title') });
	if (found.kind === 'unknown') return notFound();
	event.locals.programmeOfHost = found.programmeId;
	event.locals.programmePrefix = found.kind === 'prefix' ? found.prefix : null;
	if (found.kind === 'host') return resolve(event);
	const address = await programmeAddress(found.programmeId, { fallback: event.url.origin });
	if (new URL(address).origin !== event.url.origin) {
		// The programme has a host name of its own since this address was given out.
		if (event.request.method === 'GET' || event.request.method === 'HEAD')
			redirect(308, `${addressUrl(address, found.path)}${event.url.search}`);
		return notFound();
	}
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => prefixPageLinks(html, found.prefix)
	});
	const location = response.headers.get('location');
	if (!location) return response;
	const kept = prefixLocation(location, found.prefix);
	if (kept === location) return response;
	const headers = new Headers(response.headers);
	headers.set('location', kept);
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
};

/**
 * Public pages that are the same for every anonymous visitor, served from memory (see
 * http/public-cache.ts). After the locale (part of the key) and the setup redirect; before the
 * session and the route checks, which a hit skips: it was stored from an anonymous request that
 * passed them, and any request with a session cookie goes past the cache.
 */
const publicCacheHandle: Handle = createPublicCacheHandle({
	cache: () => getApp().publicCache.pages,
	sessionCookies: [SESSION_COOKIE, `__Secure-${SESSION_COOKIE}`],
	publicProgrammeId: publicProgrammeIdOf,
	isSetupOpen,
	ignoredCookies: [LOCALE_COOKIE],
	setCookiesOnHit: (event) => {
		const remembered = localeToRemember(event);
		return remembered ? [event.cookies.serialize(LOCALE_COOKIE, remembered, LOCALE_COOKIE_OPTIONS)] : [];
	},
	afterWrite: () => getApp().publicCache.afterWrite()
});

/**
 * scripts/serve.js answers cache hits before SvelteKit (PublicPageCache.serveHit): it decides
 * the locale, recognises the session cookies and adds the security headers and the log line
 * exactly as the hooks here do.
 */
function configurePublicCacheFastPath(): void {
	const { config, publicCache } = getApp();
	publicCache.pages.fastPath = {
		sessionCookies: [SESSION_COOKIE, `__Secure-${SESSION_COOKIE}`],
		localeCookie: LOCALE_COOKIE,
		localeOf: ({ asked, cookie, acceptLanguage }) =>
			isLocale(asked) ? asked : isLocale(cookie) ? cookie : negotiateLocale(acceptLanguage),
		securityHeaders: (pagePolicy) =>
			securityHeadersFor({ pagePolicy }, { origin: publicOrigin(config), tileUrl: config.tileUrl }),
		onServed: ({ requestId, method, path, status, ms }) =>
			log.info({ requestId, method, path, status, ms: Math.round(ms) }, 'request')
	};
}

/** Rendered pages and data leave gzipped when the client accepts it (see http/compression.ts). */
const compressionHandle: Handle = async ({ event, resolve }) =>
	compressResponse(event.request, await resolve(event));

/** CSP (with the map's tile server), HSTS over https, nosniff…: see http/security-headers.ts. */
const securityHeadersHandle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const { config } = getApp();
	return withSecurityHeaders(response, { origin: publicOrigin(config), tileUrl: config.tileUrl });
};

export const handle = sequence(
	securityHeadersHandle,
	compressionHandle,
	requestHandle,
	localeHandle,
	inputGuardHandle,
	setupHandle,
	programmeOfHostHandle,
	publicCacheHandle,
	authHandle,
	// Who may reach each route (http/route-access.ts), for pages, their data, actions and endpoints.
	routeAccessHandle
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	const errorId = randomUUID();
	if (status !== 404) {
		log.error({ errorId, path: event.url.pathname, err: error }, 'Unexpected error');
	}
	return { code: status === 404 ? 'not_found' : 'internal', message: 'Internal error', errorId };
};
