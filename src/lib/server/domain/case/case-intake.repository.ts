import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { casesTable, programmesTable, type Case, type Programme } from '../../db/schema/index.ts';

/** Every query here filters by programme_id (directly or through the case it reads). */

/**
 * Locks the programme row until the end of the transaction: case creation takes it so two
 * applications arriving at once cannot pick the same reference number.
 */
export async function lockProgramme({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<Programme | null> {
	const [programme] = await db
		.select()
		.from(programmesTable)
		.where(eq(programmesTable.id, programmeId))
		.for('update');
	return programme ?? null;
}

/** The highest reference of a year (references are zero-padded, longer ones sort after). */
export async function findLastReferenceOfYear({
	db,
	programmeId,
	prefix,
	year
}: {
	db: Db;
	programmeId: string;
	prefix: string;
	year: number;
}): Promise<string | null> {
	const [row] = await db
		.select({ reference: casesTable.reference })
		.from(casesTable)
		.where(
			and(eq(casesTable.programmeId, programmeId), sql`${casesTable.reference} like ${`${prefix}-${year}-%`}`)
		)
		.orderBy(desc(sql`length(${casesTable.reference})`), desc(casesTable.reference))
		.limit(1);
	return row?.reference ?? null;
}

export async function insertCase({
	db,
	values
}: {
	db: Db;
	values: typeof casesTable.$inferInsert;
}): Promise<Case> {
	const [created] = await db.insert(casesTable).values(values).returning();
	return created;
}
