import { and, asc, count, desc, eq, inArray, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { foldForSearch } from '../../../domain/search.ts';
import type { Db } from '../../db/index.ts';
import {
	caseActivitiesTable,
	caseStageChangesTable,
	casesTable,
	caseTargetVillagesTable,
	communesTable,
	personsTable,
	programmesTable,
	tasksTable,
	membershipsTable,
	usersTable,
	villageCommitteeMembersTable,
	villagesTable,
	type Case,
	type CaseActivity,
	type CaseSource,
	type CaseStageChange,
	type Person,
	type Programme
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id (directly or through the case it reads). */

export async function findProgrammePipeline({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<Programme['pipeline']> {
	const [row] = await db
		.select({ pipeline: programmesTable.pipeline })
		.from(programmesTable)
		.where(eq(programmesTable.id, programmeId));
	return row?.pipeline ?? null;
}

export async function findProgrammeName({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<string> {
	const [row] = await db
		.select({ name: programmesTable.name })
		.from(programmesTable)
		.where(eq(programmesTable.id, programmeId));
	return row?.name ?? '';
}

/** Programme staff who may hold cases and tasks (admins and advisors), by name. */
export async function findProgrammeStaff({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ id: string; name: string }[]> {
	return db
		.select({ id: usersTable.id, name: usersTable.name })
		.from(usersTable)
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(
			and(
				eq(membershipsTable.programmeId, programmeId),
				inArray(membershipsTable.role, ['admin', 'advisor']),
				eq(membershipsTable.status, 'active')
			)
		)
		.orderBy(asc(usersTable.name));
}

/** The programme's villages with their commune names, for filters and installation. */
export async function findProgrammeVillages({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ id: string; slug: string; communeCode: string; name: string }[]> {
	return db
		.select({
			id: villagesTable.id,
			slug: villagesTable.slug,
			communeCode: villagesTable.communeCode,
			name: communesTable.name
		})
		.from(villagesTable)
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.where(eq(villagesTable.programmeId, programmeId))
		.orderBy(asc(communesTable.name));
}

export async function findProgrammeDepartements({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<string[]> {
	const [row] = await db
		.select({ departements: programmesTable.departements })
		.from(programmesTable)
		.where(eq(programmesTable.id, programmeId));
	return row?.departements ?? [];
}

/** Villages of the programme named by id or slug (the apply form sends either). */
export async function findVillagesByKeys({
	db,
	programmeId,
	keys
}: {
	db: Db;
	programmeId: string;
	keys: string[];
}): Promise<{ id: string; slug: string; communeCode: string }[]> {
	if (keys.length === 0) return [];
	return db
		.select({ id: villagesTable.id, slug: villagesTable.slug, communeCode: villagesTable.communeCode })
		.from(villagesTable)
		.where(
			and(
				eq(villagesTable.programmeId, programmeId),
				or(inArray(villagesTable.id, keys), inArray(villagesTable.slug, keys))
			)
		);
}

export async function findCaseById({
	db,
	programmeId,
	caseId,
	forUpdate = false
}: {
	db: Db;
	programmeId: string;
	caseId: string;
	forUpdate?: boolean;
}): Promise<Case | null> {
	const query = db
		.select()
		.from(casesTable)
		.where(and(eq(casesTable.programmeId, programmeId), eq(casesTable.id, caseId)));
	const [kase] = forUpdate ? await query.for('update') : await query;
	return kase ?? null;
}

export async function findCaseOfCandidate({
	db,
	programmeId,
	userId
}: {
	db: Db;
	programmeId: string;
	userId: string;
}): Promise<Case | null> {
	const [kase] = await db
		.select()
		.from(casesTable)
		.where(and(eq(casesTable.programmeId, programmeId), eq(casesTable.candidateUserId, userId)))
		.orderBy(desc(casesTable.createdAt))
		.limit(1);
	return kase ?? null;
}

/** The household, candidate first, then partner, children (eldest first), others. */
export async function findCasePersons({ db, caseId }: { db: Db; caseId: string }): Promise<Person[]> {
	return db
		.select()
		.from(personsTable)
		.where(eq(personsTable.caseId, caseId))
		.orderBy(
			sql`case ${personsTable.householdRole} when 'candidate' then 0 when 'partner' then 1 when 'child' then 2 else 3 end`,
			asc(personsTable.birthYear),
			asc(personsTable.createdAt)
		);
}

export type TargetVillage = { id: string; slug: string; communeCode: string };

export async function findCaseTargetVillages({
	db,
	caseId
}: {
	db: Db;
	caseId: string;
}): Promise<TargetVillage[]> {
	return db
		.select({ id: villagesTable.id, slug: villagesTable.slug, communeCode: villagesTable.communeCode })
		.from(caseTargetVillagesTable)
		.innerJoin(villagesTable, eq(villagesTable.id, caseTargetVillagesTable.villageId))
		.where(eq(caseTargetVillagesTable.caseId, caseId))
		.orderBy(asc(villagesTable.slug));
}

/** The villages a committee member sits on, in their programme. */
export async function findCommitteeVillageIds({
	db,
	programmeId,
	userId
}: {
	db: Db;
	programmeId: string;
	userId: string;
}): Promise<string[]> {
	const rows = await db
		.select({ villageId: villageCommitteeMembersTable.villageId })
		.from(villageCommitteeMembersTable)
		.innerJoin(villagesTable, eq(villagesTable.id, villageCommitteeMembersTable.villageId))
		.where(and(eq(villageCommitteeMembersTable.userId, userId), eq(villagesTable.programmeId, programmeId)));
	return rows.map((row) => row.villageId);
}

export type CaseListFilters = {
	stages?: string[];
	advisorId?: string;
	source?: CaseSource;
	villageId?: string;
	q?: string;
};

export type CaseListRow = {
	id: string;
	reference: string;
	stage: string;
	stageChangedAt: Date;
	source: CaseSource;
	advisorId: string | null;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	phone: string | null;
	householdSize: number;
	consents: Case['consents'];
	possibleDuplicateOf: string | null;
	/** The first open task of the case (earliest due date, undated last). */
	nextTaskTitle: string | null;
	nextTaskDueOn: string | null;
	createdAt: Date;
	updatedAt: Date;
};

/** Order of the list: last change, newest (default) or oldest first. */
export type CaseListSort = 'recent' | 'oldest';

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

/**
 * Cases of a programme with filters. `committeeVillageIds` restricts to cases targeting
 * those villages whose household consented to share with committees; the name search
 * then ignores emails, which committee members may not see.
 */
export async function findCases({
	db,
	programmeId,
	filters,
	committeeVillageIds,
	limit,
	offset,
	sort = 'recent'
}: {
	db: Db;
	programmeId: string;
	filters: CaseListFilters;
	committeeVillageIds?: string[];
	limit: number;
	offset: number;
	sort?: CaseListSort;
}): Promise<{ rows: CaseListRow[]; total: number }> {
	const conditions: SQL[] = [eq(casesTable.programmeId, programmeId)];
	if (filters.stages?.length) conditions.push(inArray(casesTable.stage, filters.stages));
	if (filters.advisorId) conditions.push(eq(casesTable.advisorId, filters.advisorId));
	if (filters.source) conditions.push(eq(casesTable.source, filters.source));
	const targets = (villageIds: string[]) =>
		sql`exists (select 1 from ${caseTargetVillagesTable} where ${caseTargetVillagesTable.caseId} = ${casesTable.id} and ${inArray(caseTargetVillagesTable.villageId, villageIds)})`;
	if (filters.villageId) conditions.push(targets([filters.villageId]));
	if (committeeVillageIds) {
		if (committeeVillageIds.length === 0) return { rows: [], total: 0 };
		conditions.push(targets(committeeVillageIds));
		conditions.push(sql`(${casesTable.consents} ->> 'shareWithCommittees')::boolean is true`);
	}
	if (filters.q) {
		// The matching cases are the union of three trigram-index lookups (names on
		// persons.search_name, folded like foldForSearch; emails, stored lower-cased;
		// references, upper-case ASCII, hence ilike), joined to the cases once. No OR between
		// them: with `reference like … or id in (…)` the planner used no index on cases and
		// read the whole programme, for the page and again for the count.
		const like = likePattern(foldForSearch(filters.q.trim()));
		const matches = [
			sql`select p.case_id from ${personsTable} p where p.programme_id = ${programmeId} and p.search_name like ${like}`,
			// Committee members may not see emails: they do not search them either.
			...(committeeVillageIds
				? []
				: [
						sql`select p.case_id from ${personsTable} p where p.programme_id = ${programmeId} and p.email like ${like}`
					]),
			sql`select c.id from ${casesTable} c where c.programme_id = ${programmeId} and c.reference ilike ${like}`
		];
		conditions.push(sql`${casesTable.id} in (${sql.join(matches, sql` union all `)})`);
	}
	const where = and(...conditions);
	const isSearch = Boolean(filters.q);
	// The page is chosen on narrow rows (id, last change, and for a search the number of
	// matches, `count(*) over ()` computed before the limit), then only its cases are read
	// in full: sorting or counting thousands of matches never carries their wide rows.
	// Without a search, the page walks the updated-at index and a separate count reads the
	// programme's cases once; a search reads only its matches, once.
	const page = db
		.select({
			id: casesTable.id,
			updatedAt: casesTable.updatedAt,
			total: (isSearch ? sql<number>`count(*) over ()` : sql<number>`0`).as('total')
		})
		.from(casesTable)
		.where(where)
		.orderBy(
			...(sort === 'oldest'
				? [asc(casesTable.updatedAt), asc(casesTable.id)]
				: [desc(casesTable.updatedAt), desc(casesTable.id)])
		)
		.limit(limit)
		.offset(offset)
		.as('page');
	const candidateField = (column: 'first_name' | 'last_name' | 'email' | 'phone') =>
		sql<
			string | null
		>`(select p.${sql.raw(column)} from ${personsTable} p where p.case_id = ${casesTable.id} and p.household_role = 'candidate' limit 1)`;
	const nextTaskField = (column: 'title' | 'due_on') =>
		sql<
			string | null
		>`(select t.${sql.raw(column)}::text from ${tasksTable} t where t.case_id = ${casesTable.id} and t.done_at is null order by t.due_on asc nulls last, t.created_at asc limit 1)`;
	const query = db
		.select({
			id: casesTable.id,
			reference: casesTable.reference,
			stage: casesTable.stage,
			stageChangedAt: casesTable.stageChangedAt,
			source: casesTable.source,
			advisorId: casesTable.advisorId,
			firstName: candidateField('first_name'),
			lastName: candidateField('last_name'),
			email: candidateField('email'),
			phone: candidateField('phone'),
			householdSize:
				sql<number>`(select count(*) from ${personsTable} p where p.case_id = ${casesTable.id})`.mapWith(
					Number
				),
			consents: casesTable.consents,
			possibleDuplicateOf: casesTable.possibleDuplicateOf,
			nextTaskTitle: nextTaskField('title'),
			nextTaskDueOn: nextTaskField('due_on'),
			createdAt: casesTable.createdAt,
			updatedAt: casesTable.updatedAt,
			total: sql<number>`${page.total}`.mapWith(Number)
		})
		.from(page)
		.innerJoin(casesTable, eq(casesTable.id, page.id))
		.orderBy(
			...(sort === 'oldest' ? [asc(page.updatedAt), asc(page.id)] : [desc(page.updatedAt), desc(page.id)])
		);
	const countQuery = db.select({ n: count() }).from(casesTable).where(where);
	const found = await query;
	const rows = found.map(({ total: _total, ...row }) => row);
	// A page past the last match holds no row to carry the count.
	if (isSearch && (found.length > 0 || offset === 0)) return { rows, total: found[0]?.total ?? 0 };
	const [{ n }] = await countQuery;
	return { rows, total: Number(n) };
}

export async function updateCase({
	db,
	caseId,
	values
}: {
	db: Db;
	caseId: string;
	values: Partial<typeof casesTable.$inferInsert>;
}): Promise<Case> {
	const [updated] = await db.update(casesTable).set(values).where(eq(casesTable.id, caseId)).returning();
	return updated;
}

export async function insertPersons({
	db,
	persons
}: {
	db: Db;
	persons: (typeof personsTable.$inferInsert)[];
}): Promise<Person[]> {
	if (persons.length === 0) return [];
	return db.insert(personsTable).values(persons).returning();
}

export async function insertTargetVillages({
	db,
	caseId,
	villageIds
}: {
	db: Db;
	caseId: string;
	villageIds: string[];
}): Promise<void> {
	if (villageIds.length === 0) return;
	await db
		.insert(caseTargetVillagesTable)
		.values(villageIds.map((villageId) => ({ caseId, villageId })))
		.onConflictDoNothing();
}

export async function insertStageChange({
	db,
	values
}: {
	db: Db;
	values: typeof caseStageChangesTable.$inferInsert;
}): Promise<CaseStageChange> {
	const [created] = await db.insert(caseStageChangesTable).values(values).returning();
	return created;
}

export async function insertActivity({
	db,
	values
}: {
	db: Db;
	values: typeof caseActivitiesTable.$inferInsert;
}): Promise<CaseActivity> {
	const [created] = await db.insert(caseActivitiesTable).values(values).returning();
	return created;
}

/** The timeline in chronological order; `committeeOnly` keeps the entries shared with committees. */
export async function findTimeline({
	db,
	caseId,
	committeeOnly = false
}: {
	db: Db;
	caseId: string;
	committeeOnly?: boolean;
}): Promise<CaseActivity[]> {
	return db
		.select()
		.from(caseActivitiesTable)
		.where(
			and(
				eq(caseActivitiesTable.caseId, caseId),
				committeeOnly ? eq(caseActivitiesTable.visibility, 'committee') : undefined
			)
		)
		.orderBy(asc(caseActivitiesTable.occurredAt), asc(caseActivitiesTable.createdAt));
}

export async function findStageChanges({
	db,
	caseId
}: {
	db: Db;
	caseId: string;
}): Promise<CaseStageChange[]> {
	return db
		.select()
		.from(caseStageChangesTable)
		.where(eq(caseStageChangesTable.caseId, caseId))
		.orderBy(asc(caseStageChangesTable.changedAt));
}

/**
 * The most recent case of the programme with one of these emails or phones, or a person
 * with the same first and last name (accents and case ignored) and birth year; never
 * `excludeCaseId` itself.
 */
export async function findDuplicateCaseId({
	db,
	programmeId,
	emails,
	phones,
	names = [],
	excludeCaseId
}: {
	db: Db;
	programmeId: string;
	emails: string[];
	phones: string[];
	names?: { firstName: string; lastName: string; birthYear: number }[];
	excludeCaseId?: string;
}): Promise<string | null> {
	const matches: SQL[] = [];
	if (emails.length) matches.push(inArray(personsTable.email, emails));
	if (phones.length) matches.push(inArray(personsTable.phone, phones));
	const normalised = (column: SQLWrapper) =>
		sql`trim(regexp_replace(unaccent(lower(coalesce(${column}, ''))), '[^a-z0-9]+', ' ', 'g'))`;
	for (const name of names) {
		matches.push(
			and(
				eq(personsTable.birthYear, name.birthYear),
				sql`${normalised(personsTable.firstName)} = ${normalised(sql`${name.firstName}::text`)}`,
				sql`${normalised(personsTable.lastName)} = ${normalised(sql`${name.lastName}::text`)}`
			) as SQL
		);
	}
	if (matches.length === 0) return null;
	const [row] = await db
		.select({ caseId: personsTable.caseId })
		.from(personsTable)
		.where(
			and(
				eq(personsTable.programmeId, programmeId),
				excludeCaseId ? sql`${personsTable.caseId} <> ${excludeCaseId}` : undefined,
				or(...matches)
			)
		)
		.orderBy(desc(personsTable.createdAt))
		.limit(1);
	return row?.caseId ?? null;
}

/** Names of users of a programme by id (timeline authors, assignees). */
export async function findUserNames({
	db,
	programmeId,
	userIds
}: {
	db: Db;
	programmeId: string;
	userIds: string[];
}): Promise<Record<string, string>> {
	const ids = [...new Set(userIds)];
	if (ids.length === 0) return {};
	const rows = await db
		.select({ id: usersTable.id, name: usersTable.name })
		.from(usersTable)
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(and(eq(membershipsTable.programmeId, programmeId), inArray(usersTable.id, ids)));
	return Object.fromEntries(rows.map((row) => [row.id, row.name]));
}
