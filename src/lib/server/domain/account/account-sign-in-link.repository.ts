import { and, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { authAccountsTable, signInLinksTable, type SignInLink } from '../../db/schema/index.ts';

export async function insertSignInLink({
	db,
	values
}: {
	db: Db;
	values: typeof signInLinksTable.$inferInsert;
}): Promise<SignInLink> {
	const [link] = await db.insert(signInLinksTable).values(values).returning();
	return link;
}

/** A link by its token's hash, live or not (read across programmes: only the hash is stored). */
export async function findSignInLinkByTokenHash({
	db,
	tokenHash
}: {
	db: Db;
	tokenHash: string;
}): Promise<SignInLink | null> {
	const [link] = await db.select().from(signInLinksTable).where(eq(signInLinksTable.tokenHash, tokenHash));
	return link ?? null;
}

/** Marks a link used, once: null when it is unknown, already used or expired (one statement, no race). */
export async function useSignInLinkByTokenHash({
	db,
	tokenHash,
	now
}: {
	db: Db;
	tokenHash: string;
	now: Date;
}): Promise<SignInLink | null> {
	const [link] = await db
		.update(signInLinksTable)
		.set({ usedAt: now })
		.where(
			and(
				eq(signInLinksTable.tokenHash, tokenHash),
				isNull(signInLinksTable.usedAt),
				gt(signInLinksTable.expiresAt, now)
			)
		)
		.returning();
	return link ?? null;
}

/** Whether a user has a password (a credential account with a hash). */
export async function hasPassword({ db, userId }: { db: Db; userId: string }): Promise<boolean> {
	const [row] = await db
		.select({ id: authAccountsTable.id })
		.from(authAccountsTable)
		.where(
			and(
				eq(authAccountsTable.userId, userId),
				eq(authAccountsTable.providerId, 'credential'),
				isNotNull(authAccountsTable.password)
			)
		);
	return Boolean(row);
}
