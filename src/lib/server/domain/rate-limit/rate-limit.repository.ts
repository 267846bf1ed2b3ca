import { and, count, eq, gt, lte, min, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { rateLimitHitsTable } from '../../db/schema/index.ts';

/**
 * Serialises every transaction that counts the same key until it ends (commit or rollback).
 * `pg_advisory_xact_lock` works on PostgreSQL and PGlite; must run inside a transaction.
 */
export async function lockRateLimitKey({ db, key }: { db: Db; key: string }): Promise<void> {
	await db.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/** The key's hits after `since`, and the oldest of them (when the next slot frees up). */
export async function countHitsSince({
	db,
	key,
	since
}: {
	db: Db;
	key: string;
	since: Date;
}): Promise<{ hits: number; oldestAt: Date | null }> {
	const [row] = await db
		.select({ hits: count(), oldestAt: min(rateLimitHitsTable.createdAt) })
		.from(rateLimitHitsTable)
		.where(and(eq(rateLimitHitsTable.key, key), gt(rateLimitHitsTable.createdAt, since)));
	return { hits: Number(row.hits), oldestAt: row.oldestAt ? new Date(row.oldestAt) : null };
}

export async function insertHit({ db, key, at }: { db: Db; key: string; at: Date }): Promise<void> {
	await db.insert(rateLimitHitsTable).values({ key, createdAt: at });
}

/** Forgets the key's hits older than its window (keeps the table small). */
export async function deleteHitsBefore({ db, key, before }: { db: Db; key: string; before: Date }) {
	await db
		.delete(rateLimitHitsTable)
		.where(and(eq(rateLimitHitsTable.key, key), lte(rateLimitHitsTable.createdAt, before)));
}

/** Forgets every hit older than `before`, whatever its key (the daily purge). */
export async function deleteAllHitsBefore({ db, before }: { db: Db; before: Date }): Promise<number> {
	const deleted = await db
		.delete(rateLimitHitsTable)
		.where(lte(rateLimitHitsTable.createdAt, before))
		.returning({ id: rateLimitHitsTable.id });
	return deleted.length;
}
