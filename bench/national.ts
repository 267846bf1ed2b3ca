/**
 * `npm run bench national`: the app on the synthetic nation of issue 17 (every commune of France,
 * 100 programmes, 1,000,000 persons, 400,000 cases, 5,000,000 timeline entries), on PostgreSQL.
 *
 * The nation lives in the database `soho_bench_national` on BENCH_DATABASE_URL's (or
 * TEST_DATABASE_URL's) server. It is generated once, by `soho demo generate` in a child process
 * (its wall time is printed), and reused by later runs as long as it was generated with the same
 * sizes and seed (they are kept in the database's comment); it is left in place afterwards, so
 * drop it by hand to get the disk back (`DROP DATABASE soho_bench_national`).
 *
 * Then, through the real services, each call timed ROUNDS times after one warm-up (p50, p95):
 *   national search         a hook: filled once `searchNational` exists (another branch)
 *   case list               an advisor's list of one programme (listCases, the back office's page)
 *   case page               one case with its household and its timeline (getCase + getTimeline)
 *   matching                partner villages ranked for a household among every commune of its
 *                           programme's territory (getSuggestions), households of all programmes
 *   observatory             every section for one programme (computeObservatorySections, no cache)
 *   comparison              the 100 opted-in programmes side by side (getProgrammeComparison)
 * and the throughput of one app process against two behind a round-robin proxy on the nation
 * (bench/two-processes.ts; needs `npm run build`).
 *
 * Targets (issue 17): pages p95 under 200 ms, observatory under 3 s, two processes ≥ 1.6× one.
 *
 *   BENCH_DATABASE_URL=postgres://… npm run bench national
 *   BENCH_NATIONAL_SCALE=small npm run bench national   10 programmes, 10,000 cases (a quick run;
 *                                                       a database of its own, soho_bench_national_small)
 *   BENCH_NATIONAL_ROUNDS (30), BENCH_NATIONAL_HEAVY_ROUNDS (5, observatory and comparison)
 */
import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Actor } from '#server/auth/actor.ts';
import { createDb, type Db } from '#server/db/index.ts';
import {
	NATIONAL_EMAIL_DOMAIN,
	NATIONAL_SCALES,
	NATIONAL_SLUG_PREFIX,
	type NationalScale
} from '#server/demo/demo-national.ts';
import { createUser } from '#server/domain/account/account.service.ts';
import { getCase, getTimeline, listCases } from '#server/domain/case/case.service.ts';
import { getSuggestions } from '#server/domain/matching/matching.service.ts';
import { getProgrammeComparison } from '#server/domain/observatory/comparison.service.ts';
import { searchNational } from '#server/domain/national/national.service.ts';
import { computeObservatorySections } from '#server/domain/observatory/observatory-report.service.ts';
import { DEMO_PASSWORD } from '../tests/e2e/support.ts';
import { benchPostgresUrl } from './databases.ts';
import { measureTwoProcesses } from './two-processes.ts';
import { skippedRow, verdictOf, whole, type ResultRow } from './summary.ts';

const SCALE_NAME = (process.env.BENCH_NATIONAL_SCALE ?? 'national') as NationalScale;
const ROUNDS = Number(process.env.BENCH_NATIONAL_ROUNDS ?? 30);
const HEAVY_ROUNDS = Number(process.env.BENCH_NATIONAL_HEAVY_ROUNDS ?? 5);
const SEED = 17;
const PAGE_TARGET = 'p95 < 200 ms';
const OBSERVATORY_TARGET = '< 3 s';
/** The advisor the bench signs in as (the generated staff have no password). */
const BENCH_ADVISOR = `bench.conseiller@${NATIONAL_EMAIL_DOMAIN}`;

type Timings = { p50: number; p95: number; rounds: number };

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** One warm-up call, then `rounds` timed calls (each may use its round number to vary its input). */
async function timeRounds(rounds: number, work: (round: number) => Promise<unknown>): Promise<Timings> {
	await work(-1);
	const times: number[] = [];
	for (let round = 0; round < rounds; round++) {
		const started = performance.now();
		await work(round);
		times.push(performance.now() - started);
	}
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 50), p95: percentile(times, 95), rounds };
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

async function onServer<T = unknown>(url: string, statement: string, params: unknown[] = []): Promise<T[]> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return (await client.query(statement, params)).rows as T[];
	} finally {
		await client.end();
	}
}

