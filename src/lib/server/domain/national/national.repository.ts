import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { containsPattern } from '../portal/portal.rules.ts';
import type { NationalPlaceRow } from './national.rules.ts';
import type { NationalKind } from './national.schemas.ts';

/*
 * The national portal reads across programmes on purpose, like the comparison: only programmes
 * that opted in (`is_in_national_portal`) and are active, and only what their public pages show
 * (partner villages, workspaces, offers available and published, published events not over).
 * Never persons, cases or anything staff-only.
 */

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;

/** The programmes the national portal shows (opted in and active), with their primary host. */
export type NationalProgrammeRow = {
	id: string;
	slug: string;
	name: string;
	departements: string[];
	primaryHost: string | null;
	isDemo: boolean;
};

export async function findNationalProgrammes({ db }: { db: Db }): Promise<NationalProgrammeRow[]> {
	const result = await db.execute(sql`
		select p.id, p.slug, p.name, p.departements, p.is_demo, h.host as primary_host
		from programmes p
		left join programme_hosts h on h.programme_id = p.id and h.is_primary
		where p.is_in_national_portal and p.status = 'active'
		order by p.name, p.id`);
	return rowsOf<Record<string, unknown>>(result).map((row) => ({
		id: row.id as string,
		slug: row.slug as string,
		name: row.name as string,
		departements: (typeof row.departements === 'string'
			? JSON.parse(row.departements)
			: row.departements) as string[],
		primaryHost: (row.primary_host as string | null) ?? null,
		isDemo: Boolean(row.is_demo)
	}));
}

export type NationalHitRow = {
	kind: NationalKind;
	/** Slug (villages, workspaces) or id (offers, events): what the programme's page is addressed by. */
	ref: string;
	programmeId: string;
	titleFr: string | null;
	titleEn: string | null;
	textFr: string | null;
	textEn: string | null;
	/** Offer or event kind, workspace kind. */
	subKind: string | null;
	communeCode: string | null;
	communeName: string | null;
	departementCode: string | null;
	lat: number | null;
	lon: number | null;
	startsAt: Date | null;
	price: number | null;
	isAnonymised: boolean;
	isDemo: boolean;
};

/** The communes the map draws at most (those with the most results first). */
export const MAX_PLACES = 5000;

/** Accent- and case-insensitive "contains every term", as the programme portal's search. */
function matchesAll(text: SQL, terms: readonly string[]): SQL {
	if (terms.length === 0) return sql`true`;
	return sql.join(
		terms.map((term) => sql`unaccent(${text}) ilike unaccent(${containsPattern(term)})`),
		sql` and `
	);
}

function nameRank(name: SQL, terms: readonly string[]): SQL {
	if (terms.length === 0) return sql`1`;
	return sql`case when unaccent(${name}) ilike unaccent(${containsPattern(terms[0])}) then 0 else 1 end`;
}

/**
 * One page of the national search: every kind in one `union all`, so that one ordering and one
 * count (`count(*) over ()`) page across kinds and programmes. `programmeIds` are already the
 * participating ones (the service reads them); `departements` narrows to a région.
 */
