/**
 * All the observatory's indicators for a large programme: 100,000 synthetic cases (≈ 250,000
 * people, stage history, 30 % installed in the Gers's communes) with five follow-up waves (6, 12,
 * 24, 36, 60 months; about 70 % answered), on PGlite and on PostgreSQL. Every section of the
 * registry (OBSERVATORY_SECTION_LOADERS) is computed through the real service, as the API and the
 * annual report do, and compared with the same work on 1,000 cases (the baseline) in the same
 * process. Target: under 2 s on PostgreSQL for the 100,000 cases.
 *
 *   npm run bench -- observatory                      PGlite, and PostgreSQL when
 *   BENCH_DATABASE_URL=postgres://… npm run bench -- observatory   a server URL is given
 *   BENCH_OBSERVATORY_CASES=20000 npm run bench -- observatory     a smaller programme
 */
import { existsSync } from 'node:fs';
import { insertUsersWithMemberships } from '#server/domain/account/account.repository.ts';
import { sql } from 'drizzle-orm';
import type { Db } from '#server/db/index.ts';
import { surveyQuestionnairesTable } from '#server/db/schema/index.ts';
import { DEFAULT_QUESTIONS } from '#server/domain/follow-up/follow-up.rules.ts';
import {
	computeObservatorySections,
	observatorySectionNames
} from '#server/domain/observatory/observatory-report.service.ts';
import type { ObservatoryViewer } from '#server/domain/observatory/observatory.types.ts';
import { ObservatoryCache } from '#server/domain/observatory/observatory-cache.ts';
import { createProgramme } from '#server/domain/programme/programme.service.ts';
import { importCommuneGeometry, initTerritory } from '#server/domain/territory/territory.service.ts';
import { readJsonFile } from '#server/geo/geojson.ts';
import { benchDatabases } from './databases.ts';
import { verdictOf, whole, type ResultRow } from './summary.ts';

const LARGE = Number(process.env.BENCH_OBSERVATORY_CASES ?? 100_000);
const SMALL = 1_000;
const ROUNDS = Number(process.env.BENCH_OBSERVATORY_ROUNDS ?? 3);
/** Fixed "today" so that waves and durations do not depend on the day the bench runs. */
const NOW = new Date('2026-11-26T09:00:00Z');
const GERS_FILE = '../shared/data/geo/gers/communes-32-gers.geojson';

