/**
 * The advisors' case list and board on a large programme: 100,000 synthetic cases (about 240,000
 * people, 30,000 open tasks), on PGlite and on PostgreSQL. Each operation runs through the real
 * service (permissions, validation, queries) ROUNDS times; we print p50 and p95 server time and
 * compare with the same operation on 1,000 cases (the baseline): the ratio says how the time
 * grows when the data grows 100 times.
 *
 *   npm run bench -- cases                     PGlite in memory, and PostgreSQL when
 *   BENCH_DATABASE_URL=postgres://… npm run bench -- cases   a server URL is given (a scratch database
 *                                              is created on it and dropped afterwards)
 *   BENCH_CASES=20000 npm run bench -- cases   a smaller programme
 */
import { benchDatabases } from './databases.ts';
import { verdictOf, whole, type ResultRow } from './summary.ts';
import {
	findUserInProgramme,
	insertUsersWithMemberships
} from '#server/domain/account/account.repository.ts';
import { sql } from 'drizzle-orm';
import type { Actor } from '#server/auth/actor.ts';
import type { Db } from '#server/db/index.ts';
import { getCaseBoard } from '#server/domain/case/case-pipeline.service.ts';
import { listCases } from '#server/domain/case/case.service.ts';
import { toActor } from '#server/domain/account/account.service.ts';
import { createProgramme } from '#server/domain/programme/programme.service.ts';

const LARGE = Number(process.env.BENCH_CASES ?? 100_000);
const SMALL = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

/**
 * Fills a programme with `total` cases in one set-based statement per table: stages shaped like a
 * long-running programme (most cases closed, ~6 % open), 1–4 people per household, an open task
 * on a third of the open cases and on 30 % of the others.
 */
async function fillProgramme(db: Db, total: number): Promise<Actor> {
	const { programme } = await createProgramme(
		{ input: { slug: `bench-${total}`, name: `Bench ${total}`, departements: ['32'] } },
		{ db }
	);
	const advisors: string[] = [];
	for (let i = 0; i < 5; i++) {
		const [user] = await insertUsersWithMemberships({
			db,
			users: [
				{
					programmeId: programme.id,
					email: `advisor${i}-${total}@bench.soho.example`,
					name: `Advisor ${i}`,
					role: i === 0 ? 'admin' : 'advisor',
					emailVerified: true
				}
			]
		});
		advisors.push(user.id);
	}
	const advisorArray = sql.raw(`array[${advisors.map((id) => `'${id}'`).join(',')}]`);
	await db.execute(sql`
		insert into cases (id, programme_id, reference, source, stage, stage_changed_at, advisor_id, consents, created_at, updated_at)
		select 'cas_' || ${total} || '_' || g, ${programme.id}, 'BENCH' || ${total} || '-' || lpad(g::text, 7, '0'),
			(array['web_form','phone','fair','press','referral','ambassador','event','other'])[1 + g % 8],
			case when g % 100 < 2 then 'contact' when g % 100 < 4 then 'qualified' when g % 100 < 5 then 'discovery_visit'
				when g % 100 < 6 then 'installing' when g % 100 < 30 then 'installed' when g % 100 < 40 then 'integrated'
				when g % 100 < 95 then 'abandoned' else 'left_territory' end,
			now() - (g % 3650) * interval '1 day',
			(${advisorArray})[1 + g % 5],
			jsonb_build_object('contact', true, 'shareWithCommittees', g % 3 = 0, 'shareWithPartners', g % 4 = 0, 'research', true, 'at', null),
			now() - (g % 3650) * interval '1 day' - interval '30 days',
			now() - (g % 3650) * interval '1 day'
		from generate_series(1, ${total}) g`);
	await db.execute(sql`
		insert into persons (id, programme_id, case_id, household_role, first_name, last_name, email, birth_year)
		select 'per_' || ${total} || '_' || g || '_' || k, ${programme.id}, 'cas_' || ${total} || '_' || g,
			case when k = 1 then 'candidate' when k = 2 then 'partner' else 'child' end,
			(array['Hélène','Marc','Anneke','Jules','Sofia','Pieter','Léa','Tom','Inès','Bram'])[1 + (g + k) % 10],
			(array['Garnier','Martin','de Vries','Dubois','Janssen','Lefèvre','Bakker','Moreau','Visser','Roux'])[1 + (g * 7 + k) % 10] || ' ' || g,
			case when k = 1 then 'person' || g || '@bench.soho.example' end,
			1960 + (g + k * 11) % 50
		from generate_series(1, ${total}) g, generate_series(1, 4) k
		where k <= 1 + g % 4`);
	await db.execute(sql`
		insert into tasks (id, programme_id, case_id, title, due_on, assignee_id)
		select 'tsk_' || ${total} || '_' || g, ${programme.id}, 'cas_' || ${total} || '_' || g, 'Call back',
			current_date + (g % 20 - 5), (${advisorArray})[1 + g % 5]
		from generate_series(1, ${total}) g
		where g % 100 < 6 and g % 3 = 0 or g % 10 = 7`);
	await db.execute(sql`analyze`);
	const admin = await findUserInProgramme({ db, programmeId: programme.id, userId: advisors[1] });
	return toActor(admin!);
}

