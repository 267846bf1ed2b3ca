/**
 * The matching engine on all communes of France: ≈35,000 current communes from the bundled COG
 * (`@etalab/decoupage-administratif`), ranked for 1,000 random needs profiles, in process; then
 * the same ranking written as straightforward SQL over the same prepared attributes in a scratch
 * database (PGlite, and PostgreSQL when BENCH_DATABASE_URL names a server). Prints p50 and p95
 * per ranking and the ratio. Target: p95 under 20 ms in process, at least 10× the SQL baseline.
 *
 * SYNTHETIC DATA: the COG gives codes and names but no positions, broadband levels, schools,
 * stations, offers or workspaces; they are drawn here from a seeded generator (same figures on
 * every run), with about 10 % of each attribute left unknown so that the confidence paths run.
 * Members' languages (a few speakers in most partner villages) and the households' languages come
 * from generators of their own, so the other synthetic figures are those of earlier runs.
 *
 *   npm run bench matching
 *   BENCH_MATCHING_PROFILES=200 BENCH_MATCHING_SQL_PROFILES=50 npm run bench matching
 */
import { sql } from 'drizzle-orm';
import type { Db } from '#server/db/index.ts';
import { loadCogData } from '#server/geo/cog.ts';
import {
	COMMON_LANGUAGES,
	DEFAULT_MATCHING_WEIGHTS,
	HOUSING_TYPES,
	MATCHING_CONNECTION_LEVELS,
	housingKinds,
	neededSchoolLevels,
	prepareCommunes,
	rankedLanguages,
	rankCommunes,
	COWORKING_RADIUS_KM,
	DEFAULT_MAX_SCHOOL_KM,
	type ChildSchooling,
	type MatchingCommune,
	type MatchingNeeds,
	type MatchingOffer,
	type MatchingWeights,
	type MatchingWorkspace,
	type RawMatchingCommune
} from '#domain/matching/matching.ts';
import { createRandom, type Random } from '#domain/random.ts';
import { benchDatabases } from './databases.ts';
import { verdictOf, type ResultRow } from './summary.ts';

const PROFILES = Number(process.env.BENCH_MATCHING_PROFILES ?? 1_000);
const SQL_PROFILES = Number(process.env.BENCH_MATCHING_SQL_PROFILES ?? PROFILES);
const LIMIT = 20;
const TOULOUSE = { lat: 43.6045, lon: 1.4442 };

/** Synthetic attributes for real COG communes (positions in mainland France's bounding box). */
function syntheticCommunes(random: Random): RawMatchingCommune[] {
	const cog = loadCogData().communes.filter((c) => c.type === 'commune-actuelle');
	return cog.map((c, i) => {
		const unknown = () => random.chance(0.1);
		const isVillage = random.chance(0.01);
		return {
			code: c.code,
			name: c.nom,
			lat: unknown() ? null : 42.4 + random.next() * 8.6,
			lon: unknown() ? null : -4.6 + random.next() * 12.6,
			villageId: isVillage ? `vil_bench${i}` : null,
			connection: unknown()
				? null
				: random.weighted(MATCHING_CONNECTION_LEVELS.map((l, k) => [l, [2, 3, 3, 2, 4][k]] as const)),
			schools: unknown()
				? null
				: { primary: random.chance(0.55), middle: random.chance(0.15), high: random.chance(0.05) },
			childcare: unknown() ? null : random.chance(0.3),
			hasStation: unknown() ? null : random.chance(0.08),
			stationDistanceKm: null
		};
	});
}

/** Languages members speak in most partner villages: zero to four people each, one to three languages. */
function withSpeakers(random: Random, communes: RawMatchingCommune[]): RawMatchingCommune[] {
	const languages = COMMON_LANGUAGES.slice(1, 8);
	return communes.map((c) =>
		c.villageId && random.chance(0.8)
			? {
					...c,
					speakers: Array.from({ length: random.int(0, 4) }, () => [
						'fr',
						...new Set(Array.from({ length: random.int(1, 3) }, () => random.pick(languages)))
					])
				}
			: c
	);
}

/** A household's languages: French alone for most, another one or two for the rest. */
function randomLanguages(random: Random): string[] {
	const others = COMMON_LANGUAGES.slice(1, 8);
	if (random.chance(0.5)) return ['fr'];
	return ['fr', ...new Set(Array.from({ length: random.int(1, 2) }, () => random.pick(others)))];
}

function syntheticOffers(random: Random, communes: RawMatchingCommune[]): MatchingOffer[] {
	const kinds = ['house_rent', 'house_sale', 'flat_rent', 'flat_sale', 'partner_job'];
	return Array.from({ length: 3_000 }, (_, i) => {
		const kind = random.pick(kinds);
		const isSale = kind.endsWith('_sale');
		return {
			id: `off_bench${String(i).padStart(5, '0')}`,
			kind,
			communeCode: random.pick(communes).code,
			villageId: null,
			price: random.chance(0.1) ? null : isSale ? random.int(60, 500) * 1000 : random.int(350, 1500),
			rooms: random.chance(0.1) ? null : random.int(1, 7),
			surfaceM2: null
		};
	});
}