/** Fills a programme with `total` households in set-based statements; returns the staff reader. */
export async function fillObservatoryProgramme(db: Db, total: number): Promise<ObservatoryViewer> {
	const { programme } = await createProgramme(
		{ input: { slug: `bench-obs-${total}`, name: `Bench ${total}`, departements: ['32'] } },
		{ db }
	);
	await db.execute(
		sql`update programmes set metropole_code = '31555', metropole_lat = 43.6045, metropole_lon = 1.4442 where id = ${programme.id}`
	);
	const advisors: string[] = [];
	for (let i = 0; i < 5; i++) {
		const [user] = await insertUsersWithMemberships({
			db,
			users: [
				{
					programmeId: programme.id,
					email: `obs-advisor${i}-${total}@bench.soho.example`,
					name: `Advisor ${i}`,
					role: i === 0 ? 'admin' : 'advisor',
					emailVerified: true
				}
			]
		});
		advisors.push(user.id);
	}
	const p = programme.id;
	const advisorArray = sql.raw(`array[${advisors.map((id) => `'${id}'`).join(',')}]`);
	// One row per household with its dates, computed once; cases, persons and history read it.
	await db.execute(sql`drop table if exists bench_households`);
	await db.execute(sql`
		create table bench_households as
		with base as (
			select g, g % 100 as r, date '2016-12-01' + ((g * 7919) % 3560) as contact_on
			from generate_series(1, ${total}) g
		), communes_list as (
			select array_agg(code order by code) as codes, count(*)::int as n from communes where departement_code = '32'
		)
		select g, r, contact_on,
			case when r < 60 then contact_on + 10 + g % 30 end as qualified_on,
			case when r < 45 then contact_on + 60 + g % 40 end as visit_on,
			case when r < 30 and contact_on + 120 + g % 200 < date '2026-11-20' then contact_on + 120 + g % 200 end as installed_on,
			case when r >= 30 and r < 80 then contact_on + 40 + g % 90 end as abandoned_on,
			codes[1 + (g * 31) % n] as commune
		from base, communes_list`);
	await db.execute(sql`
		insert into cases (id, programme_id, reference, source, stage, stage_changed_at, advisor_id, consents,
			installed_on, installed_commune_code, left_on, business_created_on, business_closed_on,
			last_sign_of_life_at, abandoned_reason, would_move_without_programme, created_at, updated_at)
		select 'cas_o' || ${total} || '_' || g, ${p}, 'OBS' || ${total} || '-' || lpad(g::text, 7, '0'),
			(array['web_form','phone','fair','press','referral','ambassador','event','other'])[1 + g % 8],
			case when installed_on is not null and g % 7 = 0 and installed_on + 400 + g % 800 < date '2026-11-20' then 'left_territory'
				when installed_on is not null then 'installed' when abandoned_on is not null then 'abandoned'
				when visit_on is not null then 'discovery_visit' when qualified_on is not null then 'qualified' else 'contact' end,
			contact_on::timestamptz, (${advisorArray})[1 + g % 5],
			jsonb_build_object('contact', true, 'shareWithCommittees', true, 'shareWithPartners', false, 'research', g % 10 <> 0, 'at', null),
			installed_on, case when installed_on is not null then commune end,
			case when installed_on is not null and g % 7 = 0 and installed_on + 400 + g % 800 < date '2026-11-20' then installed_on + 400 + g % 800 end,
			case when installed_on is not null and g % 3 = 0 then installed_on + 90 end,
			case when installed_on is not null and g % 9 = 0 and installed_on + 700 < date '2026-11-20' then installed_on + 700 end,
			case when installed_on is not null then least(installed_on + 30 * (g % 60), date '2026-11-20')::timestamptz end,
			case when abandoned_on is not null then (array['Pas de logement','Emploi du conjoint','Projet reporté', null])[1 + g % 4] end,
			case when r < 60 then (array['yes','no','unsure'])[1 + g % 3] end,
			contact_on::timestamptz, contact_on::timestamptz
		from bench_households`);
	await db.execute(sql`
		insert into persons (id, programme_id, case_id, household_role, first_name, status, sector, pcs, birth_year, origin_country, origin_area)
		select 'per_o' || ${total} || '_' || g || '_' || k, ${p}, 'cas_o' || ${total} || '_' || g,
			case when k = 1 then 'candidate' when k = 2 then 'partner' else 'child' end, 'P' || g,
			case when k = 1 then (array['freelancer','employee_teleworking','founder','business_buyer','artist','other'])[1 + g % 6] end,
			case when k = 1 then (array['Informatique','Artisanat','Conseil','Santé','Agriculture','Commerce'])[1 + (g / 3) % 6] end,
			case when k = 1 then (array['37','38','46','23','31','54'])[1 + (g / 5) % 6] end,
			case when k <= 2 then 1955 + (g + k * 11) % 45 else 2008 + (g + k) % 16 end,
			case when k = 1 then (array['FR','FR','FR','FR','NL','BE','GB','DE'])[1 + (g / 7) % 8] end,
			case when k = 1 then (array['Île-de-France','Occitanie','Nouvelle-Aquitaine','Auvergne-Rhône-Alpes'])[1 + (g / 11) % 4] end
		from bench_households, generate_series(1, 4) k
		where k <= 1 + g % 4`);
	await db.execute(sql`
		insert into case_stage_changes (id, programme_id, case_id, from_stage, to_stage, changed_at)
		select 'stg_o' || ${total} || '_' || g || '_' || step, ${p}, 'cas_o' || ${total} || '_' || g, from_stage, to_stage, at::timestamptz
		from (
			select g, 1 as step, null as from_stage, 'contact' as to_stage, contact_on as at from bench_households
			union all select g, 2, 'contact', 'qualified', qualified_on from bench_households where qualified_on is not null
			union all select g, 3, 'qualified', 'discovery_visit', visit_on from bench_households where visit_on is not null
			union all select g, 4, 'discovery_visit', 'installed', installed_on from bench_households where installed_on is not null
			union all select g, 5, 'contact', 'abandoned', abandoned_on from bench_households where abandoned_on is not null
		) steps`);
	await db
		.insert(surveyQuestionnairesTable)
		.values({ programmeId: p, version: 1, questions: DEFAULT_QUESTIONS });
	await db.execute(sql`
		insert into survey_invitations (id, programme_id, case_id, wave_months, due_on, token, questionnaire_version,
			to_address, sent_at, expires_at, answered_at)
		select 'svi_o' || ${total} || '_' || g || '_' || w, ${p}, 'cas_o' || ${total} || '_' || g, w,
			(installed_on + make_interval(months => w))::date, 'o' || ${total} || 't' || g || 'w' || w, 1,
			'person' || g || '@bench.soho.example', (installed_on + make_interval(months => w))::timestamptz,
			(installed_on + make_interval(months => w) + interval '30 days')::timestamptz,
			case when (g + w) % 10 < 7 then (installed_on + make_interval(months => w) + interval '3 days')::timestamptz end
		from bench_households, unnest(array[6, 12, 24, 36, 60]) w
		where installed_on is not null and installed_on + make_interval(months => w) < date '2026-11-20'`);
	await db.execute(sql`
		insert into survey_answers (id, programme_id, invitation_id, case_id, wave_months, questionnaire_version, answers, submitted_at)
		select 'sva_o' || ${total} || '_' || h.g || '_' || i.wave_months, ${p}, i.id, i.case_id, i.wave_months, 1,
			jsonb_build_object(
				'living_here', case when (h.g + i.wave_months) % 17 = 0 then 'no' else 'yes' end,
				'business_active', (array['yes','yes','no','none'])[1 + h.g % 4],
				'revenue_band', (array['under_20k','20k_50k','50k_100k','over_100k','not_saying'])[1 + h.g % 5],
				'local_clients_share', (array['none','under_25','25_50','50_75','over_75'])[1 + (h.g + i.wave_months) % 5],
				'jobs_created', (h.g + i.wave_months) % 4,
				'partner_job', (array['local','remote','seeking','not_seeking','no_partner'])[1 + h.g % 5],
				'children_schooling', (array['well','difficulties','no_children'])[1 + h.g % 3],
				'associations_joined', h.g % 4,
				'satisfaction', 1 + (h.g + i.wave_months) % 5,
				'intention_to_stay', (array['yes','yes','no','unsure'])[1 + (h.g + i.wave_months) % 4],
				'would_move_without_programme', (array['yes','no','unsure'])[1 + h.g % 3]
			),
			i.answered_at
		from survey_invitations i join bench_households h on i.case_id = 'cas_o' || ${total} || '_' || h.g
		where i.programme_id = ${p} and i.answered_at is not null`);
	await db.execute(sql`drop table bench_households`);
	await db.execute(sql`analyze`);
	return { programmeId: p, kind: 'staff', userId: advisors[0], isAdmin: true };
}

