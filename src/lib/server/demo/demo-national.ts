/**
 * `soho demo generate --scale national`: a SYNTHETIC nation in one database (issue 17, part 4):
 * every commune of France from the bundled COG, 100 programmes, 1,000,000 persons, 400,000 cases
 * and 5,000,000 timeline entries (stage changes and timeline activities), for the national
 * benchmark (`npm run bench national`) and for trying the instance at the scale of a country.
 *
 * Everything is labelled synthetic: programmes are "Programme synthétique 042 — Gers" (demo
 * programmes, `is_demo`), people and cases carry `is_demo`, e-mail addresses end in
 * `@synthetique.soho.example`. Commune positions are SYNTHETIC too (the COG has none): each commune
 * without a position is placed near its département's prefecture (departement-centres.ts) with a
 * seeded offset; positions already imported are kept.
 *
 * How it is written: the territory, the programmes and their villages go through the services
 * (initTerritory, createProgramme, createVillage), as an operator would create them; staff go
 * through the account repository (no password: nobody signs in as them unless an admin sets one).
 * Workspaces, offers, events, cases, persons and the case histories are bulk-loaded with set-based
 * `INSERT … SELECT … FROM generate_series` statements, chunk by chunk: at this size one service call
 * per case (a transaction, an audit entry, duplicate checks) would take hours, and the services
 * add nothing to data nobody typed. The rows are those the services would write (same tables,
 * stages following the default pipeline, each stage change written to `case_stage_changes`), and
 * the indices stay in place while loading, so what the app reads afterwards is what it reads in
 * production; ANALYZE runs at the end.
 *
 * Deterministic: the same options and seed give the same rows (programme-level choices come from
 * a seeded mulberry32, row-level ones from `hashtext(seed:row)` in SQL). Ids are fixed
 * (`cas_syn00000042`), so a second run on a database that holds data is refused unless `reset`
 * asks to delete what a previous run wrote (and only then: a database holding any programme not
 * made here is never reset).
 */
import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { createRandom } from '../../domain/random.ts';
import type { Db } from '../db/index.ts';
import { defineError } from '../errors.ts';
import { loadCogData } from '../geo/cog.ts';
import { insertUsersWithMemberships } from '../domain/account/account.repository.ts';
import { createProgramme } from '../domain/programme/programme.service.ts';
import { initTerritory } from '../domain/territory/territory.service.ts';
import { createVillage } from '../domain/village/village.service.ts';
import { parseInput, ValidationError } from '../validation.ts';
import { DEPARTEMENT_CENTRES } from './departement-centres.ts';

/** The database already holds programmes: the generator writes only into an empty one (or with reset). */
export const demoNationalNotEmpty = defineError('demo.national_not_empty', 'conflict');
/** Reset refused: the database holds programmes the generator did not make (`details.programmes`). */
export const demoNationalForeignData = defineError('demo.national_foreign_data', 'conflict');

/** The sizes of issue 17 (`national`) and a small one for a quick look (`small`). */
export const NATIONAL_SCALES = {
	national: { programmes: 100, persons: 1_000_000, cases: 400_000, entries: 5_000_000 },
	small: { programmes: 10, persons: 25_000, cases: 10_000, entries: 125_000 }
} as const;
export type NationalScale = keyof typeof NATIONAL_SCALES;

/** Slugs of the generated programmes start with this: reset deletes only these. */
export const NATIONAL_SLUG_PREFIX = 'synth-';
/** Domain of every generated e-mail address (reserved `.example`, never delivered). */
export const NATIONAL_EMAIL_DOMAIN = 'synthetique.soho.example';
/** Cases per transaction: bounded memory and a progress line every few seconds. */
const CHUNK_CASES = 20_000;
const VILLAGES_PER_PROGRAMME = 12;
const WORKSPACES_PER_PROGRAMME = 4;
const OFFERS_PER_PROGRAMME = 30;
const EVENTS_PER_PROGRAMME = 8;
const ADVISORS_PER_PROGRAMME = 4;

const count = (field: string) =>
	v.pipe(
		v.number(`demo.invalid_${field}`),
		v.integer(`demo.invalid_${field}`),
		v.minValue(1, `demo.invalid_${field}`),
		v.maxValue(50_000_000, `demo.invalid_${field}`)
	);

