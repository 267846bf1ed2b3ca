import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	communesTable,
	discoveryStayHouseholdsTable,
	discoveryStayMeetingsTable,
	discoveryStayOutcomesTable,
	discoveryStaysTable,
	membershipsTable,
	offersTable,
	personsTable,
	usersTable,
	villageCommitteeMembersTable,
	villagesTable,
	workspacesTable,
	type DiscoveryStay,
	type DiscoveryStayMeeting,
	type DiscoveryStayOutcome,
	type Role
} from '../../db/schema/index.ts';

export async function insertStay({
	db,
	values
}: {
	db: Db;
	values: typeof discoveryStaysTable.$inferInsert;
}): Promise<DiscoveryStay> {
	const [created] = await db.insert(discoveryStaysTable).values(values).returning();
	return created;
}

export async function updateStayRow({
	db,
	stayId,
	values
}: {
	db: Db;
	stayId: string;
	values: Partial<typeof discoveryStaysTable.$inferInsert>;
}): Promise<DiscoveryStay> {
	const [updated] = await db
		.update(discoveryStaysTable)
		.set(values)
		.where(eq(discoveryStaysTable.id, stayId))
		.returning();
	return updated;
}

export async function findStayById({
	db,
	programmeId,
	stayId,
	forUpdate = false
}: {
	db: Db;
	programmeId: string;
	stayId: string;
	forUpdate?: boolean;
}): Promise<DiscoveryStay | null> {
	const query = db
		.select()
		.from(discoveryStaysTable)
		.where(and(eq(discoveryStaysTable.programmeId, programmeId), eq(discoveryStaysTable.id, stayId)));
	const [stay] = forUpdate ? await query.for('update') : await query;
	return stay ?? null;
}

export async function insertStayHouseholds({
	db,
	programmeId,
	stayId,
	caseIds
}: {
	db: Db;
	programmeId: string;
	stayId: string;
	caseIds: string[];
}): Promise<void> {
	await db
		.insert(discoveryStayHouseholdsTable)
		.values(caseIds.map((caseId) => ({ programmeId, stayId, caseId })));
}

/** The ids of those cases that exist in the programme. */
export async function findProgrammeCaseIds({
	db,
	programmeId,
	caseIds
}: {
	db: Db;
	programmeId: string;
	caseIds: string[];
}): Promise<string[]> {
	if (caseIds.length === 0) return [];
	const rows = await db
		.select({ id: casesTable.id })
		.from(casesTable)
		.where(and(eq(casesTable.programmeId, programmeId), inArray(casesTable.id, caseIds)));
	return rows.map((row) => row.id);
}

export type StayHousehold = {
	stayId: string;
	caseId: string;
	reference: string;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	size: number;
	candidateUserId: string | null;
};

/** The households of stays: the candidate's names and email, and how many people the household counts. */
export async function findStayHouseholds({
	db,
	stayIds
}: {
	db: Db;
	stayIds: string[];
}): Promise<StayHousehold[]> {
	if (stayIds.length === 0) return [];
	return db
		.select({
			stayId: discoveryStayHouseholdsTable.stayId,
			caseId: casesTable.id,
			reference: casesTable.reference,
			firstName: sql<
				string | null
			>`(select ${personsTable.firstName} from ${personsTable} where ${personsTable.caseId} = ${casesTable.id} and ${personsTable.householdRole} = 'candidate' order by ${personsTable.createdAt} limit 1)`,
			lastName: sql<
				string | null
			>`(select ${personsTable.lastName} from ${personsTable} where ${personsTable.caseId} = ${casesTable.id} and ${personsTable.householdRole} = 'candidate' order by ${personsTable.createdAt} limit 1)`,
			email: sql<
				string | null
			>`(select ${personsTable.email} from ${personsTable} where ${personsTable.caseId} = ${casesTable.id} and ${personsTable.householdRole} = 'candidate' order by ${personsTable.createdAt} limit 1)`,
			size: sql<number>`(select count(*)::int from ${personsTable} where ${personsTable.caseId} = ${casesTable.id})`,
			candidateUserId: casesTable.candidateUserId
		})
		.from(discoveryStayHouseholdsTable)
		.innerJoin(casesTable, eq(casesTable.id, discoveryStayHouseholdsTable.caseId))
		.where(inArray(discoveryStayHouseholdsTable.stayId, stayIds))
		.orderBy(asc(casesTable.reference));
}

