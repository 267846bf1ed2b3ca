import {
	and,
	asc,
	count,
	desc,
	eq,
	gte,
	inArray,
	isNotNull,
	isNull,
	lt,
	lte,
	or,
	sql,
	type SQL,
	type SQLWrapper
} from 'drizzle-orm';
import { foldForSearch } from '../../../domain/search.ts';
import type { Db } from '../../db/index.ts';
import {
	caseActivitiesTable,
	caseMergesTable,
	caseStageChangesTable,
	casesTable,
	caseTargetVillagesTable,
	communesTable,
	offersTable,
	personsTable,
	programmesTable,
	tasksTable,
	membershipsTable,
	usersTable,
	villageCommitteeMembersTable,
	villagesTable,
	type Case,
	type CaseActivity,
	type CaseMerge,
	type CaseSource,
	type CaseStageChange,
	type Person,
	type Programme,
	type Task
} from '../../db/schema/index.ts';

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
		// Names are matched on persons.search_name (folded like foldForSearch, trigram-indexed); the
		// matching households are found once, then each case of the programme is checked against them.
		const like = likePattern(foldForSearch(filters.q.trim()));
		const personMatch = committeeVillageIds
			? sql`p.search_name like ${like}`
			: sql`(p.search_name like ${like} or p.email like ${like})`;
		conditions.push(
			sql`(lower(${casesTable.reference}) like ${like} or ${casesTable.id} in (select p.case_id from ${personsTable} p where p.programme_id = ${programmeId} and ${personMatch}))`
		);
	}
	const where = and(...conditions);
	// Drizzle writes the outer columns of a one-table select unqualified, which the
	// subquery would read as its own: name the outer table explicitly.
	const candidateField = (column: 'first_name' | 'last_name' | 'email' | 'phone') =>
		sql<
			string | null
		>`(select p.${sql.raw(column)} from ${personsTable} p where p.case_id = "cases"."id" and p.household_role = 'candidate' limit 1)`;
	const nextTaskField = (column: 'title' | 'due_on') =>
		sql<
			string | null
		>`(select t.${sql.raw(column)}::text from ${tasksTable} t where t.case_id = "cases"."id" and t.done_at is null order by t.due_on asc nulls last, t.created_at asc limit 1)`;
	const rows = await db
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
				sql<number>`(select count(*) from ${personsTable} p where p.case_id = "cases"."id")`.mapWith(Number),
			consents: casesTable.consents,
			possibleDuplicateOf: casesTable.possibleDuplicateOf,
			nextTaskTitle: nextTaskField('title'),
			nextTaskDueOn: nextTaskField('due_on'),
			createdAt: casesTable.createdAt,
			updatedAt: casesTable.updatedAt
		})
		.from(casesTable)
		.where(where)
		.orderBy(
			...(sort === 'oldest'
				? [asc(casesTable.updatedAt), asc(casesTable.id)]
				: [desc(casesTable.updatedAt), desc(casesTable.id)])
		)
		.limit(limit)
		.offset(offset);
	const [{ n }] = await db.select({ n: count() }).from(casesTable).where(where);
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

export async function insertTask({
	db,
	values
}: {
	db: Db;
	values: typeof tasksTable.$inferInsert;
}): Promise<Task> {
	const [created] = await db.insert(tasksTable).values(values).returning();
	return created;
}

export async function findTaskById({
	db,
	programmeId,
	taskId
}: {
	db: Db;
	programmeId: string;
	taskId: string;
}): Promise<Task | null> {
	const [task] = await db
		.select()
		.from(tasksTable)
		.where(and(eq(tasksTable.programmeId, programmeId), eq(tasksTable.id, taskId)));
	return task ?? null;
}

export async function markTaskDone({ db, taskId, at }: { db: Db; taskId: string; at: Date }): Promise<Task> {
	const [task] = await db
		.update(tasksTable)
		.set({ doneAt: sql`coalesce(${tasksTable.doneAt}, ${at.toISOString()}::timestamptz)` })
		.where(eq(tasksTable.id, taskId))
		.returning();
	return task;
}