export async function findNationalHits({
	db,
	programmeIds,
	kinds,
	terms,
	departements,
	now,
	limit,
	offset
}: {
	db: Db;
	programmeIds: readonly string[];
	kinds: readonly NationalKind[];
	terms: readonly string[];
	departements: readonly string[] | null;
	now: Date;
	limit: number;
	offset: number;
}): Promise<{ rows: NationalHitRow[]; total: number; places: NationalPlaceRow[] }> {
	if (programmeIds.length === 0 || kinds.length === 0) return { rows: [], total: 0, places: [] };
	const inProgrammes = (column: SQL) =>
		sql`${column} in (${sql.join(
			programmeIds.map((id) => sql`${id}`),
			sql`, `
		)})`;
	const inRegion = (column: SQL) =>
		departements === null
			? sql`true`
			: departements.length === 0
				? sql`false`
				: sql`${column} in (${sql.join(
						departements.map((code) => sql`${code}`),
						sql`, `
					)})`;
	const parts: SQL[] = [];
	if (kinds.includes('village')) {
		const text = sql`concat_ws(' ', c.name, v.presentation_fr, v.presentation_en)`;
		parts.push(sql`
			select 'village' as kind, v.slug as ref, v.programme_id, c.name as title_fr, null::text as title_en,
				v.presentation_fr as text_fr, v.presentation_en as text_en, null::text as sub_kind,
				c.code as commune_code, c.name as commune_name, c.departement_code,
				c.centroid_lat as lat, c.centroid_lon as lon, null::timestamptz as starts_at,
				null::double precision as price, false as is_anonymised, v.is_demo,
				${nameRank(sql`c.name`, terms)} as rank
			from villages v join places c on c.code = v.commune_code
			where ${inProgrammes(sql`v.programme_id`)} and v.status = 'partner'
				and ${inRegion(sql`c.departement_code`)} and ${matchesAll(text, terms)}`);
	}
	if (kinds.includes('workspace')) {
		const text = sql`concat_ws(' ', w.name, c.name, w.equipment::text, w.connection, w.description_fr, w.description_en)`;
		parts.push(sql`
			select 'workspace', w.slug, w.programme_id, w.name, null::text,
				w.description_fr, w.description_en, w.kind,
				c.code, c.name, c.departement_code,
				coalesce(w.lat, c.centroid_lat), coalesce(w.lon, c.centroid_lon), null::timestamptz,
				null::double precision, false, w.is_demo,
				${nameRank(sql`concat_ws(' ', w.name, c.name)`, terms)}
			from workspaces w join places c on c.code = w.commune_code
			where ${inProgrammes(sql`w.programme_id`)}
				and ${inRegion(sql`c.departement_code`)} and ${matchesAll(text, terms)}`);
	}
	if (kinds.includes('offer')) {
		// An anonymised takeover is found and shown by its public fields only (sector, area).
		const text = sql`case when o.is_anonymised
			then concat_ws(' ', o.sector, o.area_label)
			else concat_ws(' ', o.title_fr, o.title_en, c.name, o.sector, o.area_label, o.description_fr, o.description_en)
		end`;
		parts.push(sql`
			select 'offer', o.id, o.programme_id,
				case when o.is_anonymised then null else o.title_fr end,
				case when o.is_anonymised then null else o.title_en end,
				case when o.is_anonymised then null else o.description_fr end,
				case when o.is_anonymised then null else o.description_en end,
				o.kind,
				case when o.is_anonymised then null else c.code end,
				case when o.is_anonymised then o.area_label else c.name end,
				c.departement_code,
				case when o.is_anonymised then null else c.centroid_lat end,
				case when o.is_anonymised then null else c.centroid_lon end,
				null::timestamptz,
				case when o.is_anonymised then null else o.price::double precision end,
				o.is_anonymised, o.is_demo,
				${nameRank(sql`case when o.is_anonymised then coalesce(o.sector, '') else concat_ws(' ', o.title_fr, c.name) end`, terms)}
			from offers o join places c on c.code = o.commune_code
			where ${inProgrammes(sql`o.programme_id`)} and o.status = 'available'
				and o.published_at <= ${now.toISOString()}::timestamptz and o.expires_at > ${now.toISOString()}::timestamptz
				and ${inRegion(sql`c.departement_code`)} and ${matchesAll(text, terms)}`);
	}
	if (kinds.includes('event')) {
		const text = sql`concat_ws(' ', e.title_fr, e.title_en, c.name, e.address, e.description_fr, e.description_en)`;
		parts.push(sql`
			select 'event', e.id, e.programme_id, e.title_fr, e.title_en,
				e.description_fr, e.description_en, e.kind,
				c.code, c.name, c.departement_code,
				c.centroid_lat, c.centroid_lon, e.starts_at,
				null::double precision, false, e.is_demo,
				${nameRank(sql`concat_ws(' ', e.title_fr, c.name)`, terms)}
			from events e left join places c on c.code = e.commune_code
			where ${inProgrammes(sql`e.programme_id`)} and e.status = 'published' and e.ends_at >= ${now.toISOString()}::timestamptz
				and ${inRegion(sql`c.departement_code`)} and ${matchesAll(text, terms)}`);
	}
	// The communes of the chosen programmes' listings, read once by their key: joined to the whole
	// communes table, each of the four parts scanned all 35,000 communes of France (bench: 175 ms
	// for the search, 60 ms with this).
	const placeSources: Record<NationalKind, SQL> = {
		village: sql`select commune_code from villages where ${inProgrammes(sql`programme_id`)}`,
		workspace: sql`select commune_code from workspaces where ${inProgrammes(sql`programme_id`)}`,
		offer: sql`select commune_code from offers where ${inProgrammes(sql`programme_id`)}`,
		event: sql`select commune_code from events where ${inProgrammes(sql`programme_id`)} and commune_code is not null`
	};
	const placesCte = sql`
		with places as materialized (
			select code, name, departement_code, centroid_lat, centroid_lon
			from communes
			where code = any(array(${sql.join(
				kinds.map((kind) => placeSources[kind]),
				sql` union `
			)}))
		)`;
	const hits = sql`(${sql.join(parts, sql` union all `)}) hits(kind, ref, programme_id, title_fr, title_en,
		text_fr, text_en, sub_kind, commune_code, commune_name, departement_code, lat, lon, starts_at, price,
		is_anonymised, is_demo, rank)`;
	const [result, placesResult] = await Promise.all([
		db.execute(sql`
			${placesCte}
			select hits.*, count(*) over () as total
			from ${hits}
			order by rank, case kind when 'village' then 0 when 'workspace' then 1 when 'offer' then 2 else 3 end,
				starts_at nulls last, title_fr nulls last, ref
			limit ${limit} offset ${offset}`),
		// Every commune holding a result (not only this page's), for the map. An anonymised
		// takeover has no commune: it is never placed.
		db.execute(sql`
			${placesCte}
			select p.code as commune_code, p.name as commune_name, p.departement_code,
				p.centroid_lat as lat, p.centroid_lon as lon,
				count(*)::int as hits, array_agg(distinct hits.programme_id order by hits.programme_id) as programme_ids
			from ${hits}
			join places p on p.code = hits.commune_code
			where p.centroid_lat is not null and p.centroid_lon is not null
			group by p.code, p.name, p.departement_code, p.centroid_lat, p.centroid_lon
			order by count(*) desc, p.code
			limit ${MAX_PLACES}`)
	]);
	const raw = rowsOf<Record<string, unknown>>(result);
	const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
	return {
		total: raw.length > 0 ? Number(raw[0].total) : 0,
		places: rowsOf<Record<string, unknown>>(placesResult).map((row) => ({
			communeCode: row.commune_code as string,
			communeName: row.commune_name as string,
			departementCode: row.departement_code as string,
			lat: Number(row.lat),
			lon: Number(row.lon),
			hits: Number(row.hits),
			programmeIds: row.programme_ids as string[]
		})),
		rows: raw.map((row) => ({
			kind: row.kind as NationalKind,
			ref: row.ref as string,
			programmeId: row.programme_id as string,
			titleFr: (row.title_fr as string | null) ?? null,
			titleEn: (row.title_en as string | null) ?? null,
			textFr: (row.text_fr as string | null) ?? null,
			textEn: (row.text_en as string | null) ?? null,
			subKind: (row.sub_kind as string | null) ?? null,
			communeCode: (row.commune_code as string | null) ?? null,
			communeName: (row.commune_name as string | null) ?? null,
			departementCode: (row.departement_code as string | null) ?? null,
			lat: num(row.lat),
			lon: num(row.lon),
			startsAt: row.starts_at ? new Date(row.starts_at as string) : null,
			price: num(row.price),
			isAnonymised: Boolean(row.is_anonymised),
			isDemo: Boolean(row.is_demo)
		}))
	};
}