function syntheticWorkspaces(random: Random, communes: RawMatchingCommune[]): MatchingWorkspace[] {
	return Array.from({ length: 400 }, (_, i) => ({
		id: `wsp_bench${String(i).padStart(4, '0')}`,
		communeCode: random.pick(communes).code,
		kind: 'coworking',
		name: `Tiers-lieu ${i}`
	}));
}

function randomNeeds(random: Random): Omit<MatchingNeeds, 'languages'> {
	const tenure = random.weighted([
		['rent', 5],
		['buy', 4],
		[null, 1]
	] as const);
	const children = Array.from(
		{
			length: random.weighted([
				[0, 4],
				[1, 3],
				[2, 2],
				[3, 1]
			] as const)
		},
		() => {
			const age = random.int(0, 17);
			const schooling: ChildSchooling =
				age < 3 ? 'childcare' : age < 11 ? 'primary' : age < 15 ? 'middle' : 'high';
			return { age, schooling };
		}
	);
	const maybe = (p: number, min: number, max: number) => (random.chance(p) ? random.int(min, max) : null);
	return {
		housingTenure: tenure,
		budgetMin: null,
		budgetMax:
			tenure === 'rent' ? random.int(500, 1400) : tenure === 'buy' ? random.int(100, 450) * 1000 : null,
		housingType: random.pick(HOUSING_TYPES),
		minRooms: maybe(0.5, 2, 5),
		minConnection: random.chance(0.7) ? random.pick(['8', '30', '100', 'gbit'] as const) : null,
		children,
		maxSchoolKm: maybe(0.3, 3, 15),
		needsChildcare: random.chance(0.15),
		isPartnerSeekingJob: random.chance(0.4),
		maxStationKm: maybe(0.3, 10, 60),
		maxAirportKm: maybe(0.2, 50, 200),
		maxMetropoleKm: maybe(0.5, 30, 400),
		wantsCoworking: random.chance(0.5),
		villagePreference: random.weighted([
			['any', 5],
			['prefer_partner', 4],
			['partner_only', 1]
		] as const)
	};
}

