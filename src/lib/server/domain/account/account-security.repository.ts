import { and, desc, eq, gt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	authAccountsTable,
	programmeSettingsTable,
	sessionsTable,
	twoFactorsTable,
	type TwoFactor
} from '../../db/schema/index.ts';

/*
 * Sessions and second factors. Sessions and users are instance-wide (a person may hold
 * memberships in several programmes): every lookup here is scoped by the user's id.
 */

export type SessionRow = typeof sessionsTable.$inferSelect;

export async function findSessionByToken({
	db,
	token
}: {
	db: Db;
	token: string;
}): Promise<SessionRow | null> {
	const [row] = await db.select().from(sessionsTable).where(eq(sessionsTable.token, token));
	return row ?? null;
}

/** A user's sessions still valid at `now`, the most recently active first. */
export async function findSessionsOfUser({
	db,
	userId,
	now
}: {
	db: Db;
	userId: string;
	now: Date;
}): Promise<SessionRow[]> {
	return db
		.select()
		.from(sessionsTable)
		.where(and(eq(sessionsTable.userId, userId), gt(sessionsTable.expiresAt, now)))
		.orderBy(desc(sessionsTable.lastActiveAt));
}

export async function updateSession({
	db,
	sessionId,
	values
}: {
	db: Db;
	sessionId: string;
	values: Partial<Pick<SessionRow, 'lastActiveAt' | 'isTwoFactorPending' | 'twoFactorFailures'>>;
}): Promise<void> {
	await db.update(sessionsTable).set(values).where(eq(sessionsTable.id, sessionId));
}

/** Adds one wrong second-factor code to a pending session; returns the new count. */
export async function incrementTwoFactorFailures({ db, sessionId }: { db: Db; sessionId: string }) {
	const [row] = await db
		.update(sessionsTable)
		.set({ twoFactorFailures: sql`${sessionsTable.twoFactorFailures} + 1` })
		.where(eq(sessionsTable.id, sessionId))
		.returning({ failures: sessionsTable.twoFactorFailures });
	return row?.failures ?? 0;
}

/** Ends one session of this user; false when the user has no such session. */
export async function deleteSessionOfUser({
	db,
	userId,
	sessionId
}: {
	db: Db;
	userId: string;
	sessionId: string;
}): Promise<boolean> {
	const rows = await db
		.delete(sessionsTable)
		.where(and(eq(sessionsTable.id, sessionId), eq(sessionsTable.userId, userId)))
		.returning({ id: sessionsTable.id });
	return rows.length > 0;
}

/** Ends every session of this user but one; returns how many ended. */
export async function deleteOtherSessionsOfUser({
	db,
	userId,
	keepSessionId
}: {
	db: Db;
	userId: string;
	keepSessionId: string;
}): Promise<number> {
	const rows = await db
		.delete(sessionsTable)
		.where(and(eq(sessionsTable.userId, userId), ne(sessionsTable.id, keepSessionId)))
		.returning({ id: sessionsTable.id });
	return rows.length;
}

export async function deleteSessionById({ db, sessionId }: { db: Db; sessionId: string }): Promise<void> {
	await db.delete(sessionsTable).where(eq(sessionsTable.id, sessionId));
}

export async function findTwoFactor({
	db,
	userId,
	forUpdate = false
}: {
	db: Db;
	userId: string;
	forUpdate?: boolean;
}): Promise<TwoFactor | null> {
	const query = db.select().from(twoFactorsTable).where(eq(twoFactorsTable.userId, userId));
	const [row] = forUpdate ? await query.for('update') : await query;
	return row ?? null;
}

/** Starts (or restarts) an enrolment: a new secret, not enabled yet, no recovery codes. */
export async function upsertPendingTwoFactor({
	db,
	userId,
	secret
}: {
	db: Db;
	userId: string;
	secret: string;
}): Promise<TwoFactor> {
	const [row] = await db
		.insert(twoFactorsTable)
		.values({ userId, secret })
		.onConflictDoUpdate({
			target: twoFactorsTable.userId,
			set: { secret, enabledAt: null, recoveryCodeHashes: [], lastUsedStep: null, updatedAt: new Date() }
		})
		.returning();
	return row;
}

export async function updateTwoFactor({
	db,
	userId,
	values
}: {
	db: Db;
	userId: string;
	values: Partial<Pick<TwoFactor, 'enabledAt' | 'recoveryCodeHashes' | 'lastUsedStep'>>;
}): Promise<void> {
	await db
		.update(twoFactorsTable)
		.set({ ...values, updatedAt: new Date() })
		.where(eq(twoFactorsTable.userId, userId));
}

export async function deleteTwoFactor({ db, userId }: { db: Db; userId: string }): Promise<void> {
	await db.delete(twoFactorsTable).where(eq(twoFactorsTable.userId, userId));
}

/** Whether the programme requires a second factor of its admins and advisors. */
export async function isTwoFactorRequiredIn({ db, programmeId }: { db: Db; programmeId: string }) {
	const [row] = await db
		.select({ isRequired: programmeSettingsTable.isTwoFactorRequired })
		.from(programmeSettingsTable)
		.where(eq(programmeSettingsTable.programmeId, programmeId));
	return row?.isRequired ?? false;
}

/** The scrypt hash of the user's password (credential account), or null. */
export async function findPasswordHash({ db, userId }: { db: Db; userId: string }): Promise<string | null> {
	const [row] = await db
		.select({ password: authAccountsTable.password })
		.from(authAccountsTable)
		.where(and(eq(authAccountsTable.userId, userId), eq(authAccountsTable.providerId, 'credential')));
	return row?.password ?? null;
}
