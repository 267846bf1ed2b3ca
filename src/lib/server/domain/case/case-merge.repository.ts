import { and, count, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	caseActivitiesTable,
	caseMergesTable,
	caseStageChangesTable,
	casesTable,
	caseTargetVillagesTable,
	personsTable,
	tasksTable,
	type CaseMerge
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id (directly or through the case it reads). */

export type DuplicatePair = {
	caseId: string;
	reference: string;
	duplicateOfId: string;
	duplicateOfReference: string;
	firstName: string | null;
	lastName: string | null;
	otherFirstName: string | null;
	otherLastName: string | null;
	createdAt: Date;
};

/** Cases flagged as possible duplicates, newest first, with the candidate names of both. */
export async function findDuplicatePairs({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<DuplicatePair[]> {
	const candidate = (caseColumn: SQL, column: 'first_name' | 'last_name') =>
		sql<
			string | null
		>`(select p.${sql.raw(column)} from ${personsTable} p where p.case_id = ${caseColumn} and p.household_role = 'candidate' limit 1)`;
	const result = await db.execute<{
		case_id: string;
		reference: string;
		duplicate_of_id: string;
		duplicate_of_reference: string;
		first_name: string | null;
		last_name: string | null;
		other_first_name: string | null;
		other_last_name: string | null;
		created_at: string | Date;
	}>(sql`
		select c.id as case_id, c.reference, o.id as duplicate_of_id, o.reference as duplicate_of_reference,
			${candidate(sql`c.id`, 'first_name')} as first_name, ${candidate(sql`c.id`, 'last_name')} as last_name,
			${candidate(sql`o.id`, 'first_name')} as other_first_name, ${candidate(sql`o.id`, 'last_name')} as other_last_name,
			c.created_at
		from ${casesTable} c
		join ${casesTable} o on o.id = c.possible_duplicate_of and o.programme_id = c.programme_id
		where c.programme_id = ${programmeId}
		order by c.created_at desc, c.id desc`);
	return (result as unknown as { rows: Record<string, unknown>[] }).rows.map((row) => ({
		caseId: row.case_id as string,
		reference: row.reference as string,
		duplicateOfId: row.duplicate_of_id as string,
		duplicateOfReference: row.duplicate_of_reference as string,
		firstName: row.first_name as string | null,
		lastName: row.last_name as string | null,
		otherFirstName: row.other_first_name as string | null,
		otherLastName: row.other_last_name as string | null,
		createdAt: new Date(row.created_at as string)
	}));
}

/** Where an absorbed case (by id or reference) went. */
export async function findCaseMerge({
	db,
	programmeId,
	key
}: {
	db: Db;
	programmeId: string;
	key: string;
}): Promise<CaseMerge | null> {
	const [row] = await db
		.select()
		.from(caseMergesTable)
		.where(
			and(
				eq(caseMergesTable.programmeId, programmeId),
				or(eq(caseMergesTable.absorbedCaseId, key), eq(caseMergesTable.absorbedReference, key))
			)
		)
		.limit(1);
	return row ?? null;
}

export async function insertCaseMerge({
	db,
	values
}: {
	db: Db;
	values: typeof caseMergesTable.$inferInsert;
}): Promise<CaseMerge> {
	const [row] = await db.insert(caseMergesTable).values(values).returning();
	return row;
}

/**
 * Every column of every table that references cases.id (or persons.id), found in the
 * catalogue so that tables added later come along in a merge.
 */
export async function findCaseReferences({
	db,
	table
}: {
	db: Db;
	table: 'cases' | 'persons';
}): Promise<{ table: string; column: string }[]> {
	const result = await db.execute<{ table_name: string; column_name: string }>(sql`
		select cl.relname as table_name, a.attname as column_name
		from pg_constraint c
		join pg_class cl on cl.oid = c.conrelid
		join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
		where c.contype = 'f' and c.confrelid = ${table}::regclass
		order by cl.relname, a.attname`);
	return (result as unknown as { rows: { table_name: string; column_name: string }[] }).rows.map((row) => ({
		table: row.table_name,
		column: row.column_name
	}));
}

/** Points one referencing column from the absorbed case to the kept case; returns how many rows moved. */
export async function repointCaseReference({
	db,
	table,
	column,
	fromCaseId,
	toCaseId
}: {
	db: Db;
	table: string;
	column: string;
	fromCaseId: string;
	toCaseId: string;
}): Promise<number> {
	const result = await db.execute(
		sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = ${toCaseId} where ${sql.identifier(column)} = ${fromCaseId}`
	);
	return Number(
		(result as unknown as { affectedRows?: number; rowCount?: number }).affectedRows ??
			(result as unknown as { rowCount?: number }).rowCount ??
			0
	);
}

/** Moves the absorbed case's target villages to the kept case (without doubles). */
export async function moveTargetVillages({
	db,
	fromCaseId,
	toCaseId
}: {
	db: Db;
	fromCaseId: string;
	toCaseId: string;
}): Promise<void> {
	await db.execute(sql`
		insert into ${caseTargetVillagesTable} (case_id, village_id, created_at)
		select ${toCaseId}, village_id, created_at from ${caseTargetVillagesTable} where case_id = ${fromCaseId}
		on conflict do nothing`);
	await db.delete(caseTargetVillagesTable).where(eq(caseTargetVillagesTable.caseId, fromCaseId));
}

export async function deleteCase({ db, caseId }: { db: Db; caseId: string }): Promise<void> {
	await db.delete(casesTable).where(eq(casesTable.id, caseId));
}

/** Counts of what hangs off a case, for the merge page. */
export async function countCaseHistory({
	db,
	caseId
}: {
	db: Db;
	caseId: string;
}): Promise<{ activities: number; stageChanges: number; tasks: number }> {
	const n = async (query: Promise<{ n: number }[]>) => Number((await query)[0]?.n ?? 0);
	return {
		activities: await n(
			db.select({ n: count() }).from(caseActivitiesTable).where(eq(caseActivitiesTable.caseId, caseId))
		),
		stageChanges: await n(
			db.select({ n: count() }).from(caseStageChangesTable).where(eq(caseStageChangesTable.caseId, caseId))
		),
		tasks: await n(db.select({ n: count() }).from(tasksTable).where(eq(tasksTable.caseId, caseId)))
	};
}