const percentile = (sorted: number[], p: number) => {
	const rank = (p / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	return sorted[low] + (sorted[Math.ceil(rank)] - sorted[low]) * (rank - low);
};

const num = (value: number | null) => (value === null ? 'null' : String(value));
const bool = (value: boolean | null) => (value === null ? 'null' : value ? 'true' : 'false');
const text = (value: string | null) => (value === null ? 'null' : `'${value.replace(/'/g, "''")}'`);

/** The prepared attributes and the offers in two plain tables, as a SQL implementation would keep them. */
async function loadTables(db: Db, communes: MatchingCommune[], offers: MatchingOffer[]) {
	await db.execute(sql`create table bench_matching_communes (
		code text primary key, village_id text, connection smallint, metropole_km double precision,
		airport_km double precision, station_km double precision, school_primary_km double precision,
		school_middle_km double precision, school_high_km double precision, has_school_data boolean,
		childcare boolean, coworking_km double precision, nearby_partner_jobs integer)`);
	await db.execute(
		sql`create table bench_matching_speakers (commune_code text not null, languages text[] not null)`
	);
	await db.execute(
		sql`create index bench_matching_speakers_commune_idx on bench_matching_speakers (commune_code)`
	);
	await db.execute(sql`create table bench_matching_offers (
		id text primary key, commune_code text not null, kind text not null, price integer, rooms integer)`);
	await db.execute(
		sql`create index bench_matching_offers_commune_idx on bench_matching_offers (commune_code, kind)`
	);
	for (let i = 0; i < communes.length; i += 1000) {
		const values = communes
			.slice(i, i + 1000)
			.map(
				(c) =>
					`(${text(c.code)}, ${text(c.villageId)}, ${c.connection === null ? 'null' : MATCHING_CONNECTION_LEVELS.indexOf(c.connection)}, ${num(c.metropoleKm)}, ${num(c.airportKm)}, ${num(c.stationKm)}, ${num(c.schoolKm.primary)}, ${num(c.schoolKm.middle)}, ${num(c.schoolKm.high)}, ${bool(c.hasSchoolData)}, ${bool(c.childcare)}, ${num(c.coworkingKm)}, ${c.nearbyPartnerJobs})`
			)
			.join(',');
		await db.execute(sql.raw(`insert into bench_matching_communes values ${values}`));
	}
	const values = offers
		.map((o) => `(${text(o.id)}, ${text(o.communeCode)}, ${text(o.kind)}, ${num(o.price)}, ${num(o.rooms)})`)
		.join(',');
	await db.execute(sql.raw(`insert into bench_matching_offers values ${values}`));
	const speakers = communes.flatMap((c) =>
		c.speakers.map((spoken) => `(${text(c.code)}, array[${spoken.map(text).join(',')}]::text[])`)
	);
	if (speakers.length)
		await db.execute(sql.raw(`insert into bench_matching_speakers values ${speakers.join(',')}`));
	await db.execute(sql`analyze`);
}

/**
 * The same ranking as `rankCommunes`, written as one straightforward SQL query: hard constraints
 * in WHERE, each applicable criterion a CASE giving its value (NULL when unknown), the weighted
 * mean and the confidence, ORDER BY score, confidence, code.
 */
export function rankingSql(needs: MatchingNeeds, weights: MatchingWeights, limit: number): string {
	const where: string[] = [];
	if (needs.villagePreference === 'partner_only') where.push('village_id is not null');
	if (needs.minConnection)
		where.push(
			`(connection is null or connection >= ${MATCHING_CONNECTION_LEVELS.indexOf(needs.minConnection)})`
		);
	for (const [column, limitKm] of [
		['station_km', needs.maxStationKm],
		['airport_km', needs.maxAirportKm],
		['metropole_km', needs.maxMetropoleKm]
	] as const)
		if (limitKm !== null) where.push(`(${column} is null or ${column} <= ${limitKm})`);

	const criteria: [number, string][] = [];
	criteria.push([
		weights.connection,
		`case when connection is null then null else (connection + 1) / 5.0 end`
	]);
	if (needs.housingTenure) {
		const kinds = housingKinds(needs)
			.map((k) => `'${k}'`)
			.join(',');
		const price = needs.budgetMax === null ? 'true' : `(o.price is null or o.price <= ${needs.budgetMax})`;
		criteria.push([
			weights.housing,
			`case when exists (select 1 from bench_matching_offers o where o.commune_code = c.code and o.kind in (${kinds}) and ${price}) then 1.0 else 0.0 end`
		]);
	}
	const levels = neededSchoolLevels(needs);
	if (levels.length) {
		const maxKm = needs.maxSchoolKm ?? DEFAULT_MAX_SCHOOL_KM;
		const unknown = levels
			.map(
				(l) =>
					`(case when school_${l}_km is null or (school_${l}_km > ${maxKm} and not has_school_data) then 1 else 0 end)`
			)
			.join(' + ');
		const within = levels.map((l) => `(case when school_${l}_km <= ${maxKm} then 1 else 0 end)`).join(' + ');
		criteria.push([
			weights.schools,
			`case when ${unknown} = ${levels.length} then null else (${within})::float8 / ${levels.length} end`
		]);
	}
	if (needs.needsChildcare || needs.children.some((c) => c.schooling === 'childcare'))
		criteria.push([
			weights.childcare,
			`case when childcare is null then null when childcare then 1.0 else 0.0 end`
		]);
	if (needs.isPartnerSeekingJob)
		criteria.push([weights.partner_job, `case when nearby_partner_jobs > 0 then 1.0 else 0.0 end`]);
	for (const [criterion, column, limitKm] of [
		['station', 'station_km', needs.maxStationKm],
		['airport', 'airport_km', needs.maxAirportKm],
		['metropole', 'metropole_km', needs.maxMetropoleKm]
	] as const)
		if (limitKm !== null)
			criteria.push([
				weights[criterion],
				limitKm === 0
					? `case when ${column} is null then null else 1.0 end`
					: `1 - 0.5 * least(1, ${column} / ${limitKm}.0)`
			]);
	if (needs.wantsCoworking)
		criteria.push([
			weights.coworking,
			`case when coworking_km is null or coworking_km > ${COWORKING_RADIUS_KM} then 0.0 else 1 - 0.5 * least(1, coworking_km / ${COWORKING_RADIUS_KM}.0) end`
		]);
	if (needs.villagePreference === 'prefer_partner')
		criteria.push([weights.partner_village, `case when village_id is not null then 1.0 else 0.0 end`]);
	const languages = rankedLanguages(needs);
	if (languages.length)
		criteria.push([
			weights.languages,
			`case when exists (select 1 from bench_matching_speakers s where s.commune_code = c.code and s.languages && array[${languages.map(text).join(',')}]::text[]) then 1.0 else 0.0 end`
		]);

	const weightSum = criteria.reduce((sum, [w]) => sum + w, 0);
	const columns = criteria.map(([, expression], i) => `${expression} as v${i}`).join(',\n  ');
	const total = criteria.map(([w], i) => `${w} * coalesce(v${i}, 0.5)`).join(' + ');
	const known = criteria.map(([w], i) => `case when v${i} is null then 0 else ${w} end`).join(' + ');
	const score = weightSum > 0 ? `round(((${total}) / ${weightSum} * 1000)::numeric) / 10` : '0';
	const confidence = weightSum > 0 ? `round(((${known})::float8 / ${weightSum} * 100)::numeric) / 100` : '1';
	return `with scored as (
  select code, ${columns}
  from bench_matching_communes c
  ${where.length ? `where ${where.join(' and ')}` : ''}
)
select code, ${score} as score, ${confidence} as confidence
from scored
order by score desc, confidence desc, code
limit ${limit}`;
}

export async function benchMatching(): Promise<ResultRow[]> {
	const random = createRandom(20261206);
	const raw = withSpeakers(createRandom(639), syntheticCommunes(random));
	const offers = syntheticOffers(random, raw);
	const workspaces = syntheticWorkspaces(random, raw);
	const prepareStarted = performance.now();
	const communes = prepareCommunes({ communes: raw, metropole: TOULOUSE, offers, workspaces });
	const prepareMs = performance.now() - prepareStarted;
	console.log(
		`matching: ${communes.length.toLocaleString('en')} communes (COG codes and names; positions, broadband, schools, stations, childcare, ${offers.length.toLocaleString('en')} offers and ${workspaces.length} workspaces SYNTHETIC), prepared once in ${prepareMs.toFixed(0)} ms`
	);
	const languageRandom = createRandom(6391);
	const profiles = Array.from({ length: PROFILES }, () => ({
		...randomNeeds(random),
		languages: randomLanguages(languageRandom)
	}));
	const weights = DEFAULT_MATCHING_WEIGHTS;

	// Warm-up: the JIT compiles the scoring loop.
	for (const needs of profiles.slice(0, 20)) rankCommunes({ needs, communes, weights, limit: LIMIT });
	const times: number[] = [];
	const heads: string[][] = [];
	for (const needs of profiles) {
		const started = performance.now();
		const { matches } = rankCommunes({ needs, communes, weights, limit: LIMIT });
		times.push(performance.now() - started);
		heads.push(matches.map((m) => m.code));
	}
	times.sort((a, b) => a - b);
	const inProcess = { p50: percentile(times, 50), p95: percentile(times, 95) };
	console.log(
		`matching: in process, ${PROFILES} profiles × ${communes.length.toLocaleString('en')} communes (top ${LIMIT} with explanations): p50 ${inProcess.p50.toFixed(2)} ms, p95 ${inProcess.p95.toFixed(2)} ms`
	);
	const rows: ResultRow[] = [
		{
			row: 'matching: rank all communes of France, in process (p95)',
			database: 'none',
			measured: `${inProcess.p95.toFixed(2)} ms`,
			target: '< 20 ms',
			verdict: verdictOf(inProcess.p95 < 20)
		}
	];

	for (const kind of benchDatabases('matching')) {
		const { handle, dispose } = await kind.open();
		try {
			const loadStarted = performance.now();
			await loadTables(handle.db, communes, offers);
			console.log(
				`matching: ${kind.name}: tables loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`
			);
			const count = Math.min(SQL_PROFILES, profiles.length);
			for (const needs of profiles.slice(0, 5))
				await handle.db.execute(sql.raw(rankingSql(needs, weights, LIMIT)));
			const sqlTimes: number[] = [];
			let same = 0;
			for (let i = 0; i < count; i++) {
				const started = performance.now();
				const result = await handle.db.execute(sql.raw(rankingSql(profiles[i], weights, LIMIT)));
				sqlTimes.push(performance.now() - started);
				const codes = (result as { rows: { code: string }[] }).rows.map((row) => row.code);
				if (codes.join() === heads[i].join()) same++;
			}
			sqlTimes.sort((a, b) => a - b);
			const baseline = { p50: percentile(sqlTimes, 50), p95: percentile(sqlTimes, 95) };
			const ratio = baseline.p95 / inProcess.p95;
			console.log(
				`matching: ${kind.name} SQL, ${count} profiles: p50 ${baseline.p50.toFixed(1)} ms, p95 ${baseline.p95.toFixed(1)} ms; in process is ${ratio.toFixed(1)}× faster at p95 (${(baseline.p50 / inProcess.p50).toFixed(1)}× at p50); same top ${LIMIT} as in process for ${same}/${count} profiles`
			);
			rows.push({
				row: 'matching: in process vs straightforward SQL (p95 ratio)',
				database: kind.name,
				measured: `${ratio.toFixed(1)}× (SQL p95 ${baseline.p95.toFixed(1)} ms)`,
				target: '≥ 10×',
				verdict: verdictOf(ratio >= 10)
			});
		} finally {
			await dispose();
		}
	}
	return rows;
}