export const generateNationalSchema = v.pipe(
	v.object({
		programmes: count('programmes'),
		persons: count('persons'),
		cases: count('cases'),
		entries: count('entries'),
		seed: v.optional(v.pipe(v.number('demo.invalid_seed'), v.integer('demo.invalid_seed')), 17),
		/** Only these départements (tests); default every département of France. */
		departements: v.optional(v.array(v.string())),
		reset: v.optional(v.boolean(), false)
	}),
	v.forward(
		v.check((input) => input.persons >= input.cases, 'demo.persons_below_cases'),
		['persons']
	),
	v.forward(
		v.check((input) => input.entries >= input.cases, 'demo.entries_below_cases'),
		['entries']
	)
);
export type GenerateNationalInput = v.InferInput<typeof generateNationalSchema>;

export type GenerateNationalResult = {
	programmes: number;
	departements: number;
	communes: number;
	villages: number;
	staff: number;
	workspaces: number;
	offers: number;
	events: number;
	cases: number;
	persons: number;
	stageChanges: number;
	activities: number;
	seconds: number;
};

/** One step done: `done` of `total` (cases for `cases`, programmes for `programmes`), `seconds` since the start. */
export type NationalProgress = {
	step: 'reset' | 'territory' | 'programmes' | 'listings' | 'cases' | 'analyze';
	done: number;
	total: number;
	/** Timeline entries written so far (`cases` step). */
	entries?: number;
	seconds: number;
};

type Planned = {
	idx: number;
	id: string;
	departements: string[];
	communes: string[];
	villages: string[];
	advisors: string[];
};

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

async function scalar(db: Db, query: ReturnType<typeof sql>): Promise<number> {
	return Number(rowsOf<{ n: number | string }>(await db.execute(query))[0].n);
}

/** Départements a programme may cover: those of the COG with current communes and a known centre. */
export function nationalDepartements(): { code: string; name: string }[] {
	const cog = loadCogData();
	const withCommunes = new Set(
		cog.communes.filter((c) => c.type === 'commune-actuelle').map((c) => c.departement)
	);
	return cog.departements
		.filter((d) => withCommunes.has(d.code) && DEPARTEMENT_CENTRES[d.code])
		.map((d) => ({ code: d.code, name: d.nom }));
}

/** "Ariège, Gers" for one or two départements, "Ain et 9 autres départements" beyond (names stay short). */
function territoryName(names: string[]): string {
	return names.length <= 2 ? names.join(', ') : `${names[0]} et ${names.length - 1} autres départements`;
}

/** Deletes what an earlier run wrote; refuses when anything else is in the database. */
async function resetNational(db: Db): Promise<void> {
	const foreign = rowsOf<{ slug: string }>(
		await db.execute(
			sql`select slug from programmes where slug not like ${NATIONAL_SLUG_PREFIX + '%'} order by slug limit 5`
		)
	);
	if (foreign.length > 0)
		throw demoNationalForeignData({ programmes: foreign.map((p) => p.slug).join(', ') });
	// Every programme is synthetic: emptying the tables that hang from programmes is the same
	// as deleting each one, in seconds instead of cascading over millions of rows.
	await db.execute(sql`truncate programmes cascade`);
	await db.execute(sql`delete from users where email like ${'%@' + NATIONAL_EMAIL_DOMAIN}`);
}

/**
 * Builds the synthetic nation. `onProgress` is told of each step and each chunk of cases.
 * On PGlite it works too (the tests run it at a tiny scale); at national scale use PostgreSQL.
 */
