/**
 * Importing past programme records: a 10,000-row CSV (synthetic people, five stages, dates,
 * SIRETs) through `importCaseFile` (parse, map, check every row against the programme, find
 * duplicates, write cases, households, stage history and timeline notes in batches), on
 * PGlite and on PostgreSQL. Printed as rows per second, with two baselines measured in the
 * same process on the same database kind:
 *   - the dry run (parse + checks, nothing written): what writing costs on top;
 *   - the same rows written one INSERT per record (case, each person, each stage change,
 *     the note): what batching saves.
 *
 *   npm run bench -- case-import
 *   BENCH_IMPORT_ROWS=2000 npm run bench -- case-import
 *   BENCH_DATABASE_URL=postgres://… npm run bench -- case-import   (a scratch database is created and dropped)
 */
import { generateId } from '#server/db/columns.ts';
import type { DbHandle } from '#server/db/index.ts';
import {
	caseActivitiesTable,
	caseStageChangesTable,
	casesTable,
	communesTable,
	personsTable
} from '#server/db/schema/index.ts';
import { sampleCaseRows, toCsv } from '#server/domain/case-import/case-import.sample.ts';
import { stageHistory, validateRows } from '#server/domain/case-import/case-import.rules.ts';
import { importCaseFile, type SystemActor } from '#server/domain/case-import/case-import.service.ts';
import { DEFAULT_PIPELINE } from '#server/domain/case/case.rules.ts';
import { createProgramme } from '#server/domain/programme/programme.service.ts';
import { readTable } from '#server/files/tabular.ts';
import { benchDatabases } from './databases.ts';
import { verdictOf, whole, type ResultRow } from './summary.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const COMMUNES = ['32013', '32435', '32412', '32107', '32160'];

async function prepare(handle: DbHandle, slug: string): Promise<SystemActor> {
	const { programme } = await createProgramme(
		{ input: { slug, name: 'Bench', departements: ['32'] } },
		{ db: handle.db }
	);
	await handle.db
		.insert(communesTable)
		.values(COMMUNES.map((code) => ({ code, name: code, departementCode: '32' })))
		.onConflictDoNothing();
	return { system: true, programmeId: programme.id, locale: 'fr' };
}

/**
 * Wall time, and the CPU time of this process (user + system): on PGlite the database runs
 * in this process, so on a machine shared with other work the CPU time is the steadier figure
 * (on PostgreSQL it counts only the Node side).
 */
async function time<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
	const started = performance.now();
	const cpu = process.cpuUsage();
	const result = await work();
	const used = process.cpuUsage(cpu);
	return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
}

/** The naive way: the same rows, parsed and checked the same, then one INSERT per record. */
async function rowByRow(handle: DbHandle, actor: SystemActor, bytes: Uint8Array): Promise<number> {
	const { table } = await readTable('bench.csv', bytes);
	const rows = validateRows(table.rows, table.headers, table.headers, {
		pipeline: DEFAULT_PIPELINE,
		knownCommunes: new Set(COMMUNES),
		importedExternalIds: new Set(),
		year: new Date().getUTCFullYear()
	});
	let written = 0;
	await handle.db.transaction(async (tx) => {
		for (const { record } of rows) {
			if (!record) continue;
			const caseId = generateId('cas');
			await tx.insert(casesTable).values({
				id: caseId,
				programmeId: actor.programmeId,
				reference: `NAIVE-${written}`,
				externalId: record.externalId,
				source: record.source,
				stage: record.stage,
				installedCommuneCode: record.installedCommune,
				installedOn: record.installedDate,
				leftOn: record.leftDate
			});
			await tx.insert(personsTable).values({
				programmeId: actor.programmeId,
				caseId,
				householdRole: 'candidate',
				firstName: record.firstName,
				lastName: record.lastName,
				email: record.email,
				phone: record.phone
			});
			for (let i = 1; i < record.householdSize; i++) {
				await tx
					.insert(personsTable)
					.values({ programmeId: actor.programmeId, caseId, householdRole: 'other' });
			}
			for (const step of stageHistory(record, DEFAULT_PIPELINE)) {
				await tx.insert(caseStageChangesTable).values({
					programmeId: actor.programmeId,
					caseId,
					fromStage: step.fromStage,
					toStage: step.toStage,
					changedAt: step.on ? new Date(`${step.on}T12:00:00Z`) : new Date()
				});
			}
			await tx.insert(caseActivitiesTable).values({
				programmeId: actor.programmeId,
				caseId,
				kind: 'note',
				summary: 'Importé depuis bench.csv'
			});
			written++;
		}
	});
	return written;
}

const IMPORT_TARGET_ROWS_PER_SECOND = 2_000;

export async function benchCaseImport(): Promise<ResultRow[]> {
	const rows: ResultRow[] = [];
	const bytes = new TextEncoder().encode(toCsv(sampleCaseRows(ROWS, COMMUNES)));
	console.log(`case import: ${ROWS} rows, ${(bytes.length / 1024 / 1024).toFixed(1)} MB of CSV`);
	const rate = (ms: number) => (ROWS / (ms / 1000)).toFixed(0).padStart(7);
	for (const kind of benchDatabases('case import')) {
		const { handle, dispose } = await kind.open();
		try {
			const actor = await prepare(handle, 'bench');
			const dry = await time(() =>
				importCaseFile({ actor, input: { fileName: 'bench.csv', bytes, isDryRun: true } }, { db: handle.db })
			);
			const full = await time(() =>
				importCaseFile({ actor, input: { fileName: 'bench.csv', bytes } }, { db: handle.db })
			);
			if (full.result.status !== 'imported')
				throw new Error(`import refused: ${full.result.issues.length} issues`);
			const naiveActor = await prepare(handle, 'naive');
			const naive = await time(() => rowByRow(handle, naiveActor, bytes));
			console.log(
				`${`case import ${kind.name}`.padEnd(24)} ${rate(full.ms)} rows/s (${(full.ms / 1000).toFixed(1)} s, ${full.result.summary?.stageChanges} stage changes)`
			);
			console.log(
				`${''.padEnd(24)} CPU time of this process ${(full.cpuMs / 1000).toFixed(1)} s (dry run ${(dry.cpuMs / 1000).toFixed(1)} s)${kind.name === 'PGlite' ? ` → ${rate(full.cpuMs)} rows per CPU second` : ', Node side only'}`
			);
			console.log(
				`${''.padEnd(24)} dry run (parse + checks) ${rate(dry.ms)} rows/s → writing costs ${(full.ms / dry.ms).toFixed(2)}× the checks`
			);
			console.log(
				`${''.padEnd(24)} one INSERT per record    ${rate(naive.ms)} rows/s → batched import ${(naive.ms / full.ms).toFixed(2)}× ${naive.ms >= full.ms ? 'faster' : 'slower'}`
			);
			const rowsPerSecond = ROWS / (full.ms / 1000);
			rows.push({
				row: `case import, ${whole(ROWS)} rows with stage history`,
				database: kind.name,
				measured: `**${whole(rowsPerSecond)} rows/s** (${(full.ms / 1000).toFixed(1)} s, ${whole(full.result.summary?.stageChanges ?? 0)} stage changes; dry run ${whole(ROWS / (dry.ms / 1000))} rows/s, one INSERT per record ${whole(ROWS / (naive.ms / 1000))} rows/s)`,
				target: `≥ ${whole(IMPORT_TARGET_ROWS_PER_SECOND)} rows/s`,
				verdict: verdictOf(rowsPerSecond >= IMPORT_TARGET_ROWS_PER_SECOND)
			});
		} finally {
			await dispose();
		}
	}
	return rows;
}