/** `soho demo generate` in a child process, its progress on this terminal. */
function generate(databaseUrl: string, scale: NationalScale): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['bin/soho.js', 'demo', 'generate', '--scale', scale, '--seed', String(SEED)],
			{
				env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', SOHO_LANG: 'en' },
				stdio: ['ignore', 'inherit', 'inherit']
			}
		);
		child.once('exit', (code) =>
			code === 0 ? resolve() : reject(new Error(`soho demo generate exited with ${code}`))
		);
	});
}

/**
 * The database holding the nation of `scale`: reused when its comment says it holds this very
 * nation, else (re)created and generated. Returns its URL.
 */
async function nationalDatabase(serverUrl: string, scale: NationalScale): Promise<string> {
	const name = scale === 'national' ? 'soho_bench_national' : `soho_bench_national_${scale}`;
	const marker = `soho-national ${JSON.stringify({ ...NATIONAL_SCALES[scale], seed: SEED })}`;
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const [existing] = await onServer<{ comment: string | null }>(
		serverUrl,
		`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
		[name]
	);
	if (existing?.comment === marker) {
		console.log(`national: reusing ${name} (${marker})`);
		return url.toString();
	}
	await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await onServer(serverUrl, `CREATE DATABASE ${name}`);
	const started = performance.now();
	await generate(url.toString(), scale);
	const minutes = (performance.now() - started) / 60_000;
	console.log(
		`national: ${scale} dataset generated in ${minutes.toFixed(1)} min (soho demo generate, wall time)`
	);
	// Written last: an interrupted generation is never reused.
	await onServer(serverUrl, `COMMENT ON DATABASE ${name} IS '${marker.replace(/'/g, "''")}'`);
	return url.toString();
}

/** The actor of a user holding `role` in a programme (an advisor or admin the generator made). */
async function staffActors(db: Db, role: 'admin' | 'advisor'): Promise<Actor[]> {
	const rows = rowsOf<{ id: string; name: string; email: string; programme_id: string }>(
		await db.execute(sql`
			select distinct on (p.slug) u.id, u.name, u.email, p.id as programme_id
			from programmes p join memberships m on m.programme_id = p.id and m.role = ${role}
			join users u on u.id = m.user_id
			where p.slug like ${NATIONAL_SLUG_PREFIX + '%'} order by p.slug, u.email`)
	);
	return rows.map((row) => ({
		userId: row.id,
		name: row.name,
		email: row.email,
		role,
		programmeId: row.programme_id,
		organisationId: null,
		locale: 'fr',
		isDemo: true
	}));
}

/** A signed-in-able advisor of the first programme, created once (password DEMO_PASSWORD). */
async function ensureBenchAdvisor(db: Db, programmeId: string): Promise<void> {
	const [found] = rowsOf<{ id: string }>(
		await db.execute(sql`select id from users where email = ${BENCH_ADVISOR}`)
	);
	if (found) return;
	await createUser(
		{
			input: {
				email: BENCH_ADVISOR,
				name: 'Conseiller du banc d’essai (synthétique)',
				role: 'advisor',
				programmeId,
				password: DEMO_PASSWORD
			}
		},
		{ db }
	);
}

function pageRow(row: string, t: Timings, target = PAGE_TARGET, limit = 200): ResultRow {
	console.log(
		`${row.padEnd(58)} p50 ${t.p50.toFixed(0).padStart(6)} ms   p95 ${t.p95.toFixed(0).padStart(6)} ms   (${t.rounds} rounds)`
	);
	return {
		row,
		database: 'PostgreSQL',
		measured: `p50 ${whole(t.p50)} ms, p95 ${whole(t.p95)} ms`,
		target,
		verdict: verdictOf(t.p95 < limit)
	};
}

/** Words a candidate types in the national search (each round takes the next; the last one is empty: every result). */
const NATIONAL_QUERIES = ['maison', 'coworking', 'atelier', 'bureau', 'village', 'café', ''];

/**
 * The national portal's one search across every participating programme (`searchNational`, what
 * `/france` runs): a word, first page of results, timed like the pages.
 */
async function benchNationalSearch(db: Db): Promise<ResultRow> {
	return pageRow(
		'national: national search (every programme, one word)',
		await timeRounds(ROUNDS, (round) =>
			searchNational(
				{ q: NATIONAL_QUERIES[(round + NATIONAL_QUERIES.length) % NATIONAL_QUERIES.length], locale: 'fr' },
				{ db }
			)
		)
	);
}