/** A programme's stays, latest first (`caseId`: only that case's). */
export async function findStays({
	db,
	programmeId,
	caseId,
	limit = 200
}: {
	db: Db;
	programmeId: string;
	caseId?: string;
	limit?: number;
}): Promise<DiscoveryStay[]> {
	const ofCase = caseId
		? inArray(
				discoveryStaysTable.id,
				db
					.select({ id: discoveryStayHouseholdsTable.stayId })
					.from(discoveryStayHouseholdsTable)
					.where(eq(discoveryStayHouseholdsTable.caseId, caseId))
			)
		: undefined;
	return db
		.select()
		.from(discoveryStaysTable)
		.where(and(eq(discoveryStaysTable.programmeId, programmeId), ofCase))
		.orderBy(desc(discoveryStaysTable.startsOn), desc(discoveryStaysTable.createdAt))
		.limit(limit);
}

export async function insertMeeting({
	db,
	values
}: {
	db: Db;
	values: typeof discoveryStayMeetingsTable.$inferInsert;
}): Promise<DiscoveryStayMeeting> {
	const [created] = await db.insert(discoveryStayMeetingsTable).values(values).returning();
	return created;
}

export async function deleteMeeting({ db, meetingId }: { db: Db; meetingId: string }): Promise<void> {
	await db.delete(discoveryStayMeetingsTable).where(eq(discoveryStayMeetingsTable.id, meetingId));
}

export async function updateMeetingRow({
	db,
	meetingId,
	values
}: {
	db: Db;
	meetingId: string;
	values: Partial<typeof discoveryStayMeetingsTable.$inferInsert>;
}): Promise<DiscoveryStayMeeting> {
	const [updated] = await db
		.update(discoveryStayMeetingsTable)
		.set(values)
		.where(eq(discoveryStayMeetingsTable.id, meetingId))
		.returning();
	return updated;
}

export type MeetingWithHost = DiscoveryStayMeeting & {
	hostName: string;
	hostEmail: string;
	hostLocale: 'fr' | 'en';
	villageName: string | null;
	workspaceName: string | null;
};

/** Meetings of stays in order, with their host's name, address and language. */
export async function findStayMeetings({
	db,
	stayIds
}: {
	db: Db;
	stayIds: string[];
}): Promise<MeetingWithHost[]> {
	if (stayIds.length === 0) return [];
	const rows = await db
		.select({
			meeting: discoveryStayMeetingsTable,
			hostName: usersTable.name,
			hostEmail: usersTable.email,
			hostLocale: usersTable.locale,
			villageName: communesTable.name,
			workspaceName: workspacesTable.name
		})
		.from(discoveryStayMeetingsTable)
		.innerJoin(usersTable, eq(usersTable.id, discoveryStayMeetingsTable.hostUserId))
		.leftJoin(villagesTable, eq(villagesTable.id, discoveryStayMeetingsTable.villageId))
		.leftJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.leftJoin(workspacesTable, eq(workspacesTable.id, discoveryStayMeetingsTable.workspaceId))
		.where(inArray(discoveryStayMeetingsTable.stayId, stayIds))
		.orderBy(asc(discoveryStayMeetingsTable.startsAt), asc(discoveryStayMeetingsTable.createdAt));
	return rows.map(({ meeting, ...rest }) => ({ ...meeting, ...rest }));
}