export async function generateNational(
	input: GenerateNationalInput,
	{
		db,
		onProgress = () => {},
		now = new Date()
	}: { db: Db; onProgress?: (progress: NationalProgress) => void; now?: Date }
): Promise<GenerateNationalResult> {
	const options = parseInput(generateNationalSchema, input);
	const started = performance.now();
	const progress = (step: NationalProgress['step'], done: number, total: number, entries?: number) =>
		onProgress({ step, done, total, entries, seconds: (performance.now() - started) / 1000 });
	const random = createRandom(options.seed);

	if (await scalar(db, sql`select count(*) as n from programmes`)) {
		if (!options.reset) throw demoNationalNotEmpty({});
		await resetNational(db);
		progress('reset', 1, 1);
	}

	const all = nationalDepartements();
	const wanted = options.departements ? new Set(options.departements) : null;
	const departements = wanted ? all.filter((d) => wanted.has(d.code)) : all;
	if (wanted && departements.length !== wanted.size)
		throw new ValidationError([{ field: 'departements', code: 'demo.unknown_departement' }]);
	// Each programme covers at least one département of its own.
	if (departements.length < options.programmes)
		throw new ValidationError([{ field: 'programmes', code: 'demo.too_many_programmes' }]);

	// 1. Territory: every commune of the chosen départements, through the territory service.
	await initTerritory({ departements: departements.map((d) => d.code) }, { db });
	const codes = departements.map((d) => d.code);
	const centres = JSON.stringify(
		codes.map((code) => ({ code, lat: DEPARTEMENT_CENTRES[code][0], lon: DEPARTEMENT_CENTRES[code][1] }))
	);
	// SYNTHETIC positions: the prefecture's position plus a seeded offset of up to ±0.3° of latitude
	// and ±0.4° of longitude (about ±33 km × ±30 km), for communes that have none.
	await db.execute(sql`
		update communes c set
			centroid_lat = round((d.lat + ((abs(hashtext(${options.seed}::text || ':lat:' || c.code)) % 60001) - 30000) / 100000.0)::numeric, 5),
			centroid_lon = round((d.lon + ((abs(hashtext(${options.seed}::text || ':lon:' || c.code)) % 80001) - 40000) / 100000.0)::numeric, 5)
		from jsonb_to_recordset(${centres}::jsonb) as d(code text, lat double precision, lon double precision)
		where c.departement_code = d.code and c.centroid_lat is null`);
	const communesByDepartement = new Map<string, string[]>();
	for (const row of rowsOf<{ code: string; departement_code: string }>(
		await db.execute(
			sql`select code, departement_code from communes where departement_code in ${codes} order by code`
		)
	)) {
		const list = communesByDepartement.get(row.departement_code) ?? [];
		list.push(row.code);
		communesByDepartement.set(row.departement_code, list);
	}
	const communeTotal = [...communesByDepartement.values()].reduce((n, l) => n + l.length, 0);
	progress('territory', communeTotal, communeTotal);

	// 2. Programmes (one or two départements each, round-robin), their staff and villages.
	const planned: Planned[] = [];
	for (let idx = 0; idx < options.programmes; idx++) {
		const mine = departements.filter((_, i) => i % options.programmes === idx);
		const number = String(idx + 1).padStart(3, '0');
		const { programme } = await createProgramme(
			{
				input: {
					slug: `${NATIONAL_SLUG_PREFIX}${number}`,
					name: `Programme synthétique ${number} — ${territoryName(mine.map((d) => d.name))}`,
					departements: mine.map((d) => d.code),
					isDemo: true,
					// Every synthetic programme takes part in the national portal (its search is a benchmark row).
					isInNationalPortal: true
				}
			},
			{ db }
		);
		const [lat, lon] = DEPARTEMENT_CENTRES[mine[0].code];
		// Opted in to the comparison (the national comparison is one of the benchmark's rows).
		await db.execute(
			sql`update programmes set metropole_lat = ${lat}, metropole_lon = ${lon}, is_in_comparison = true,
				in_comparison_since = ${now.toISOString()}::timestamptz where id = ${programme.id}`
		);
		const staff = await insertUsersWithMemberships({
			db,
			users: Array.from({ length: ADVISORS_PER_PROGRAMME + 1 }, (_, i) => ({
				programmeId: programme.id,
				email: `${i === 0 ? 'admin' : `conseiller${i}`}.${number}@${NATIONAL_EMAIL_DOMAIN}`,
				name: i === 0 ? `Admin synthétique ${number}` : `Conseiller synthétique ${number}-${i}`,
				role: i === 0 ? ('admin' as const) : ('advisor' as const),
				emailVerified: true,
				isDemo: true
			}))
		});
		const communes = mine.flatMap((d) => communesByDepartement.get(d.code) ?? []);
		const villageCommunes = random.shuffle(communes).slice(0, VILLAGES_PER_PROGRAMME);
		const villages: string[] = [];
		for (const code of villageCommunes.sort()) {
			const { village } = await createVillage(
				{
					input: {
						programmeId: programme.id,
						communeCode: code,
						slug: `village-${code.toLowerCase()}`,
						joinedOn: `20${String(18 + random.int(0, 7))}-0${random.int(1, 9)}-01`,
						presentationFr: 'Village partenaire synthétique (données de démonstration).',
						presentationEn: 'Synthetic partner village (demo data).',
						isDemo: true
					}
				},
				{ db }
			);
			villages.push(village.id);
		}
		planned.push({
			idx,
			id: programme.id,
			departements: mine.map((d) => d.code),
			communes,
			villages,
			advisors: staff.filter((u) => u.role === 'advisor').map((u) => u.id)
		});
		if ((idx + 1) % 10 === 0 || idx + 1 === options.programmes)
			progress('programmes', idx + 1, options.programmes);
	}

	const programmesJson = JSON.stringify(planned);
	const programmesTable = sql`jsonb_to_recordset(${programmesJson}::jsonb) as p(idx int, id text, communes text[], villages text[], advisors text[])`;

	// 3. Workspaces, offers and events of each programme, in its villages' communes.
	await db.execute(sql`
		insert into workspaces (id, programme_id, commune_code, kind, name, slug, capacity, connection, is_demo)
		select 'wsp_syn' || lpad(p.idx::text, 4, '0') || 'w' || k, p.id, p.villages_communes[1 + (k - 1) % cardinality(p.villages_communes)],
			(array['telecentre','coworking','tiers_lieu','fablab'])[1 + k % 4],
			'Tiers-lieu synthétique ' || lpad((p.idx + 1)::text, 3, '0') || '-' || k, 'tiers-lieu-synthetique-' || k, 6 + k * 4, 'gbit', true
		from (select p.*, (select array_agg(code order by code) from villages v join communes c on c.code = v.commune_code where v.programme_id = p.id) as villages_communes
			from ${programmesTable}) p, generate_series(1, ${WORKSPACES_PER_PROGRAMME}::int) k
		where cardinality(p.villages_communes) > 0`);
	await db.execute(sql`
		insert into offers (id, programme_id, kind, title_fr, title_en, commune_code, village_id, price, rooms, status, published_at, expires_at, contact_email, is_demo)
		select 'off_syn' || lpad(p.idx::text, 4, '0') || 'o' || k, p.id,
			(array['house_rent','house_sale','flat_rent','flat_sale','premises_rent','business_takeover','partner_job'])[1 + k % 7],
			'Annonce synthétique ' || lpad((p.idx + 1)::text, 3, '0') || '-' || k, 'Synthetic listing ' || lpad((p.idx + 1)::text, 3, '0') || '-' || k,
			v.commune_code, v.id,
			case when k % 7 in (0, 2, 4) then 450 + (k * 37) % 600 when k % 7 = 6 then null else 90000 + (k * 7919) % 200000 end,
			case when k % 7 < 4 then 2 + k % 4 end, 'available',
			${now.toISOString()}::timestamptz - (k || ' days')::interval, ${now.toISOString()}::timestamptz + ((30 + k) || ' days')::interval,
			'annonces.' || lpad((p.idx + 1)::text, 3, '0') || ${'@' + NATIONAL_EMAIL_DOMAIN}, true
		from ${programmesTable}, generate_series(1, ${OFFERS_PER_PROGRAMME}::int) k
		join villages v on true
		where cardinality(p.villages) > 0 and v.id = p.villages[1 + (k - 1) % cardinality(p.villages)]`);
	await db.execute(sql`
		insert into events (id, programme_id, kind, title_fr, title_en, starts_at, ends_at, commune_code, village_id, capacity, status, is_demo)
		select 'evt_syn' || lpad(p.idx::text, 4, '0') || 'e' || k, p.id,
			(array['breakfast','workshop','club_meeting','information_meeting','afterwork'])[1 + k % 5],
			'Rencontre synthétique ' || lpad((p.idx + 1)::text, 3, '0') || '-' || k, 'Synthetic meeting ' || lpad((p.idx + 1)::text, 3, '0') || '-' || k,
			${now.toISOString()}::timestamptz + ((k * 9 - 30) || ' days')::interval + interval '9 hours',
			${now.toISOString()}::timestamptz + ((k * 9 - 30) || ' days')::interval + interval '11 hours',
			v.commune_code, v.id, 20 + k * 5, 'published', true
		from ${programmesTable}, generate_series(1, ${EVENTS_PER_PROGRAMME}::int) k
		join villages v on true
		where cardinality(p.villages) > 0 and v.id = p.villages[1 + (k - 1) % cardinality(p.villages)]`);
	progress('listings', options.programmes, options.programmes);

	// 4. Cases, persons and histories, CHUNK_CASES cases per transaction. Case g belongs to
	// programme g % programmes; its household has ⌊persons/cases⌋ people, one more for the first
	// persons % cases cases. Entries are split so that the total is exactly `entries`: each chunk
	// gets its share of the total minus the stage changes written so far, as timeline activities.
	const basePersons = Math.floor(options.persons / options.cases);
	const extraPersons = options.persons % options.cases;
	let entriesSoFar = 0;
	for (let lo = 0; lo < options.cases; lo += CHUNK_CASES) {
		const hi = Math.min(options.cases, lo + CHUNK_CASES);
		await db.transaction(async (tx) => {
			await tx.execute(sql`
				create temp table nat_programmes on commit drop as
				select idx, id, communes, cardinality(communes) as n_communes, villages, cardinality(villages) as n_villages,
					advisors, cardinality(advisors) as n_advisors
				from ${programmesTable}`);
			// One row per household with its dates, from one seeded hash h per case.
			await tx.execute(sql`
				create temp table nat_households on commit drop as
				with base as (
					select g, (abs(hashtext(${options.seed}::text || ':' || g))::bigint) as h
					from generate_series(${lo}::int, ${hi - 1}::int) g
				), dated as (
					select g, h, h % 100 as r, date '2016-01-04' + (h % 3800)::int as contact_on from base
				)
				select d.g, d.h, d.r, p.id as programme_id, p.idx as pidx, d.contact_on,
					'cas_syn' || lpad(d.g::text, 8, '0') as case_id,
					case when d.r < 62 then d.contact_on + 8 + (d.h / 7 % 30)::int end as qualified_on,
					case when d.r < 46 then d.contact_on + 50 + (d.h / 11 % 50)::int end as visit_on,
					case when d.r < 30 and d.contact_on + 130 + (d.h / 13 % 220)::int < ${now.toISOString()}::date
						then d.contact_on + 130 + (d.h / 13 % 220)::int end as installed_on,
					case when d.r >= 46 and d.r < 82 then d.contact_on + 40 + (d.h / 17 % 120)::int end as abandoned_on,
					p.communes[1 + (d.h / 19 % p.n_communes)::int] as commune,
					case when p.n_villages > 0 then p.villages[1 + (d.h / 23 % p.n_villages)::int] end as village_id,
					p.advisors[1 + (d.h / 29 % p.n_advisors)::int] as advisor_id,
					${basePersons}::int + case when d.g < ${extraPersons}::int then 1 else 0 end as household_size
				from dated d join nat_programmes p on p.idx = d.g % ${options.programmes}::int`);
			await tx.execute(sql`
				insert into cases (id, programme_id, reference, source, stage, stage_changed_at, advisor_id, wished_commune_codes,
					timeline, needs, would_move_without_programme, installed_commune_code, installed_on, left_on, left_reason,
					last_sign_of_life_at, abandoned_reason, consents, is_demo, created_at, updated_at)
				select case_id, programme_id, 'SYN' || lpad((pidx + 1)::text, 3, '0') || '-' || lpad(g::text, 8, '0'),
					(array['web_form','phone','fair','press','referral','ambassador','event','other'])[1 + (h / 31 % 8)::int],
					case when installed_on is not null and h % 9 = 0 and installed_on + 420 < ${now.toISOString()}::date then 'left_territory'
						when installed_on is not null then 'installed' when abandoned_on is not null then 'abandoned'
						when visit_on is not null then 'discovery_visit' when qualified_on is not null then 'qualified' else 'contact' end,
					coalesce(case when installed_on is not null and h % 9 = 0 and installed_on + 420 < ${now.toISOString()}::date then installed_on + 420 end,
						installed_on, abandoned_on, visit_on, qualified_on, contact_on)::timestamptz,
					advisor_id, jsonb_build_array(commune),
					(array['within_6_months','6_to_12_months','over_12_months','undecided'])[1 + (h / 37 % 4)::int],
					jsonb_build_object('housingKind', (array['rent','buy','either','undecided'])[1 + (h / 41 % 4)::int],
						'maxRent', 500 + (h / 43 % 8) * 100, 'schools', h % 3 = 0),
					case when r < 62 then (array['yes','no','unsure'])[1 + (h / 47 % 3)::int] end,
					case when installed_on is not null then commune end, installed_on,
					case when installed_on is not null and h % 9 = 0 and installed_on + 420 < ${now.toISOString()}::date then installed_on + 420 end,
					case when installed_on is not null and h % 9 = 0 and installed_on + 420 < ${now.toISOString()}::date then 'Retour en ville (synthétique)' end,
					case when installed_on is not null then least(installed_on + 30 * (h / 53 % 40)::int, ${now.toISOString()}::date)::timestamptz end,
					case when abandoned_on is not null then (array['Pas de logement','Emploi du conjoint','Projet reporté'])[1 + (h / 59 % 3)::int] end,
					jsonb_build_object('contact', true, 'shareWithCommittees', h % 4 <> 0, 'shareWithPartners', h % 5 = 0,
						'research', h % 10 <> 0, 'at', contact_on::timestamptz),
					true, contact_on::timestamptz,
					coalesce(installed_on, abandoned_on, visit_on, qualified_on, contact_on)::timestamptz
				from nat_households`);
			await tx.execute(sql`
				insert into case_target_villages (case_id, village_id, created_at)
				select case_id, village_id, visit_on::timestamptz from nat_households
				where visit_on is not null and village_id is not null`);
			await tx.execute(sql`
				insert into persons (id, programme_id, case_id, household_role, first_name, last_name, email, phone, birth_year,
					status, sector, origin_country, origin_area, languages, is_demo, created_at, updated_at)
				select 'per_syn' || lpad(g::text, 8, '0') || 'k' || k, programme_id, case_id,
					case when k = 1 then 'candidate' when k = 2 then 'partner' else 'child' end,
					(array['Camille','Léa','Hugo','Louis','Manon','Jules','Chloé','Nathan','Inès','Théo','Sarah','Lucas',
						'Emma','Arthur','Jade','Gabriel','Louise','Raphaël','Alice','Paul'])[1 + ((h / 61 + k * 7) % 20)::int],
					(array['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit','Durand','Leroy','Moreau',
						'Simon','Laurent','Lefebvre','Michel','Garcia','David','Bertrand','Roux','Vincent','Fournier'])[1 + (h / 67 % 20)::int],
					case when k <= 2 then 'personne' || g || '.' || k || ${'@' + NATIONAL_EMAIL_DOMAIN} end,
					case when k = 1 then '+3361' || lpad((g % 10000000)::text, 7, '0') end,
					case when k <= 2 then 1958 + ((h / 71 + k * 11) % 42)::int else 2008 + ((h + k) % 16)::int end,
					case when k = 1 then (array['freelancer','employee_teleworking','founder','business_buyer','artist','other'])[1 + (h / 73 % 6)::int] end,
					case when k = 1 then (array['digital','crafts','consulting','health','agriculture','commerce'])[1 + (h / 79 % 6)::int] end,
					case when k <= 2 then (array['FR','FR','FR','FR','FR','FR','BE','NL','GB','DE'])[1 + (h / 83 % 10)::int] end,
					case when k <= 2 and h / 83 % 10 >= 6 then 'abroad'
						when k <= 2 then (array['ile_de_france','auvergne_rhone_alpes','occitanie','nouvelle_aquitaine','hauts_de_france'])[1 + (h / 89 % 5)::int] end,
					case when h % 4 = 0 then '["fr","en"]'::jsonb else '["fr"]'::jsonb end,
					true, contact_on::timestamptz, contact_on::timestamptz
				from nat_households, generate_series(1, household_size) k`);
			await tx.execute(sql`
				insert into case_stage_changes (id, programme_id, case_id, from_stage, to_stage, changed_at, changed_by)
				select 'stg_syn' || lpad(g::text, 8, '0') || 's' || step, programme_id, case_id, from_stage, to_stage, at::timestamptz,
					case when step > 1 then advisor_id end
				from (
					select g, programme_id, case_id, advisor_id, 1 as step, null as from_stage, 'contact' as to_stage, contact_on as at from nat_households
					union all select g, programme_id, case_id, advisor_id, 2, 'contact', 'qualified', qualified_on from nat_households where qualified_on is not null
					union all select g, programme_id, case_id, advisor_id, 3, 'qualified', 'discovery_visit', visit_on from nat_households where visit_on is not null
					union all select g, programme_id, case_id, advisor_id, 4, 'discovery_visit', 'installing', installed_on - 20 from nat_households where installed_on is not null
					union all select g, programme_id, case_id, advisor_id, 5, 'installing', 'installed', installed_on from nat_households where installed_on is not null
					union all select g, programme_id, case_id, advisor_id, 6, 'installed', 'left_territory', installed_on + 420 from nat_households
						where installed_on is not null and h % 9 = 0 and installed_on + 420 < ${now.toISOString()}::date
					union all select g, programme_id, case_id, advisor_id, 7, coalesce(case when visit_on is not null then 'discovery_visit' end,
						case when qualified_on is not null then 'qualified' end, 'contact'), 'abandoned', greatest(abandoned_on, visit_on, qualified_on)
						from nat_households where abandoned_on is not null
				) steps`);
			const stageChanges = await scalar(
				tx,
				sql`select count(*) as n from case_stage_changes where case_id in (select case_id from nat_households)`
			);
			entriesSoFar += stageChanges;
			const activities = Math.max(0, Math.floor((options.entries * hi) / options.cases) - entriesSoFar);
			const size = hi - lo;
			const base = Math.floor(activities / size);
			const extra = activities % size;
			await tx.execute(sql`
				insert into case_activities (id, programme_id, case_id, kind, occurred_at, author_id, summary, data, visibility, created_at, updated_at)
				select 'act_syn' || lpad(g::text, 8, '0') || 'a' || k, programme_id, case_id,
					(array['note','call','email','meeting','visit','document'])[1 + ((h / 97 + k) % 6)::int],
					(contact_on + (k * 11 + (h % 7))::int)::timestamptz + interval '10 hours',
					advisor_id,
					(array['Appel de suivi (synthétique)','Note d''entretien (synthétique)','Courriel envoyé (synthétique)',
						'Rendez-vous (synthétique)','Visite du village (synthétique)','Pièce reçue (synthétique)'])[1 + ((h / 97 + k) % 6)::int],
					'{"synthetic":true}'::jsonb, case when k % 5 = 0 then 'committee' else 'staff' end,
					(contact_on + (k * 11 + (h % 7))::int)::timestamptz + interval '10 hours',
					(contact_on + (k * 11 + (h % 7))::int)::timestamptz + interval '10 hours'
				from nat_households, generate_series(1, ${base}::int + case when g - ${lo}::int < ${extra}::int then 1 else 0 end) k`);
			entriesSoFar += activities;
		});
		progress('cases', hi, options.cases, entriesSoFar);
	}

	progress('analyze', 0, 1);
	await db.execute(sql`analyze`);
	const counted = rowsOf<Record<string, string | number>>(
		await db.execute(sql`
			select (select count(*) from programmes) as programmes, (select count(*) from villages) as villages,
				(select count(*) from memberships) as staff, (select count(*) from workspaces) as workspaces,
				(select count(*) from offers) as offers, (select count(*) from events) as events,
				(select count(*) from cases) as cases, (select count(*) from persons) as persons,
				(select count(*) from case_stage_changes) as stage_changes, (select count(*) from case_activities) as activities`)
	)[0];
	return {
		programmes: Number(counted.programmes),
		departements: codes.length,
		communes: communeTotal,
		villages: Number(counted.villages),
		staff: Number(counted.staff),
		workspaces: Number(counted.workspaces),
		offers: Number(counted.offers),
		events: Number(counted.events),
		cases: Number(counted.cases),
		persons: Number(counted.persons),
		stageChanges: Number(counted.stage_changes),
		activities: Number(counted.activities),
		seconds: (performance.now() - started) / 1000
	};
}
