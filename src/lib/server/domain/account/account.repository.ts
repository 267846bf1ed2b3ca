import { and, asc, count, eq, getTableColumns, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	authAccountsTable,
	membershipsTable,
	organisationsTable,
	sessionsTable,
	signInAttemptsTable,
	usersTable,
	type Membership,
	type MembershipStatus,
	type Organisation,
	type Role,
	type User
} from '../../db/schema/index.ts';

/** A person as a member of one programme: the user row with the membership's role and scope. */
export type ProgrammeUser = User & {
	role: Role;
	programmeId: string;
	organisationId: string | null;
	membershipId: string;
	status: MembershipStatus;
};

/** The columns that make a `ProgrammeUser` of `users` joined with `memberships`. */
export const programmeUserColumns = {
	...getTableColumns(usersTable),
	role: membershipsTable.role,
	programmeId: membershipsTable.programmeId,
	organisationId: membershipsTable.organisationId,
	membershipId: membershipsTable.id,
	status: membershipsTable.status
};

/** The join condition of `users` with their memberships, for queries on programme people. */
export const userMembershipJoin = eq(membershipsTable.userId, usersTable.id);

export type NewProgrammeUser = typeof usersTable.$inferInsert & {
	role: Role;
	programmeId: string;
	organisationId?: string | null;
	status?: MembershipStatus;
};

/** Inserts users (without password) each with a membership in a programme. */
export async function insertUsersWithMemberships({
	db,
	users
}: {
	db: Db;
	users: NewProgrammeUser[];
}): Promise<ProgrammeUser[]> {
	if (users.length === 0) return [];
	const rows = await db
		.insert(usersTable)
		.values(users.map(({ role: _r, programmeId: _p, organisationId: _o, status: _s, ...user }) => user))
		.returning();
	const memberships = await db
		.insert(membershipsTable)
		.values(
			users.map((user, i) => ({
				userId: rows[i].id,
				programmeId: user.programmeId,
				role: user.role,
				organisationId: user.organisationId ?? null,
				status: user.status ?? 'active',
				deactivatedAt: user.status === 'deactivated' ? new Date() : null
			}))
		)
		.returning();
	return rows.map((row, i) => ({
		...row,
		role: memberships[i].role,
		programmeId: memberships[i].programmeId,
		organisationId: memberships[i].organisationId,
		membershipId: memberships[i].id,
		status: memberships[i].status
	}));
}

export async function insertMembership({
	db,
	values
}: {
	db: Db;
	values: typeof membershipsTable.$inferInsert;
}): Promise<Membership> {
	const [membership] = await db.insert(membershipsTable).values(values).returning();
	return membership;
}

export async function updateMembership({
	db,
	membershipId,
	values
}: {
	db: Db;
	membershipId: string;
	values: Partial<Pick<Membership, 'role' | 'organisationId' | 'status' | 'deactivatedAt'>>;
}): Promise<Membership> {
	const [membership] = await db
		.update(membershipsTable)
		.set({ ...values, updatedAt: new Date() })
		.where(eq(membershipsTable.id, membershipId))
		.returning();
	return membership;
}

/** A person's membership of one programme, whatever its status. */
export async function findMembership({
	db,
	userId,
	programmeId
}: {
	db: Db;
	userId: string;
	programmeId: string;
}): Promise<Membership | null> {
	const [membership] = await db
		.select()
		.from(membershipsTable)
		.where(and(eq(membershipsTable.userId, userId), eq(membershipsTable.programmeId, programmeId)));
	return membership ?? null;
}

/** A person's active memberships, oldest first (the one they act in is chosen among them). */
export async function findActiveMemberships({
	db,
	userId
}: {
	db: Db;
	userId: string;
}): Promise<Membership[]> {
	return db
		.select()
		.from(membershipsTable)
		.where(and(eq(membershipsTable.userId, userId), eq(membershipsTable.status, 'active')))
		.orderBy(asc(membershipsTable.createdAt), asc(membershipsTable.id));
}

/** A person of a programme with an active membership there, or null. */
export async function findUserInProgramme({
	db,
	programmeId,
	userId
}: {
	db: Db;
	programmeId: string;
	userId: string;
}): Promise<ProgrammeUser | null> {
	const [user] = await db
		.select(programmeUserColumns)
		.from(usersTable)
		.innerJoin(membershipsTable, userMembershipJoin)
		.where(
			and(
				eq(usersTable.id, userId),
				eq(membershipsTable.programmeId, programmeId),
				eq(membershipsTable.status, 'active')
			)
		);
	return user ?? null;
}

/** Ends every session of these people at once (deactivation). */
export async function deleteSessionsOfUsers({ db, userIds }: { db: Db; userIds: string[] }): Promise<void> {
	if (userIds.length === 0) return;
	await db.delete(sessionsTable).where(inArray(sessionsTable.userId, userIds));
}

export async function findUserByEmail({ db, email }: { db: Db; email: string }): Promise<User | null> {
	const [user] = await db.select().from(usersTable).where(eq(usersTable.email, email));
	return user ?? null;
}

export async function findUsersOfProgramme({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<ProgrammeUser[]> {
	return db
		.select(programmeUserColumns)
		.from(usersTable)
		.innerJoin(membershipsTable, userMembershipJoin)
		.where(eq(membershipsTable.programmeId, programmeId))
		.orderBy(usersTable.email);
}

export async function insertUserWithPassword({
	db,
	user,
	passwordHash
}: {
	db: Db;
	user: typeof usersTable.$inferInsert;
	passwordHash: string;
}): Promise<User> {
	const [created] = await db.insert(usersTable).values(user).returning();
	// The credential account is what better-auth checks the password against.
	await db.insert(authAccountsTable).values({
		userId: created.id,
		accountId: created.id,
		providerId: 'credential',
		password: passwordHash
	});
	return created;
}

export async function insertSignInAttempt({
	db,
	email,
	ipAddress,
	isSuccess
}: {
	db: Db;
	email: string;
	ipAddress: string | null;
	isSuccess: boolean;
}): Promise<void> {
	await db.insert(signInAttemptsTable).values({ email, ipAddress, isSuccess });
}

/** Failed attempts since `since`, for one email and for one IP address. */
export async function countRecentFailures({
	db,
	email,
	ipAddress,
	since
}: {
	db: Db;
	email: string;
	ipAddress: string | null;
	since: Date;
}): Promise<{ byEmail: number; byIp: number }> {
	const recentFailure = and(
		eq(signInAttemptsTable.isSuccess, false),
		gt(signInAttemptsTable.createdAt, since)
	);
	const [byEmail] = await db
		.select({ n: count() })
		.from(signInAttemptsTable)
		.where(and(recentFailure, eq(signInAttemptsTable.email, email)));
	let byIp = 0;
	if (ipAddress) {
		const [row] = await db
			.select({ n: count() })
			.from(signInAttemptsTable)
			.where(and(recentFailure, eq(signInAttemptsTable.ipAddress, ipAddress)));
		byIp = Number(row.n);
	}
	return { byEmail: Number(byEmail.n), byIp };
}

/** A programme's organisation by its exact name (operators type names on the command line). */
export async function findOrganisationByName({
	db,
	programmeId,
	name
}: {
	db: Db;
	programmeId: string;
	name: string;
}): Promise<Organisation | null> {
	const [organisation] = await db
		.select()
		.from(organisationsTable)
		.where(and(eq(organisationsTable.programmeId, programmeId), eq(organisationsTable.name, name)));
	return organisation ?? null;
}