export type TaskWithCase = Task & { caseReference: string | null };

/** Open tasks of an assignee due on or before `on` (overdue first), then undated ones. */
export async function findOpenTasksOfAssignee({
	db,
	programmeId,
	assigneeId,
	on
}: {
	db: Db;
	programmeId: string;
	assigneeId: string;
	on: string;
}): Promise<TaskWithCase[]> {
	const rows = await db
		.select({ task: tasksTable, caseReference: casesTable.reference })
		.from(tasksTable)
		.leftJoin(casesTable, eq(casesTable.id, tasksTable.caseId))
		.where(
			and(
				eq(tasksTable.programmeId, programmeId),
				eq(tasksTable.assigneeId, assigneeId),
				isNull(tasksTable.doneAt),
				or(lte(tasksTable.dueOn, on), isNull(tasksTable.dueOn))
			)
		)
		.orderBy(sql`${tasksTable.dueOn} asc nulls last`, asc(tasksTable.createdAt));
	return rows.map((row) => ({ ...row.task, caseReference: row.caseReference }));
}

/** The tasks of a case: open ones first (by due date, undated last), then done ones, newest first. */
export async function findTasksOfCase({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
}): Promise<Task[]> {
	return db
		.select()
		.from(tasksTable)
		.where(and(eq(tasksTable.programmeId, programmeId), eq(tasksTable.caseId, caseId)))
		.orderBy(
			sql`${tasksTable.doneAt} is not null`,
			sql`${tasksTable.dueOn} asc nulls last`,
			desc(tasksTable.doneAt),
			asc(tasksTable.createdAt)
		);
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

/** Cases per stage in a programme. */
export async function countCasesByStage({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<Record<string, number>> {
	const rows = await db
		.select({ stage: casesTable.stage, n: count() })
		.from(casesTable)
		.where(eq(casesTable.programmeId, programmeId))
		.groupBy(casesTable.stage);
	return Object.fromEntries(rows.map((row) => [row.stage, Number(row.n)]));
}

/** Open tasks due before `day` in a programme, for everyone and for one assignee. */
export async function countOverdueTasks({
	db,
	programmeId,
	day,
	assigneeId
}: {
	db: Db;
	programmeId: string;
	day: string;
	assigneeId: string;
}): Promise<{ all: number; mine: number }> {
	const [row] = await db
		.select({
			all: count(),
			mine: sql<number>`count(*) filter (where ${tasksTable.assigneeId} = ${assigneeId})`.mapWith(Number)
		})
		.from(tasksTable)
		.where(
			and(
				eq(tasksTable.programmeId, programmeId),
				isNull(tasksTable.doneAt),
				isNotNull(tasksTable.dueOn),
				lt(tasksTable.dueOn, day)
			)
		);
	return { all: Number(row?.all ?? 0), mine: Number(row?.mine ?? 0) };
}

/** Cases opened since `since`, all sources and from the web form. */
export async function countCasesCreatedSince({
	db,
	programmeId,
	since
}: {
	db: Db;
	programmeId: string;
	since: Date;
}): Promise<{ all: number; webForm: number }> {
	const [row] = await db
		.select({
			all: count(),
			webForm: sql<number>`count(*) filter (where ${casesTable.source} = 'web_form')`.mapWith(Number)
		})
		.from(casesTable)
		.where(and(eq(casesTable.programmeId, programmeId), gte(casesTable.createdAt, since)));
	return { all: Number(row?.all ?? 0), webForm: Number(row?.webForm ?? 0) };
}

/* ------------------------------------------------------------------ editing */

export async function findPersonById({
	db,
	programmeId,
	personId
}: {
	db: Db;
	programmeId: string;
	personId: string;
}): Promise<Person | null> {
	const [person] = await db
		.select()
		.from(personsTable)
		.where(and(eq(personsTable.programmeId, programmeId), eq(personsTable.id, personId)));
	return person ?? null;
}

export async function updatePerson({
	db,
	personId,
	values
}: {
	db: Db;
	personId: string;
	values: Partial<typeof personsTable.$inferInsert>;
}): Promise<Person> {
	const [updated] = await db
		.update(personsTable)
		.set(values)
		.where(eq(personsTable.id, personId))
		.returning();
	return updated;
}

export async function deletePerson({ db, personId }: { db: Db; personId: string }): Promise<void> {
	await db.delete(personsTable).where(eq(personsTable.id, personId));
}

export async function deleteTargetVillages({
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
		.delete(caseTargetVillagesTable)
		.where(
			and(eq(caseTargetVillagesTable.caseId, caseId), inArray(caseTargetVillagesTable.villageId, villageIds))
		);
}

export type CommitteeRecipient = {
	villageId: string;
	villageName: string;
	userId: string;
	name: string;
	email: string;
	locale: 'fr' | 'en';
};

/** The committee members of these villages, partner villages only, with their language. */
export async function findCommitteeRecipients({
	db,
	programmeId,
	villageIds
}: {
	db: Db;
	programmeId: string;
	villageIds: string[];
}): Promise<CommitteeRecipient[]> {
	if (villageIds.length === 0) return [];
	return db
		.select({
			villageId: villagesTable.id,
			villageName: communesTable.name,
			userId: usersTable.id,
			name: usersTable.name,
			email: usersTable.email,
			locale: usersTable.locale
		})
		.from(villageCommitteeMembersTable)
		.innerJoin(villagesTable, eq(villagesTable.id, villageCommitteeMembersTable.villageId))
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.innerJoin(usersTable, eq(usersTable.id, villageCommitteeMembersTable.userId))
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(
			and(
				eq(villagesTable.programmeId, programmeId),
				eq(villagesTable.status, 'partner'),
				inArray(villagesTable.id, villageIds),
				eq(membershipsTable.programmeId, programmeId),
				eq(membershipsTable.status, 'active')
			)
		)
		.orderBy(asc(communesTable.name), asc(usersTable.name));
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

/* ------------------------------------------------------------------ duplicates and merge */

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

/** Offers of the programme by id, with their village (to check what a committee may propose). */
export async function findOfferVillage({
	db,
	programmeId,
	offerId
}: {
	db: Db;
	programmeId: string;
	offerId: string;
}): Promise<{ id: string; title: string; villageId: string | null; communeCode: string } | null> {
	const [row] = await db
		.select({
			id: offersTable.id,
			title: offersTable.titleFr,
			villageId: offersTable.villageId,
			communeCode: offersTable.communeCode
		})
		.from(offersTable)
		.where(and(eq(offersTable.programmeId, programmeId), eq(offersTable.id, offerId)));
	return row ?? null;
}

/**
 * Offers a visit or meeting may propose: those a village owns or that stand in its commune
 * (`villages` null: every offer of the programme).
 */
export async function findProposableOffers({
	db,
	programmeId,
	villages
}: {
	db: Db;
	programmeId: string;
	villages: { id: string; communeCode: string }[] | null;
}): Promise<{ id: string; title: string; villageId: string | null; communeCode: string }[]> {
	if (villages && villages.length === 0) return [];
	return db
		.select({
			id: offersTable.id,
			title: offersTable.titleFr,
			villageId: offersTable.villageId,
			communeCode: offersTable.communeCode
		})
		.from(offersTable)
		.where(
			and(
				eq(offersTable.programmeId, programmeId),
				villages
					? or(
							inArray(
								offersTable.villageId,
								villages.map((village) => village.id)
							),
							inArray(
								offersTable.communeCode,
								villages.map((village) => village.communeCode)
							)
						)
					: undefined
			)
		)
		.orderBy(asc(offersTable.titleFr))
		.limit(200);
}
