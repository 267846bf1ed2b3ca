/**
 * `npm run bench [section…]`: speed figures, never asserted in tests.
 *
 * With no section, the rows of issue 14's table (sections portal, case-import, cases,
 * observatory), on PGlite and, when BENCH_DATABASE_URL names a PostgreSQL server, on PostgreSQL;
 * each section prints its details, and a summary at the end gives every row with its target and
 * PASS/OVER (bench/RESULTS.md keeps a run). `all` adds the other sections:
 *
 *   territory   territory init (COG, 2 départements): batched upserts vs one INSERT per row;
 *               commune outline import (Gers file): batched UPDATEs vs one UPDATE per commune
 *   accounts    sign-in: full use case vs the password hash alone
 *   load        the built server under a mix of public and back-office requests
 *   processes   one app process vs two behind a round-robin proxy on one PostgreSQL (issue 17)
 *   matching    rank ≈35,000 communes of France for 1,000 needs profiles, in process vs SQL
 *   national    the synthetic nation of issue 17 on PostgreSQL: pages, matching, observatory,
 *               comparison, and one process vs two (BENCH_NATIONAL_SCALE=small for a quick run)
 *
 * Shorter runs: BENCH_SECONDS (portal, seconds per load run), BENCH_OBSERVATORY_CASES,
 * BENCH_CASES, BENCH_IMPORT_ROWS, BENCH_ROUNDS, BENCH_OBSERVATORY_ROUNDS. BENCH_DATABASES=PostgreSQL
 * (or PGlite) keeps one database in the sections that run on both (not the portal).
 */
import { existsSync } from 'node:fs';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import { createAuth } from '#server/auth/auth.ts';
import { parseConfig } from '#server/config.ts';
import type { DbHandle } from '#server/db/index.ts';
import { communesTable, epcisTable } from '#server/db/schema/index.ts';
import { createUser, signIn } from '#server/domain/account/account.service.ts';
import { createProgramme } from '#server/domain/programme/programme.service.ts';
import { importCommuneGeometry, initTerritory } from '#server/domain/territory/territory.service.ts';
import { loadCogData } from '#server/geo/cog.ts';
import { readJsonFile } from '#server/geo/geojson.ts';
import { eq } from 'drizzle-orm';
import { benchDatabases, benchPostgresUrl } from './databases.ts';
import { describeMachine, loadAverage, markdownTable, type ResultRow } from './summary.ts';

const GERS_FILE = '../shared/data/geo/gers/communes-32-gers.geojson';
const DEPARTEMENTS = ['32', '31'];

/** PostgreSQL (a scratch database, dropped on close) when a server is given, else PGlite in memory. */
async function freshDb(): Promise<DbHandle> {
	const kind = benchDatabases('territory and accounts').at(-1)!;
	const { handle, dispose } = await kind.open();
	return { ...handle, close: dispose };
}

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
	const started = performance.now();
	const result = await work();
	return { ms: performance.now() - started, result };
}

function report(name: string, subject: number, baseline: number, unit = 'ms') {
	const ratio = baseline / subject;
	console.log(
		`${name.padEnd(44)} ${subject.toFixed(1).padStart(9)} ${unit}   baseline ${baseline.toFixed(1).padStart(9)} ${unit}   ${ratio.toFixed(2)}× ${ratio >= 1 ? 'faster' : 'slower'}`
	);
}

async function benchTerritoryInit() {
	const db1 = await freshDb();
	const subject = await time(() => initTerritory({ departements: DEPARTEMENTS }, { db: db1.db }));
	await db1.close();

	const db2 = await freshDb();
	const cog = loadCogData();
	const epcis = cog.epcis.filter((e) => e.membres.some((m) => DEPARTEMENTS.includes(m.code.slice(0, 2))));
	const communes = cog.communes.filter(
		(c) => c.type === 'commune-actuelle' && DEPARTEMENTS.includes(c.departement ?? '')
	);
	const baseline = await time(async () => {
		await db2.db.transaction(async (tx) => {
			for (const e of epcis) {
				await tx
					.insert(epcisTable)
					.values({ code: e.code, name: e.nom, kind: e.type, population: e.populationMunicipale ?? null })
					.onConflictDoNothing();
			}
			const epciCodes = new Set(epcis.map((e) => e.code));
			const epciOf = new Map(epcis.flatMap((e) => e.membres.map((m) => [m.code, e.code] as const)));
			for (const c of communes) {
				const epci = epciOf.get(c.code);
				await tx
					.insert(communesTable)
					.values({
						code: c.code,
						name: c.nom,
						departementCode: c.departement ?? '',
						regionCode: c.region ?? null,
						arrondissementCode: c.arrondissement ?? null,
						epciCode: epci && epciCodes.has(epci) ? epci : null,
						population: c.population ?? null,
						postalCodes: c.codesPostaux ?? [],
						formerCodes: c.anciensCodes ?? []
					})
					.onConflictDoNothing();
			}
		});
	});
	await db2.close();
	report(`territory init ${DEPARTEMENTS.join('+')} (${communes.length} communes)`, subject.ms, baseline.ms);
}

