import * as v from 'valibot';
import type { Actor } from '#server/auth/actor.ts';
import { CASE_SOURCES } from '#server/db/schema/index.ts';

/**
 * The list's and the board's filters, read from the query string so that a view can be
 * bookmarked and shared ("saved views"). Unknown values are ignored rather than refused.
 */
export type CaseQuery = {
	stage: string | null;
	advisor: string | null;
	source: (typeof CASE_SOURCES)[number] | null;
	village: string | null;
	q: string;
	sort: 'recent' | 'oldest';
	page: number;
};

const idLike = (prefix: string) => v.pipe(v.string(), v.regex(new RegExp(`^${prefix}_[a-z0-9]{8,64}$`)));

export function readCaseQuery(url: URL): CaseQuery {
	const get = (name: string) => url.searchParams.get(name)?.trim() || null;
	const stage = get('stage');
	const advisor = get('advisor');
	const source = get('source');
	const village = get('village');
	const page = Number(get('page') ?? '1');
	return {
		stage: stage && /^[a-z][a-z0-9_]{1,39}$/.test(stage) ? stage : null,
		advisor: advisor === 'me' || v.is(idLike('usr'), advisor) ? advisor : null,
		source: v.is(v.picklist(CASE_SOURCES), source) ? source : null,
		village: v.is(idLike('vil'), village) ? village : null,
		q: (get('q') ?? '').slice(0, 200),
		sort: get('sort') === 'oldest' ? 'oldest' : 'recent',
		page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1
	};
}

/** The service filters of a query; `open` means every stage before installation. */
export function toCaseFilters(query: CaseQuery, actor: Actor, openStages: readonly string[]) {
	return {
		stages: query.stage === 'open' ? [...openStages] : query.stage ? [query.stage] : [],
		advisorId: query.advisor === 'me' ? actor.userId : (query.advisor ?? undefined),
		source: query.source ?? undefined,
		villageId: query.village ?? undefined,
		q: query.q || undefined
	};
}
