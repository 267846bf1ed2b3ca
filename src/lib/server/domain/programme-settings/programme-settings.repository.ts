import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	auditEntriesTable,
	caseStageChangesTable,
	casesTable,
	programmeBudgetsTable,
	programmeSettingsTable,
	type AuditEntry,
	type ProgrammeBudgetRow,
	type ProgrammeSettingsRow
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id (the logo lookup serves a public file by its hash). */

export async function findProgrammeSettings({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<ProgrammeSettingsRow | null> {
	const [row] = await db
		.select()
		.from(programmeSettingsTable)
		.where(eq(programmeSettingsTable.programmeId, programmeId));
	return row ?? null;
}

/** Writes some sections of a programme's settings, creating its row on first use. */
export async function upsertProgrammeSettings({
	db,
	programmeId,
	values
}: {
	db: Db;
	programmeId: string;
	values: Partial<Omit<typeof programmeSettingsTable.$inferInsert, 'programmeId'>>;
}): Promise<void> {
	await db
		.insert(programmeSettingsTable)
		.values({ programmeId, ...values })
		.onConflictDoUpdate({ target: programmeSettingsTable.programmeId, set: values });
}

/** True when some programme uses this stored file as its logo. */
export async function isLogoKey({ db, key }: { db: Db; key: string }): Promise<boolean> {
	const [row] = await db
		.select({ programmeId: programmeSettingsTable.programmeId })
		.from(programmeSettingsTable)
		.where(sql`${programmeSettingsTable.identity} ->> 'logoKey' = ${key}`)
		.limit(1);
	return Boolean(row);
}

/** How many cases of the programme are in, or went through, each of these stages. */
export async function countStageUse({
	db,
	programmeId,
	stages
}: {
	db: Db;
	programmeId: string;
	stages: string[];
}): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	if (stages.length === 0) return counts;
	const current = await db
		.select({ stage: casesTable.stage, cases: sql<number>`count(*)::int` })
		.from(casesTable)
		.where(and(eq(casesTable.programmeId, programmeId), inArray(casesTable.stage, stages)))
		.groupBy(casesTable.stage);
	const past = await db
		.select({
			stage: caseStageChangesTable.toStage,
			cases: sql<number>`count(distinct ${caseStageChangesTable.caseId})::int`
		})
		.from(caseStageChangesTable)
		.where(
			and(eq(caseStageChangesTable.programmeId, programmeId), inArray(caseStageChangesTable.toStage, stages))
		)
		.groupBy(caseStageChangesTable.toStage);
	for (const row of [...current, ...past])
		counts.set(row.stage, Math.max(counts.get(row.stage) ?? 0, Number(row.cases)));
	return counts;
}

/** The latest changes to a programme's settings, newest first. */
export async function findSettingsAuditEntries({
	db,
	programmeId,
	limit
}: {
	db: Db;
	programmeId: string;
	limit: number;
}): Promise<AuditEntry[]> {
	return db
		.select()
		.from(auditEntriesTable)
		.where(
			and(
				eq(auditEntriesTable.programmeId, programmeId),
				eq(auditEntriesTable.entityType, 'programme'),
				eq(auditEntriesTable.action, 'settings_update')
			)
		)
		.orderBy(desc(auditEntriesTable.at), desc(auditEntriesTable.id))
		.limit(limit);
}

/** The programme's yearly budgets, oldest year first. */
export async function findProgrammeBudgets({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<ProgrammeBudgetRow[]> {
	return db
		.select()
		.from(programmeBudgetsTable)
		.where(eq(programmeBudgetsTable.programmeId, programmeId))
		.orderBy(programmeBudgetsTable.year);
}

/** Sets the budget of one year (creates or replaces it); returns the row before, if any. */
export async function upsertProgrammeBudget({
	db,
	programmeId,
	year,
	amountCents,
	note,
	updatedBy
}: {
	db: Db;
	programmeId: string;
	year: number;
	amountCents: number;
	note: string | null;
	updatedBy: string | null;
}): Promise<ProgrammeBudgetRow> {
	const [row] = await db
		.insert(programmeBudgetsTable)
		.values({ programmeId, year, amountCents, note, updatedBy })
		.onConflictDoUpdate({
			target: [programmeBudgetsTable.programmeId, programmeBudgetsTable.year],
			set: { amountCents, note, updatedBy, updatedAt: new Date() }
		})
		.returning();
	return row;
}

/** Deletes the budget of one year; returns the deleted row, or null when there was none. */
export async function deleteProgrammeBudget({
	db,
	programmeId,
	year
}: {
	db: Db;
	programmeId: string;
	year: number;
}): Promise<ProgrammeBudgetRow | null> {
	const [row] = await db
		.delete(programmeBudgetsTable)
		.where(and(eq(programmeBudgetsTable.programmeId, programmeId), eq(programmeBudgetsTable.year, year)))
		.returning();
	return row ?? null;
}