async function benchOutlineImport() {
	if (!existsSync(GERS_FILE)) {
		console.log(`commune outline import: skipped (${GERS_FILE} not found)`);
		return;
	}
	const geojson = readJsonFile(GERS_FILE);
	const db1 = await freshDb();
	await initTerritory({ departements: ['32'] }, { db: db1.db });
	const subject = await time(() => importCommuneGeometry({ geojson, source: 'bench' }, { db: db1.db }));
	await db1.close();

	const db2 = await freshDb();
	await initTerritory({ departements: ['32'] }, { db: db2.db });
	const features = (geojson as { features: { properties: { code: string }; geometry: never }[] }).features;
	const baseline = await time(async () => {
		await db2.db.transaction(async (tx) => {
			for (const f of features) {
				await tx
					.update(communesTable)
					.set({ geometry: f.geometry, geometrySource: 'bench' })
					.where(eq(communesTable.code, f.properties.code));
			}
		});
	});
	await db2.close();
	report(`outline import Gers (${features.length} features)`, subject.ms, baseline.ms);
}

async function benchSignIn() {
	const handle = await freshDb();
	const config = parseConfig({
		NODE_ENV: 'test',
		SOHO_AUTH_SECRET: 'b'.repeat(40),
		SOHO_SIGNIN_MAX_ATTEMPTS: '1000'
	});
	const auth = createAuth({ db: handle.db, config, sendResetPasswordMail: async () => {} });
	const { programme } = await createProgramme(
		{ input: { slug: 'bench', name: 'Bench', departements: ['32'] } },
		{ db: handle.db }
	);
	await createUser(
		{
			input: {
				email: 'bench@example.org',
				name: 'Bench',
				role: 'advisor',
				programmeId: programme.id,
				password: 'bench password 1'
			}
		},
		{ db: handle.db }
	);
	const rounds = 20;
	const subject = await time(async () => {
		for (let i = 0; i < rounds; i++) {
			await signIn(
				{ input: { email: 'bench@example.org', password: 'bench password 1' }, ipAddress: '10.0.0.1' },
				{ db: handle.db, auth, config }
			);
		}
	});
	const hash = await hashPassword('bench password 1');
	const baseline = await time(async () => {
		for (let i = 0; i < rounds; i++) await verifyPassword({ hash, password: 'bench password 1' });
	});
	await handle.close();
	report(`sign-in (per attempt, ${rounds} rounds)`, subject.ms / rounds, baseline.ms / rounds);
}

type Section = {
	name: string;
	/** Part of issue 14's table, so run by `npm run bench` without arguments. */
	isInTable: boolean;
	run: () => Promise<ResultRow[]>;
};

const SECTIONS: Section[] = [
	{ name: 'portal', isInTable: true, run: async () => (await import('./portal.ts')).benchPortal() },
	{
		name: 'case-import',
		isInTable: true,
		run: async () => (await import('./case-import.ts')).benchCaseImport()
	},
	{ name: 'cases', isInTable: true, run: async () => (await import('./cases.ts')).benchCases() },
	{
		name: 'observatory',
		isInTable: true,
		run: async () => (await import('./observatory.ts')).benchObservatory()
	},
	{
		name: 'matching',
		isInTable: false,
		run: async () => (await import('./matching.ts')).benchMatching()
	},
	{
		name: 'territory',
		isInTable: false,
		run: async () => {
			await benchTerritoryInit();
			await benchOutlineImport();
			return [];
		}
	},
	{
		name: 'accounts',
		isInTable: false,
		run: async () => {
			await benchSignIn();
			return [];
		}
	},
	{
		name: 'processes',
		isInTable: false,
		run: async () => (await import('./two-processes.ts')).benchTwoProcesses()
	},
	{
		name: 'national',
		isInTable: false,
		run: async () => (await import('./national.ts')).benchNational()
	},
	{
		name: 'load',
		isInTable: false,
		run: async () => {
			await (await import('./load.ts')).benchLoad();
			return [];
		}
	}
];

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => name !== 'all' && !SECTIONS.some((s) => s.name === name));
if (unknown.length > 0) {
	console.error(
		`bench: unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}, or all`
	);
	process.exit(2);
}
const chosen = SECTIONS.filter((s) =>
	asked.length === 0 ? s.isInTable : asked.includes('all') || asked.includes(s.name)
);

const started = performance.now();
console.log(`soho benchmarks: ${chosen.map((s) => s.name).join(', ')}`);
for (const line of await describeMachine(benchPostgresUrl())) console.log(line);
console.log(
	`databases: PGlite${benchPostgresUrl() ? ' and PostgreSQL' : ' only (set BENCH_DATABASE_URL to add PostgreSQL)'}`
);
const loadAtStart = loadAverage();
console.log(`load average at start (1, 5, 15 min): ${loadAtStart}`);
console.log(
	'(ratio = baseline time / measured time; the baseline is the naive or minimal way to do the same work)'
);

const rows: ResultRow[] = [];
for (const section of chosen) {
	console.log('');
	rows.push(...(await section.run()));
}

const minutes = (performance.now() - started) / 60_000;
console.log(`\nSummary: the rows measured in this run (${minutes.toFixed(1)} min)\n`);
console.log(rows.length > 0 ? markdownTable(rows) : '(no row of the table in these sections)');
console.log(`\nload average (1, 5, 15 min): at start ${loadAtStart}; at end ${loadAverage()}`);
