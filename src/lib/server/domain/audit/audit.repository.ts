import { and, desc, eq } from 'drizzle-orm';
import { insertRowsAsJson } from '../../db/bulk.ts';
import { generateId } from '../../db/columns.ts';
import type { Db } from '../../db/index.ts';
import { auditEntriesTable, type AuditEntry } from '../../db/schema/index.ts';

/** Every query here filters by programme_id. */

export async function insertAuditEntries({
	db,
	entries
}: {
	db: Db;
	entries: (typeof auditEntriesTable.$inferInsert)[];
}): Promise<AuditEntry[]> {
	if (entries.length === 0) return [];
	return db.insert(auditEntriesTable).values(entries).returning();
}

/**
 * Writes many entries without reading them back (imports write one per created record):
 * one JSON batch per 2,000 entries instead of one bind parameter per value.
 */
export async function insertAuditEntriesInBulk({
	db,
	entries
}: {
	db: Db;
	entries: (typeof auditEntriesTable.$inferInsert)[];
}): Promise<void> {
	await insertRowsAsJson(
		db,
		auditEntriesTable,
		entries.map((entry) => ({ ...entry, id: entry.id ?? generateId('aud') }))
	);
}

/** The history of one case (its persons included), newest first. */
export async function findCaseAuditEntries({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
}): Promise<AuditEntry[]> {
	return db
		.select()
		.from(auditEntriesTable)
		.where(and(eq(auditEntriesTable.programmeId, programmeId), eq(auditEntriesTable.caseId, caseId)))
		.orderBy(desc(auditEntriesTable.at), desc(auditEntriesTable.id));
}

/** A merge moves the absorbed case's history to the kept case (and its person entries along). */
export async function repointCaseAudit({
	db,
	programmeId,
	fromCaseId,
	toCaseId
}: {
	db: Db;
	programmeId: string;
	fromCaseId: string;
	toCaseId: string;
}): Promise<number> {
	const rows = await db
		.update(auditEntriesTable)
		.set({ caseId: toCaseId })
		.where(and(eq(auditEntriesTable.programmeId, programmeId), eq(auditEntriesTable.caseId, fromCaseId)))
		.returning({ id: auditEntriesTable.id });
	return rows.length;
}
