import { and, desc, eq, getTableColumns, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { insertRowsAsJson } from '../../db/bulk.ts';
import { generateId } from '../../db/columns.ts';
import type { Db } from '../../db/index.ts';
import {
	caseActivitiesTable,
	caseImportsTable,
	caseStageChangesTable,
	casesTable,
	personsTable,
	type CaseImport
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id. Case rows are written in batches (imports hold thousands). */

/**
 * A list of keys as ONE parameter (a JSON array read back as a set), so a lookup over an
 * import's 10,000 keys is one query, and one scan where no index serves it.
 */
const keySet = (keys: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`;

/** An import without its rows: what writes return (the file's rows can weigh megabytes; the caller holds them). */
export type CaseImportRecord = Omit<CaseImport, 'rows'>;

const { rows: _rows, ...recordColumns } = getTableColumns(caseImportsTable);

export async function insertCaseImport({
	db,
	values
}: {
	db: Db;
	values: typeof caseImportsTable.$inferInsert;
}): Promise<CaseImportRecord> {
	const [created] = await db.insert(caseImportsTable).values(values).returning(recordColumns);
	return created;
}

export async function findCaseImportById({
	db,
	programmeId,
	importId,
	forUpdate = false
}: {
	db: Db;
	programmeId: string;
	importId: string;
	forUpdate?: boolean;
}): Promise<CaseImport | null> {
	const query = db
		.select()
		.from(caseImportsTable)
		.where(and(eq(caseImportsTable.programmeId, programmeId), eq(caseImportsTable.id, importId)));
	const [found] = forUpdate ? await query.for('update') : await query;
	return found ?? null;
}

export async function updateCaseImport({
	db,
	programmeId,
	importId,
	values
}: {
	db: Db;
	programmeId: string;
	importId: string;
	values: Partial<typeof caseImportsTable.$inferInsert>;
}): Promise<CaseImportRecord> {
	const [updated] = await db
		.update(caseImportsTable)
		.set(values)
		.where(and(eq(caseImportsTable.programmeId, programmeId), eq(caseImportsTable.id, importId)))
		.returning(recordColumns);
	return updated;
}

export type CaseImportListItem = Pick<
	CaseImport,
	'id' | 'fileName' | 'format' | 'status' | 'rowCount' | 'summary' | 'createdAt' | 'importedAt'
>;

export async function findRecentCaseImports({
	db,
	programmeId,
	limit
}: {
	db: Db;
	programmeId: string;
	limit: number;
}): Promise<CaseImportListItem[]> {
	return db
		.select({
			id: caseImportsTable.id,
			fileName: caseImportsTable.fileName,
			format: caseImportsTable.format,
			status: caseImportsTable.status,
			rowCount: caseImportsTable.rowCount,
			summary: caseImportsTable.summary,
			createdAt: caseImportsTable.createdAt,
			importedAt: caseImportsTable.importedAt
		})
		.from(caseImportsTable)
		.where(eq(caseImportsTable.programmeId, programmeId))
		.orderBy(desc(caseImportsTable.createdAt))
		.limit(limit);
}

/** Which of these external ids a case of the programme already carries. */
export async function findImportedExternalIds({
	db,
	programmeId,
	externalIds
}: {
	db: Db;
	programmeId: string;
	externalIds: string[];
}): Promise<string[]> {
	if (externalIds.length === 0) return [];
	const rows = await db
		.select({ externalId: casesTable.externalId })
		.from(casesTable)
		.where(
			and(eq(casesTable.programmeId, programmeId), sql`${casesTable.externalId} in ${keySet(externalIds)}`)
		);
	return rows.flatMap((row) => (row.externalId ? [row.externalId] : []));
}

/**
 * A person's name as duplicate detection compares it: lower case, no accents, words
 * separated by one space (the same expression as case.repository's findDuplicateCaseId).
 */
const normalisedName = (column: AnyColumn) =>
	sql`trim(regexp_replace(unaccent(lower(coalesce(${column}, ''))), '[^a-z0-9]+', ' ', 'g'))`;

export type DuplicateMatch = {
	caseId: string;
	email: string | null;
	phone: string | null;
	/** "first|last|birthYear" normalised, null without a birth year. */
	nameKey: string | null;
};

/**
 * Persons of the programme sharing an email, a phone, or a name with birth year
 * (`first|last|year`, normalised as nameKeyOf) with the rows of an import, most recent
 * first; one query per kind of key rather than one per row.
 */
export async function findDuplicateMatches({
	db,
	programmeId,
	emails,
	phones,
	nameKeys
}: {
	db: Db;
	programmeId: string;
	emails: string[];
	phones: string[];
	nameKeys: string[];
}): Promise<DuplicateMatch[]> {
	const nameKey = sql<
		string | null
	>`case when ${personsTable.birthYear} is null then null else ${normalisedName(personsTable.firstName)} || '|' || ${normalisedName(personsTable.lastName)} || '|' || ${personsTable.birthYear} end`;
	const select = () =>
		db
			.select({ caseId: personsTable.caseId, email: personsTable.email, phone: personsTable.phone, nameKey })
			.from(personsTable);
	const order = desc(personsTable.createdAt);
	const lookup = (keys: string[], condition: SQL) =>
		keys.length === 0
			? Promise.resolve([])
			: select()
					.where(and(eq(personsTable.programmeId, programmeId), condition))
					.orderBy(order);
	// One query per kind of key: emails and phones through their indexes; names (an
	// expression no index holds, unaccent() not being immutable) in ONE scan of the
	// programme's persons with a birth year, matched against the set of keys.
	const [byEmail, byPhone, byName] = [
		await lookup(emails, sql`${personsTable.email} in ${keySet(emails)}`),
		await lookup(phones, sql`${personsTable.phone} in ${keySet(phones)}`),
		await lookup(nameKeys, sql`${personsTable.birthYear} is not null and ${nameKey} in ${keySet(nameKeys)}`)
	];
	return [...byEmail, ...byPhone, ...byName];
}

const withId = <T extends { id?: string }>(prefix: string, rows: T[]) =>
	rows.map((row) => ({ ...row, id: row.id ?? generateId(prefix) }));

export async function insertCases({
	db,
	cases
}: {
	db: Db;
	cases: (typeof casesTable.$inferInsert)[];
}): Promise<void> {
	await insertRowsAsJson(db, casesTable, withId('cas', cases));
}

export async function insertPersons({
	db,
	persons
}: {
	db: Db;
	persons: (typeof personsTable.$inferInsert)[];
}): Promise<void> {
	await insertRowsAsJson(db, personsTable, withId('per', persons));
}

export async function insertStageChanges({
	db,
	changes
}: {
	db: Db;
	changes: (typeof caseStageChangesTable.$inferInsert)[];
}): Promise<void> {
	await insertRowsAsJson(db, caseStageChangesTable, withId('stg', changes));
}

export async function insertActivities({
	db,
	activities
}: {
	db: Db;
	activities: (typeof caseActivitiesTable.$inferInsert)[];
}): Promise<void> {
	await insertRowsAsJson(db, caseActivitiesTable, withId('act', activities));
}