type Timing = { total: number; load: number; sections: Record<string, number> };

/** Median of ROUNDS runs after one warm-up run, per section and in total. */
async function measure(viewer: ObservatoryViewer, db: Db): Promise<Timing> {
	const runs: Timing[] = [];
	for (let i = 0; i <= ROUNDS; i++) {
		const started = performance.now();
		const { timings } = await computeObservatorySections({ viewer, input: {} }, { db, now: NOW });
		if (i === 0) continue;
		runs.push({
			total: performance.now() - started,
			load: timings.load,
			sections: timings.sections as Record<string, number>
		});
	}
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	return {
		total: median(runs.map((r) => r.total)),
		load: median(runs.map((r) => r.load)),
		sections: Object.fromEntries(
			observatorySectionNames().map((name) => [name, median(runs.map((r) => r.sections[name] ?? 0))])
		)
	};
}

/** A cold call through a fresh cache, then the same call again: served from memory. */
async function measureCached(
	viewer: ObservatoryViewer,
	db: Db
): Promise<{ cold: number; hit: number; served: number }> {
	const cache = new ObservatoryCache({ maxBytes: 64 * 1024 * 1024 });
	let started = performance.now();
	await computeObservatorySections({ viewer, input: {} }, { db, now: NOW, cache });
	const cold = performance.now() - started;
	started = performance.now();
	const { cached } = await computeObservatorySections({ viewer, input: {} }, { db, now: NOW, cache });
	const hit = performance.now() - started;
	if (cache.stats.computed !== observatorySectionNames().length)
		throw new Error('observatory bench: the second call was not served from the cache');
	return { cold, hit, served: cached.length };
}

/** Issue 14's targets: all indicators under 2 s on PostgreSQL, cost linear in cases. */
const TARGET_MS = 2_000;
const MAX_PER_CASE_GROWTH = 1.5;
/** Parts of the computation faster than this at the large size are left out of the linearity verdict (noise). */
const MIN_WEIGHING_MS = 100;