/** A meeting of the programme hosted by this user (null for anyone else's). */
export async function findHostedMeeting({
	db,
	programmeId,
	meetingId,
	hostUserId
}: {
	db: Db;
	programmeId: string;
	meetingId: string;
	hostUserId: string;
}): Promise<DiscoveryStayMeeting | null> {
	const [meeting] = await db
		.select()
		.from(discoveryStayMeetingsTable)
		.where(
			and(
				eq(discoveryStayMeetingsTable.programmeId, programmeId),
				eq(discoveryStayMeetingsTable.id, meetingId),
				eq(discoveryStayMeetingsTable.hostUserId, hostUserId)
			)
		)
		.for('update');
	return meeting ?? null;
}

/** The meetings a user hosts in the programme, soonest first, with their stay. */
export async function findHostMeetings({
	db,
	programmeId,
	hostUserId
}: {
	db: Db;
	programmeId: string;
	hostUserId: string;
}): Promise<Array<{ meeting: DiscoveryStayMeeting; stay: DiscoveryStay }>> {
	return db
		.select({ meeting: discoveryStayMeetingsTable, stay: discoveryStaysTable })
		.from(discoveryStayMeetingsTable)
		.innerJoin(discoveryStaysTable, eq(discoveryStaysTable.id, discoveryStayMeetingsTable.stayId))
		.where(
			and(
				eq(discoveryStayMeetingsTable.programmeId, programmeId),
				eq(discoveryStayMeetingsTable.hostUserId, hostUserId)
			)
		)
		.orderBy(desc(discoveryStayMeetingsTable.startsAt))
		.limit(200);
}

export type HostCandidate = {
	userId: string;
	name: string;
	email: string;
	locale: 'fr' | 'en';
	role: Role;
	organisationId: string | null;
};

/** The programme's people who may host (committee members, partners, members), or one of them. */
export async function findHostCandidates({
	db,
	programmeId,
	userId
}: {
	db: Db;
	programmeId: string;
	userId?: string;
}): Promise<HostCandidate[]> {
	return db
		.select({
			userId: usersTable.id,
			name: usersTable.name,
			email: usersTable.email,
			locale: usersTable.locale,
			role: membershipsTable.role,
			organisationId: membershipsTable.organisationId
		})
		.from(membershipsTable)
		.innerJoin(usersTable, eq(usersTable.id, membershipsTable.userId))
		.where(
			and(
				eq(membershipsTable.programmeId, programmeId),
				inArray(membershipsTable.role, ['committee', 'partner', 'member']),
				userId ? eq(membershipsTable.userId, userId) : undefined
			)
		)
		.orderBy(asc(usersTable.name));
}

/** The programme's villages a committee member sits on, with their names. */
export async function findHostVillages({
	db,
	programmeId,
	userIds
}: {
	db: Db;
	programmeId: string;
	userIds?: string[];
}): Promise<Array<{ userId: string; villageId: string; name: string }>> {
	if (userIds && userIds.length === 0) return [];
	return db
		.select({
			userId: villageCommitteeMembersTable.userId,
			villageId: villagesTable.id,
			name: communesTable.name
		})
		.from(villageCommitteeMembersTable)
		.innerJoin(villagesTable, eq(villagesTable.id, villageCommitteeMembersTable.villageId))
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.where(
			and(
				eq(villagesTable.programmeId, programmeId),
				userIds ? inArray(villageCommitteeMembersTable.userId, userIds) : undefined
			)
		)
		.orderBy(asc(communesTable.name));
}

export async function findProgrammeWorkspaces({
	db,
	programmeId,
	workspaceId
}: {
	db: Db;
	programmeId: string;
	workspaceId?: string;
}): Promise<Array<{ id: string; name: string; organisationId: string | null }>> {
	return db
		.select({
			id: workspacesTable.id,
			name: workspacesTable.name,
			organisationId: workspacesTable.organisationId
		})
		.from(workspacesTable)
		.where(
			and(
				eq(workspacesTable.programmeId, programmeId),
				workspaceId ? eq(workspacesTable.id, workspaceId) : undefined
			)
		)
		.orderBy(asc(workspacesTable.name));
}

