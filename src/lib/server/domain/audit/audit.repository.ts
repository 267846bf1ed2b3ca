import { and, desc, eq } from 'drizzle-orm';
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
