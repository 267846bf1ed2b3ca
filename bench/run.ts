/**
 * `npm run bench [territory|accounts|cases|case-import|observatory|portal|load]`: speed figures, each with a ratio against a baseline measured in the
 * same process on the same database kind (never asserted in tests).
 *
 *   territory init (COG, 2 départements)   batched upserts   vs one INSERT per row
 *   commune outline import (Gers file)      batched UPDATEs   vs one UPDATE per commune
 *   sign-in                                 full use case     vs the password hash alone
 */
import { existsSync } from 'node:fs';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import { createAuth } from '#server/auth/auth.ts';
import { parseConfig } from '#server/config.ts';
import { createDb, type DbHandle } from '#server/db/index.ts';
import { communesTable, epcisTable } from '#server/db/schema/index.ts';
import { createUser, signIn } from '#server/domain/account/account.service.ts';
import { createProgramme } from '#server/domain/programme/programme.service.ts';
import { importCommuneGeometry, initTerritory } from '#server/domain/territory/territory.service.ts';
import { loadCogData } from '#server/geo/cog.ts';
import { readJsonFile } from '#server/geo/geojson.ts';
import { eq } from 'drizzle-orm';

const GERS_FILE = '../shared/data/geo/gers/communes-32-gers.geojson';
const DEPARTEMENTS = ['32', '31'];

async function freshDb(): Promise<DbHandle> {
	const handle = await createDb(
		process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL } : { memory: true }
	);
	await handle.migrate();
	return handle;
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

const only = process.argv.slice(2);
const wants = (name: string) => only.length === 0 || only.includes(name);

console.log(
	`soho benchmarks — Node ${process.version}, database ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite (memory)'}`
);
console.log(
	'(ratio = baseline time / measured time; the baseline is the naive or minimal way to do the same work)\n'
);
if (wants('territory')) await benchTerritoryInit();
if (wants('territory')) await benchOutlineImport();
if (wants('accounts')) await benchSignIn();
if (wants('cases')) {
	console.log('');
	const { benchCases } = await import('./cases.ts');
	await benchCases();
}
if (wants('case-import')) {
	console.log('');
	const { benchCaseImport } = await import('./case-import.ts');
	await benchCaseImport();
}
if (wants('observatory')) {
	console.log('');
	const { benchObservatory } = await import('./observatory.ts');
	await benchObservatory();
}
if (wants('load')) {
	console.log('');
	const { benchLoad } = await import('./load.ts');
	await benchLoad();
}
if (wants('portal')) {
	console.log('');
	const { benchPortal } = await import('./portal.ts');
	await benchPortal();
}