export async function findProgrammeOffers({
	db,
	programmeId,
	offerId
}: {
	db: Db;
	programmeId: string;
	offerId?: string;
}): Promise<Array<{ id: string; title: string }>> {
	return db
		.select({ id: offersTable.id, title: offersTable.titleFr })
		.from(offersTable)
		.where(and(eq(offersTable.programmeId, programmeId), offerId ? eq(offersTable.id, offerId) : undefined))
		.orderBy(asc(offersTable.titleFr))
		.limit(500);
}

/** Writes the outcome of one author kind for one household; a second answer replaces the first. */
export async function upsertOutcome({
	db,
	values
}: {
	db: Db;
	values: typeof discoveryStayOutcomesTable.$inferInsert;
}): Promise<DiscoveryStayOutcome> {
	const [saved] = await db
		.insert(discoveryStayOutcomesTable)
		.values(values)
		.onConflictDoUpdate({
			target: [
				discoveryStayOutcomesTable.stayId,
				discoveryStayOutcomesTable.caseId,
				discoveryStayOutcomesTable.authorKind
			],
			set: {
				authorId: values.authorId,
				wentWell: values.wentWell,
				stillInterested: values.stillInterested,
				villagesConsidered: values.villagesConsidered,
				nextStep: values.nextStep,
				comment: values.comment,
				updatedAt: sql`now()`
			}
		})
		.returning();
	return saved;
}

export async function findOutcomes({
	db,
	stayIds
}: {
	db: Db;
	stayIds: string[];
}): Promise<DiscoveryStayOutcome[]> {
	if (stayIds.length === 0) return [];
	return db
		.select()
		.from(discoveryStayOutcomesTable)
		.where(inArray(discoveryStayOutcomesTable.stayId, stayIds))
		.orderBy(asc(discoveryStayOutcomesTable.createdAt), asc(discoveryStayOutcomesTable.authorKind));
}

export type StayConversionRow = {
	/** Households whose first stay (not cancelled) has ended by `today`. */
	households: number;
	/** Of which installed on or after that stay. */
	installed: number;
	/** Median days from the stay's last day to the installation, over the installed. */
	medianDays: number | null;
};

/**
 * Stay → installation, in SQL: each household's first completed stay (not cancelled, last day on or
 * before `today`), whether the case was installed on or after it, and the median of the days between.
 */
export async function findStayConversion({
	db,
	programmeId,
	today
}: {
	db: Db;
	programmeId: string;
	today: string;
}): Promise<StayConversionRow> {
	const result = await db.execute(sql`
		with first_stays as (
			select h.case_id, min(s.ends_on) as stay_on
			from ${discoveryStayHouseholdsTable} h
			join ${discoveryStaysTable} s on s.id = h.stay_id
			where s.programme_id = ${programmeId} and s.status = 'planned' and s.ends_on <= ${today}::date
			group by h.case_id
		)
		select
			count(*)::int as households,
			(count(*) filter (where c.installed_on >= f.stay_on))::int as installed,
			percentile_cont(0.5) within group (order by (c.installed_on - f.stay_on))
				filter (where c.installed_on >= f.stay_on) as median_days
		from first_stays f
		join ${casesTable} c on c.id = f.case_id and c.programme_id = ${programmeId}
	`);
	const [row] = (
		result as unknown as {
			rows: Array<{ households: number; installed: number; median_days: string | number | null }>;
		}
	).rows;
	return {
		households: Number(row?.households ?? 0),
		installed: Number(row?.installed ?? 0),
		medianDays: row?.median_days === null || row?.median_days === undefined ? null : Number(row.median_days)
	};
}
