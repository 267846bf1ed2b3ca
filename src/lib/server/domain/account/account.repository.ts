import { and, count, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	authAccountsTable,
	organisationsTable,
	signInAttemptsTable,
	usersTable,
	type Organisation,
	type User
} from '../../db/schema/index.ts';

export async function findUserByEmail({ db, email }: { db: Db; email: string }): Promise<User | null> {
	const [user] = await db.select().from(usersTable).where(eq(usersTable.email, email));
	return user ?? null;
}

export async function findUserById({ db, userId }: { db: Db; userId: string }): Promise<User | null> {
	const [user] = await db.select().from(usersTable).where(eq(usersTable.id, userId));
	return user ?? null;
}

export async function findUsersOfProgramme({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<User[]> {
	return db
		.select()
		.from(usersTable)
		.where(eq(usersTable.programmeId, programmeId))
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

export async function findOrganisationById({
	db,
	organisationId
}: {
	db: Db;
	organisationId: string;
}): Promise<Organisation | null> {
	const [organisation] = await db
		.select()
		.from(organisationsTable)
		.where(eq(organisationsTable.id, organisationId));
	return organisation ?? null;
}
