import type { Db } from '../../db/index.ts';
import { markdownToText } from '../../content/markdown.ts';
import { loadCogDepartements, loadCogRegions } from '../../geo/cog.ts';
import { placesOf, type NationalPlace } from './national.rules.ts';
import { parseInput } from '../../validation.ts';
import { searchTerms } from '../portal/portal.rules.ts';
import { pickLocalised } from '../village/village.rules.ts';
import {
	findNationalHits,
	findNationalProgrammes,
	type NationalProgrammeRow
} from './national.repository.ts';
import {
	NATIONAL_KINDS,
	searchNationalSchema,
	type NationalKind,
	type SearchNationalInput
} from './national.schemas.ts';

export type { SearchNationalInput } from './national.schemas.ts';

/** Length of the text excerpt shown under each result. */
const EXCERPT_LENGTH = 160;

/** A programme taking part in the national portal (opted in and active). */
export type NationalProgramme = {
	id: string;
	slug: string;
	name: string;
	departements: string[];
	/** Host of its public site; null: the instance's public origin serves it. */
	primaryHost: string | null;
	isDemo: boolean;
};

/** One result; `path` is the page on its programme's site (prefix it with that programme's origin). */
export type NationalHit = {
	kind: NationalKind;
	/** Workspace kind, offer kind or event kind (null for villages). */
	subKind: string | null;
	path: string;
	programme: { id: string; slug: string; name: string };
	/** Null for an anonymised takeover (its title would reveal the business). */
	title: string | null;
	excerpt: string | null;
	communeCode: string | null;
	/** The commune, or the area of an anonymised takeover. */
	communeName: string | null;
	/** Where the map puts it (the listing's own point, else its commune's centre); null: not on the map. */
	position: { lat: number; lon: number } | null;
	startsAt: Date | null;
	price: number | null;
	isAnonymised: boolean;
	isDemo: boolean;
};

export type NationalRegion = { code: string; name: string };

export type NationalSearchResult = {
	/** The words searched; empty: nothing typed (the filters alone select). */
	terms: string[];
	hits: NationalHit[];
	total: number;
	/**
	 * Where the results of the whole search are, not only of this page (the map draws them all):
	 * communes, or départements beyond MAP_COMMUNES communes; an anonymised takeover is never placed.
	 */
	places: NationalPlace[];
	page: number;
	pageSize: number;
	pageCount: number;
	/** Every participating programme (the filter's choices, the map's legend). */
	programmes: NationalProgramme[];
	/** Régions holding at least one participating programme's département. */
	regions: NationalRegion[];
	/** The filters as understood (an unknown programme or région selects nothing). */
	filters: { kinds: NationalKind[]; programme: string | null; region: string | null };
};

export type { NationalPlace } from './national.rules.ts';

const excerpt = (markdown: string | null) => (markdown ? markdownToText(markdown, EXCERPT_LENGTH) : null);

const PATHS: Record<NationalKind, (ref: string) => string> = {
	village: (ref) => `/villages/${encodeURIComponent(ref)}`,
	workspace: (ref) => `/workspaces/${encodeURIComponent(ref)}`,
	offer: (ref) => `/offers/${encodeURIComponent(ref)}`,
	event: (ref) => `/events/${encodeURIComponent(ref)}`
};

const programmeOf = (row: NationalProgrammeRow): NationalProgramme => ({ ...row });

/** The programmes taking part in the national portal (opted in, not suspended), by name. */
export async function listNationalProgrammes(
	_input: object,
	{ db }: { db: Db }
): Promise<{ programmes: NationalProgramme[] }> {
	return { programmes: (await findNationalProgrammes({ db })).map(programmeOf) };
}

/** The régions of these programmes' départements, by name. */
function regionsOf(programmes: readonly NationalProgramme[], locale: string): NationalRegion[] {
	const departements = new Set(programmes.flatMap((p) => p.departements));
	return loadCogRegions()
		.filter((region) => region.departements.some((code) => departements.has(code)))
		.map((region) => ({ code: region.code, name: region.nom }))
		.sort((a, b) => a.name.localeCompare(b.name, locale));
}

/**
 * The national portal's search: one query across the published villages, workspaces, offers and
 * events of every programme that takes part in the national portal and is active. Every word of
 * `q` must be found (accents and case ignored, as the programme portal's search); an empty `q`
 * lists everything the filters select. Filters: kinds, one programme (slug), one région (COG code).
 * Results are paged (`page`, `limit`), each says its programme and the path of its page there.
 * Public content only: persons, cases and staff-only fields are never read.
 */
export async function searchNational(
	input: SearchNationalInput,
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<NationalSearchResult> {
	const data = parseInput(searchNationalSchema, input);
	const terms = searchTerms(data.q);
	const kinds =
		data.kinds.length > 0 ? NATIONAL_KINDS.filter((kind) => data.kinds.includes(kind)) : [...NATIONAL_KINDS];
	const { programmes } = await listNationalProgrammes({}, { db });
	const regions = regionsOf(programmes, data.locale);
	const chosen = data.programme ? programmes.filter((p) => p.slug === data.programme) : programmes;
	const region = data.region ? loadCogRegions().find((r) => r.code === data.region) : undefined;
	const departements = data.region ? (region?.departements ?? []) : null;
	const offset = (data.page - 1) * data.limit;
	const { rows, total, places } = await findNationalHits({
		db,
		programmeIds: chosen.map((p) => p.id),
		kinds,
		terms,
		departements,
		now,
		limit: data.limit,
		offset
	});
	const byId = new Map(programmes.map((p) => [p.id, p]));
	const hits = rows.flatMap((row): NationalHit[] => {
		const programme = byId.get(row.programmeId);
		if (!programme) return [];
		return [
			{
				kind: row.kind,
				subKind: row.subKind,
				path: PATHS[row.kind](row.ref),
				programme: { id: programme.id, slug: programme.slug, name: programme.name },
				title: row.titleFr === null ? null : pickLocalised({ fr: row.titleFr, en: row.titleEn }, data.locale),
				excerpt: excerpt(pickLocalised({ fr: row.textFr, en: row.textEn }, data.locale)),
				communeCode: row.communeCode,
				communeName: row.communeName,
				position: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
				startsAt: row.startsAt,
				price: row.price,
				isAnonymised: row.isAnonymised,
				isDemo: row.isDemo
			}
		];
	});
	return {
		terms,
		hits,
		total,
		places: placesOf(places, {
			programmeOf: (id) => {
				const programme = byId.get(id);
				return programme ? { id: programme.id, name: programme.name } : undefined;
			},
			departementNames: new Map(loadCogDepartements().map((d) => [d.code, d.nom]))
		}),
		page: data.page,
		pageSize: data.limit,
		pageCount: Math.max(1, Math.ceil(total / data.limit)),
		programmes,
		regions,
		filters: {
			kinds: data.kinds.length > 0 ? kinds : [],
			programme: data.programme || null,
			region: data.region || null
		}
	};
}