export async function benchNational(): Promise<ResultRow[]> {
	const serverUrl = benchPostgresUrl();
	const rowNames = [
		'national search',
		'case list',
		'case page',
		'matching',
		'observatory',
		'comparison',
		'throughput'
	];
	if (!serverUrl) {
		console.log('national: skipped (PostgreSQL only: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
		return rowNames.map((name) => skippedRow(`national: ${name}`, 'PostgreSQL', '', 'no PostgreSQL'));
	}
	if (!(SCALE_NAME in NATIONAL_SCALES))
		throw new Error(`BENCH_NATIONAL_SCALE: national or small, not ${SCALE_NAME}`);
	const databaseUrl = await nationalDatabase(serverUrl, SCALE_NAME);
	const handle = await createDb({ url: databaseUrl });
	const rows: ResultRow[] = [];
	try {
		const { db } = handle;
		const advisors = await staffActors(db, 'advisor');
		const admins = await staffActors(db, 'admin');
		const [first] = advisors;
		const counts = rowsOf<Record<string, string>>(
			await db.execute(sql`select (select count(*) from programmes) as programmes, (select count(*) from communes) as communes,
				(select count(*) from cases) as cases, (select count(*) from persons) as persons,
				(select count(*) from case_stage_changes) + (select count(*) from case_activities) as entries,
				(select count(*) from cases where programme_id = ${first.programmeId}) as first_cases`)
		)[0];
		console.log(
			`national: ${whole(Number(counts.programmes))} programmes, ${whole(Number(counts.communes))} communes, ` +
				`${whole(Number(counts.cases))} cases, ${whole(Number(counts.persons))} persons, ${whole(Number(counts.entries))} timeline entries; ` +
				`the measured programme has ${whole(Number(counts.first_cases))} cases`
		);
		await ensureBenchAdvisor(db, first.programmeId);
		const caseIds = rowsOf<{ id: string }>(
			await db.execute(
				sql`select id from cases where programme_id = ${first.programmeId} order by md5(id) limit ${ROUNDS + 1}`
			)
		).map((r) => r.id);
		// One household per programme, in turn: matching runs on every programme's territory.
		const households = rowsOf<{ id: string; programme_id: string }>(
			await db.execute(
				sql`select distinct on (programme_id) id, programme_id from cases order by programme_id, md5(id)`
			)
		);
		const advisorOf = new Map(advisors.map((a) => [a.programmeId, a]));

		rows.push(await benchNationalSearch(db));
		rows.push(
			pageRow(
				'national: case list (one programme, an advisor)',
				await timeRounds(ROUNDS, () => listCases({ actor: first }, { db }))
			)
		);
		rows.push(
			pageRow(
				'national: case page (case, household, timeline)',
				await timeRounds(ROUNDS, async (round) => {
					const caseId = caseIds[(round + caseIds.length) % caseIds.length];
					await getCase({ actor: first, caseId }, { db });
					await getTimeline({ actor: first, caseId }, { db });
				})
			)
		);
		rows.push(
			pageRow(
				'national: matching (a household, its territory’s communes)',
				await timeRounds(ROUNDS, async (round) => {
					const household = households[(round + households.length) % households.length];
					const result = await getSuggestions(
						{ actor: advisorOf.get(household.programme_id)!, caseId: household.id },
						{ db }
					);
					if (result.status !== 'ok') throw new Error(`matching: ${result.status} for ${household.id}`);
				})
			)
		);
		const admin = admins.find((a) => a.programmeId === first.programmeId)!;
		const viewer = {
			programmeId: first.programmeId,
			kind: 'staff' as const,
			userId: admin.userId,
			isAdmin: true
		};
		rows.push(
			pageRow(
				'national: observatory (one programme, every section)',
				await timeRounds(HEAVY_ROUNDS, () => computeObservatorySections({ viewer, input: {} }, { db })),
				OBSERVATORY_TARGET,
				3000
			)
		);
		rows.push(
			pageRow(
				`national: comparison (${whole(Number(counts.programmes))} programmes opted in)`,
				await timeRounds(HEAVY_ROUNDS, () => getProgrammeComparison({ actor: admin, input: {} }, { db })),
				OBSERVATORY_TARGET,
				3000
			)
		);
	} finally {
		await handle.close();
	}
	rows.push(
		await measureTwoProcesses({
			databaseUrl,
			email: BENCH_ADVISOR,
			row: 'national: throughput, two app processes vs one (ratio)'
		})
	);
	return rows;
}
