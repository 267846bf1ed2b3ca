import { and, asc, count, eq, getTableColumns, gt, inArray, isNull, max, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	authAccountsTable,
	membershipsTable,
	organisationsTable,
	programmesTable,
	sessionsTable,
	signInAttemptsTable,
	signInUnlocksTable,
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

/** An active membership with its programme's name (for the programme picker and the switcher). */
export type ActiveMembership = Membership & { programmeName: string };

/**
 * A person's active memberships of active programmes, oldest first (the one they act in is
 * chosen among them, `chooseActorProgramme`): a suspended programme's memberships give nothing.
 */
export async function findActiveMemberships({
	db,
	userId
}: {
	db: Db;
	userId: string;
}): Promise<ActiveMembership[]> {
	return db
		.select({ ...getTableColumns(membershipsTable), programmeName: programmesTable.name })
		.from(membershipsTable)
		.innerJoin(programmesTable, eq(programmesTable.id, membershipsTable.programmeId))
		.where(
			and(
				eq(membershipsTable.userId, userId),
				eq(membershipsTable.status, 'active'),
				eq(programmesTable.status, 'active')
			)
		)
		.orderBy(asc(membershipsTable.createdAt), asc(membershipsTable.id));
}

/** Whether the person holds an active membership of a suspended programme (sign-in says so). */
export async function hasMembershipOfSuspendedProgramme({
	db,
	userId
}: {
	db: Db;
	userId: string;
}): Promise<boolean> {
	const [row] = await db
		.select({ id: membershipsTable.id })
		.from(membershipsTable)
		.innerJoin(programmesTable, eq(programmesTable.id, membershipsTable.programmeId))
		.where(
			and(
				eq(membershipsTable.userId, userId),
				eq(membershipsTable.status, 'active'),
				eq(programmesTable.status, 'suspended')
			)
		)
		.limit(1);
	return Boolean(row);
}

/** Grants or revokes the instance-admin flag of the account with this email; null when there is none. */
export async function setInstanceAdmin({
	db,
	email,
	isInstanceAdmin
}: {
	db: Db;
	email: string;
	isInstanceAdmin: boolean;
}): Promise<User | null> {
	const [user] = await db
		.update(usersTable)
		.set({ isInstanceAdmin, updatedAt: new Date() })
		.where(eq(usersTable.email, email))
		.returning();
	return user ?? null;
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

/**
 * Serialises the sign-in attempts of one IP address (of one email when the address is unknown)
 * until the transaction ends, so that counting the failures and reserving an attempt is atomic
 * even when requests arrive together. Must run inside a transaction (PostgreSQL and PGlite).
 */
export async function lockSignInAttempts({
	db,
	email,
	ipAddress
}: {
	db: Db;
	email: string;
	ipAddress: string | null;
}): Promise<void> {
	const key = ipAddress ? `signin.ip:${ipAddress}` : `signin.email:${email}`;
	await db.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/** Reserves an attempt before the password is checked: it counts as a failure until settled. */
export async function insertSignInAttempt({
	db,
	email,
	ipAddress,
	at
}: {
	db: Db;
	email: string;
	ipAddress: string | null;
	at: Date;
}): Promise<{ id: string }> {
	const [row] = await db
		.insert(signInAttemptsTable)
		.values({ email, ipAddress, isSuccess: null, createdAt: at })
		.returning({ id: signInAttemptsTable.id });
	return row;
}

/** Records the outcome of a reserved attempt once the password was checked. */
export async function settleSignInAttempt({
	db,
	attemptId,
	isSuccess
}: {
	db: Db;
	attemptId: string;
	isSuccess: boolean;
}): Promise<void> {
	await db.update(signInAttemptsTable).set({ isSuccess }).where(eq(signInAttemptsTable.id, attemptId));
}

/** Failed or pending, and not cleared by an unlock link. */
const notSucceeded = or(isNull(signInAttemptsTable.isSuccess), eq(signInAttemptsTable.isSuccess, false));

/**
 * The failures (pending attempts included) of one email from one IP address since the later of
 * `since` and their last success, with the latest one; and the failures of the IP address over
 * every email since `ipSince`.
 */
export async function countRecentFailures({
	db,
	email,
	ipAddress,
	since,
	ipSince
}: {
	db: Db;
	email: string;
	ipAddress: string | null;
	since: Date;
	ipSince: Date;
}): Promise<{ byEmailAndIp: number; lastFailureAt: Date | null; byIp: number }> {
	const sameSource = and(
		eq(signInAttemptsTable.email, email),
		ipAddress === null ? isNull(signInAttemptsTable.ipAddress) : eq(signInAttemptsTable.ipAddress, ipAddress)
	);
	const [success] = await db
		.select({ at: max(signInAttemptsTable.createdAt) })
		.from(signInAttemptsTable)
		.where(
			and(sameSource, eq(signInAttemptsTable.isSuccess, true), gt(signInAttemptsTable.createdAt, since))
		);
	const from = success?.at && new Date(success.at) > since ? new Date(success.at) : since;
	const [byEmailAndIp] = await db
		.select({ n: count(), lastAt: max(signInAttemptsTable.createdAt) })
		.from(signInAttemptsTable)
		.where(
			and(
				sameSource,
				notSucceeded,
				isNull(signInAttemptsTable.clearedAt),
				gt(signInAttemptsTable.createdAt, from)
			)
		);
	let byIp = 0;
	if (ipAddress) {
		const [row] = await db
			.select({ n: count() })
			.from(signInAttemptsTable)
			.where(
				and(
					notSucceeded,
					eq(signInAttemptsTable.ipAddress, ipAddress),
					gt(signInAttemptsTable.createdAt, ipSince)
				)
			);
		byIp = Number(row.n);
	}
	return {
		byEmailAndIp: Number(byEmailAndIp.n),
		lastFailureAt: byEmailAndIp.lastAt ? new Date(byEmailAndIp.lastAt) : null,
		byIp
	};
}

/** The owner used an unlock link: the failures on their email (from any address) stop counting. */
export async function clearSignInFailures({ db, email, at }: { db: Db; email: string; at: Date }) {
	await db
		.update(signInAttemptsTable)
		.set({ clearedAt: at })
		.where(and(eq(signInAttemptsTable.email, email), notSucceeded, isNull(signInAttemptsTable.clearedAt)));
}

export async function insertSignInUnlock({
	db,
	values
}: {
	db: Db;
	values: typeof signInUnlocksTable.$inferInsert;
}): Promise<void> {
	await db.insert(signInUnlocksTable).values(values);
}

/** Marks an unlock link used, once: null when it is unknown, used or expired (read across programmes by its token). */
export async function useSignInUnlockByTokenHash({
	db,
	tokenHash,
	now
}: {
	db: Db;
	tokenHash: string;
	now: Date;
}): Promise<{ email: string } | null> {
	const [row] = await db
		.update(signInUnlocksTable)
		.set({ usedAt: now })
		.where(
			and(
				eq(signInUnlocksTable.tokenHash, tokenHash),
				isNull(signInUnlocksTable.usedAt),
				gt(signInUnlocksTable.expiresAt, now)
			)
		)
		.returning({ email: signInUnlocksTable.email });
	return row ?? null;
}

/** Whether an unlock link is still usable (the page asks before the person confirms). */
export async function findLiveSignInUnlock({
	db,
	tokenHash,
	now
}: {
	db: Db;
	tokenHash: string;
	now: Date;
}): Promise<boolean> {
	const [row] = await db
		.select({ id: signInUnlocksTable.id })
		.from(signInUnlocksTable)
		.where(
			and(
				eq(signInUnlocksTable.tokenHash, tokenHash),
				isNull(signInUnlocksTable.usedAt),
				gt(signInUnlocksTable.expiresAt, now)
			)
		);
	return Boolean(row);
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