export async function benchObservatory(): Promise<ResultRow[]> {
	const rows: ResultRow[] = [];
	for (const kind of benchDatabases('observatory')) {
		const { handle, dispose } = await kind.open();
		try {
			const fillStarted = performance.now();
			await initTerritory({ departements: ['32'] }, { db: handle.db });
			if (existsSync(GERS_FILE))
				await importCommuneGeometry({ geojson: readJsonFile(GERS_FILE), source: 'bench' }, { db: handle.db });
			else console.log(`observatory: commune outlines skipped (${GERS_FILE} not found)`);
			const large = await fillObservatoryProgramme(handle.db, LARGE);
			const small = await fillObservatoryProgramme(handle.db, SMALL);
			console.log(
				`observatory on ${kind.name}: ${LARGE.toLocaleString('en')} cases with 5 follow-up waves filled in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s; median of ${ROUNDS} runs after a warm-up, all ${observatorySectionNames().length} sections through the service`
			);
			const big = await measure(large, handle.db);
			const base = await measure(small, handle.db);
			const line = (name: string, b: number, s: number) =>
				console.log(
					`  ${name.padEnd(22)} ${LARGE / 1000}k: ${b.toFixed(1).padStart(8)} ms   ${SMALL / 1000}k baseline: ${s.toFixed(1).padStart(7)} ms   ×${(b / Math.max(s, 0.1)).toFixed(1)} for ${LARGE / SMALL}× the data`
				);
			line('load (cases query)', big.load, base.load);
			for (const name of observatorySectionNames())
				line(`section ${name}`, big.sections[name], base.sections[name]);
			line('ALL INDICATORS', big.total, base.total);
			// Informational: the same call served from the observatory cache (as pages, API and report
			// read it), the first call cold (computed and stored), the second from memory.
			const cached = await measureCached(large, handle.db);
			console.log(
				`  cached (${LARGE / 1000}k)            cold: ${cached.cold.toFixed(1).padStart(8)} ms   second call from the cache: ${cached.hit.toFixed(2)} ms (${cached.served} sections served, 0 computed)`
			);
			rows.push({
				row: `observatory, all indicators, ${whole(LARGE)} cases, second call (cache)`,
				database: kind.name,
				measured: `${cached.hit.toFixed(1)} ms (cold ${(cached.cold / 1000).toFixed(2)} s)`,
				target: 'informational',
				verdict: 'info'
			});
			const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
			const parts = [
				`load ${seconds(big.load)}`,
				...observatorySectionNames().map((name) => `${name} ${seconds(big.sections[name])}`)
			];
			rows.push({
				row: `observatory, all indicators, ${whole(LARGE)} cases`,
				database: kind.name,
				measured: `**${seconds(big.total)}** (${parts.join(', ')})`,
				target: `< ${TARGET_MS / 1000} s on PostgreSQL`,
				verdict: kind.name === 'PostgreSQL' ? verdictOf(big.total < TARGET_MS) : 'info'
			});
			// Linear cost: the time per case at LARGE is at most ~1.5 times the time per case at SMALL,
			// in total and in every part that weighs (a quadratic section can hide behind fixed costs).
			const growth = (b: number, s: number) => b / LARGE / (Math.max(s, 0.1) / SMALL);
			const weighing = [
				{ name: 'load', big: big.load, small: base.load },
				...observatorySectionNames().map((name) => ({
					name,
					big: big.sections[name],
					small: base.sections[name]
				}))
			].filter((part) => part.big >= MIN_WEIGHING_MS);
			const worst = weighing
				.map((part) => ({ name: part.name, growth: growth(part.big, part.small) }))
				.reduce((a, b) => (b.growth > a.growth ? b : a), { name: 'none', growth: 0 });
			const total = growth(big.total, base.total);
			rows.push({
				row: `observatory cost per case, ${whole(LARGE)} vs ${whole(SMALL)} cases`,
				database: kind.name,
				measured: `total **×${total.toFixed(2)}** (${seconds(big.total)} vs ${seconds(base.total)} for ${LARGE / SMALL}× the cases); worst part over ${MIN_WEIGHING_MS} ms: ${worst.name} ×${worst.growth.toFixed(2)}`,
				target: `≤ ×${MAX_PER_CASE_GROWTH} in total and per part (linear in cases)`,
				verdict: verdictOf(total <= MAX_PER_CASE_GROWTH && worst.growth <= MAX_PER_CASE_GROWTH)
			});
		} finally {
			await dispose();
		}
	}
	return rows;
}
