import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/index.ts';
import { DomainError, errorMessageKey } from '../errors.ts';
import { ValidationError } from '../validation.ts';
import { translate, type Locale } from '../../i18n/index.ts';
import { observatoryApiTokenRequired } from '../domain/observatory/observatory-token.errors.ts';
import { bearerToken } from '../domain/observatory/observatory-token.rules.ts';
import { viewerForToken } from '../domain/observatory/observatory-token.service.ts';
import type { ObservatoryCache } from '../domain/observatory/observatory-cache.ts';
import {
	computeObservatorySections,
	envelopeHead,
	observatorySectionNames,
	requireObservatorySection
} from '../domain/observatory/observatory-report.service.ts';
import { definitionHref, OBSERVATORY_INDICATORS } from '../domain/observatory/observatory.definitions.ts';
import {
	filtersFromSearchParams,
	filtersToSearchParams,
	OBSERVATORY_FILTER_KEYS
} from '../domain/observatory/observatory.schemas.ts';
import { observatoryViewerOf } from '../domain/observatory/observatory.context.ts';
import type { ObservatoryViewer } from '../domain/observatory/observatory.types.ts';
import { STATUS } from './errors.ts';

/**
 * The observatory's JSON API (`/api/v1/observatory`, `/api/v1/observatory/<section>`), kept out of
 * the route files so that tests call it with a request-like object and a database.
 *
 * Readers: a funder with `Authorization: Bearer <token>` (an admin creates tokens in the back
 * office), or a signed-in staff or committee member (session cookie). Filters come from the query
 * string with the pages' names. Answers: one envelope
 * `{ programme: {slug, name, synthetic}, filters, period, section, disclosure, data, definitions }`
 * (`disclosure`: the minimum cell size for readers other than staff, whose hidden figures are
 * null; see domain/observatory/disclosure.rules.ts), errors
 * `{ error: { code, message, field? } }` with the message in the request's language.
 */

export type ObservatoryApiRequest = {
	url: URL;
	/** The Authorization header, if any. */
	authorization: string | null;
	/** The session's actor, if signed in. */
	actor: Actor | null;
	locale: Locale;
	/** The section of `/api/v1/observatory/<section>`; absent for the index. */
	section?: string;
};

/**
 * `db`: the primary, where funders' tokens are checked and touched (a revoked token is refused at
 * once); `readDb`: where the sections are computed (the replica of SOHO_READ_DATABASE_URL), `db`
 * when absent.
 */
type Deps = { db: Db; readDb?: Db; now?: Date; cache?: ObservatoryCache | null };

const JSON_HEADERS = {
	'content-type': 'application/json; charset=utf-8',
	'cache-control': 'private, no-store',
	vary: 'Authorization, Cookie, Accept-Language'
};

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
	// Dates become ISO strings; non-finite numbers (never expected) become null.
	return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** An error answer; a bad filter answers 400 and names the filter. */
export function observatoryApiError(err: unknown, locale: Locale): Response {
	if (err instanceof ValidationError) {
		const issues = err.issues.map((issue) => ({
			field: issue.field || null,
			code: issue.code,
			message: translate(locale, errorMessageKey(issue.code))
		}));
		const first = issues[0];
		return json(
			{
				error: {
					code: first?.code ?? err.code,
					message: first?.message ?? translate(locale, errorMessageKey(err.code)),
					field: first?.field ?? null,
					issues
				}
			},
			400
		);
	}
	if (err instanceof DomainError) {
		const status = STATUS[err.kind];
		return json(
			{ error: { code: err.code, message: translate(locale, errorMessageKey(err.code)) } },
			status,
			status === 401 ? { 'www-authenticate': 'Bearer realm="soho observatory"' } : {}
		);
	}
	throw err;
}

/** The reader of an API call: the bearer token wins over a session; neither answers 401. */
export async function observatoryApiViewer(
	request: Pick<ObservatoryApiRequest, 'authorization' | 'actor'>,
	{ db, now }: Deps
): Promise<ObservatoryViewer> {
	const token = bearerToken(request.authorization);
	if (token) return viewerForToken({ token }, { db, now });
	if (request.authorization) return viewerForToken({ token: '' }, { db, now });
	if (!request.actor) throw observatoryApiTokenRequired({});
	return observatoryViewerOf(request.actor);
}

/** The indicators defined for a section, as absolute links to the definitions page. */
export function sectionDefinitions(section: string, origin: string): Record<string, string> {
	return Object.fromEntries(
		OBSERVATORY_INDICATORS.filter((indicator) => indicator.section === section).map((indicator) => [
			indicator.key,
			origin + definitionHref(indicator.key)
		])
	);
}

function sectionUrl(origin: string, section: string, query: URLSearchParams): string {
	const search = query.toString();
	return `${origin}/api/v1/observatory/${section}${search ? `?${search}` : ''}`;
}

/** GET /api/v1/observatory and /api/v1/observatory/<section>. */
export async function handleObservatoryApi(request: ObservatoryApiRequest, deps: Deps): Promise<Response> {
	const { url, locale } = request;
	try {
		const viewer = await observatoryApiViewer(request, deps);
		const reads = { db: deps.readDb ?? deps.db, now: deps.now, cache: deps.cache };
		const input = filtersFromSearchParams(url.searchParams);
		if (request.section === undefined) {
			// The index validates the filters too, so that its links are usable.
			const { context } = await computeObservatorySections({ viewer, input, sections: [] }, reads);
			const query = filtersToSearchParams(input);
			return json({
				...envelopeHead(context),
				filterNames: OBSERVATORY_FILTER_KEYS,
				definitions: `${url.origin}/backoffice/observatory/definitions`,
				sections: observatorySectionNames().map((name) => ({
					name,
					href: sectionUrl(url.origin, name, query),
					definitions: sectionDefinitions(name, url.origin)
				}))
			});
		}
		const section = requireObservatorySection(request.section);
		const { context, sections } = await computeObservatorySections(
			{ viewer, input, sections: [section] },
			reads
		);
		return json({
			...envelopeHead(context),
			section,
			// Readers other than staff: figures of fewer than k households are null, and `data` is
			// { withheld: 'too_few_households', minCellSize } when the filters select fewer than k.
			disclosure:
				viewer.kind === 'staff'
					? null
					: {
							minCellSize: context.minCellSize,
							note: translate(locale, 'observatory_hidden_note', { k: context.minCellSize })
						},
			data: sections[section],
			definitions: sectionDefinitions(section, url.origin)
		});
	} catch (err) {
		return observatoryApiError(err, locale);
	}
}