function percentile(sorted: number[], p: number): number {
	const rank = (p / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	const high = Math.ceil(rank);
	return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

async function measure(work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
	await work(); // warm the caches and the query plans
	const times: number[] = [];
	for (let i = 0; i < ROUNDS; i++) {
		const started = performance.now();
		await work();
		times.push(performance.now() - started);
	}
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

type Scenario = {
	name: string;
	run: (actor: Actor, db: Db) => Promise<unknown>;
	/** The row of issue 14's table this scenario measures, with its target p95. */
	target?: { row: string; p95Ms: number };
};

const SCENARIOS: Scenario[] = [
	{ name: 'list, first page', run: (actor, db) => listCases({ actor }, { db }) },
	{
		name: 'list, stage + advisor',
		run: (actor, db) =>
			listCases({ actor, filters: { stages: ['qualified'], advisorId: actor.userId } }, { db })
	},
	{
		name: 'list, source + page 20',
		run: (actor, db) => listCases({ actor, filters: { source: 'fair' }, offset: 950 }, { db })
	},
	{
		name: 'list, name search "lefevre 4"',
		run: (actor, db) => listCases({ actor, filters: { q: 'lefevre 4' } }, { db }),
		target: { row: 'case list name search', p95Ms: 100 }
	},
	{ name: 'board (8 columns)', run: (actor, db) => getCaseBoard({ actor }, { db }) }
];

export async function benchCases(): Promise<ResultRow[]> {
	const rows: ResultRow[] = [];
	for (const kind of benchDatabases('cases')) {
		const { handle, dispose } = await kind.open();
		try {
			const fillStarted = performance.now();
			const large = await fillProgramme(handle.db, LARGE);
			const small = await fillProgramme(handle.db, SMALL);
			console.log(
				`cases on ${kind.name}: ${LARGE.toLocaleString('en')} cases filled in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s; ${ROUNDS} rounds each, server time through the service`
			);
			for (const scenario of SCENARIOS) {
				const big = await measure(() => scenario.run(large, handle.db));
				const base = await measure(() => scenario.run(small, handle.db));
				console.log(
					`  ${scenario.name.padEnd(30)} ${LARGE / 1000}k: p50 ${big.p50.toFixed(1).padStart(7)} ms  p95 ${big.p95.toFixed(1).padStart(7)} ms   ${SMALL / 1000}k baseline: p95 ${base.p95.toFixed(1).padStart(6)} ms   ×${(big.p95 / base.p95).toFixed(1)} for ${LARGE / SMALL}× the data`
				);
				if (scenario.target) {
					rows.push({
						row: `${scenario.target.row}, ${whole(LARGE)} cases`,
						database: kind.name,
						measured: `p95 **${big.p95.toFixed(1)} ms** (p50 ${big.p50.toFixed(1)} ms; ${whole(SMALL)} cases: p95 ${base.p95.toFixed(1)} ms, ×${(big.p95 / base.p95).toFixed(1)})`,
						target: `p95 < ${scenario.target.p95Ms} ms`,
						verdict: verdictOf(big.p95 < scenario.target.p95Ms)
					});
				}
			}
		} finally {
			await dispose();
		}
	}
	return rows;
}
