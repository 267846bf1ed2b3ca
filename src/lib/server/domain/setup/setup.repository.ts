import { and, count, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	membershipsTable,
	setupAttemptsTable,
	setupCodesTable,
	type SetupCode
} from '../../db/schema/index.ts';

/** The setup concerns the whole instance, not one programme: these queries are instance-wide. */

/** The one row of `setup_codes`. */
const SETUP_ROW = 'instance';

/** Whether any programme of the instance has an admin account. */
export async function hasAnyAdmin({ db }: { db: Db }): Promise<boolean> {
	const [row] = await db
		.select({ id: membershipsTable.id })
		.from(membershipsTable)
		.where(and(eq(membershipsTable.role, 'admin'), eq(membershipsTable.status, 'active')))
		.limit(1);
	return Boolean(row);
}

/** Stores a new code hash, replacing the previous code (used or not). */
export async function upsertSetupCode({ db, codeHash }: { db: Db; codeHash: string }): Promise<void> {
	await db
		.insert(setupCodesTable)
		.values({ id: SETUP_ROW, codeHash })
		.onConflictDoUpdate({
			target: setupCodesTable.id,
			set: { codeHash, createdAt: new Date(), usedAt: null, failures: 0 }
		});
}

export async function findSetupCode({
	db,
	forUpdate = false
}: {
	db: Db;
	forUpdate?: boolean;
}): Promise<SetupCode | null> {
	const query = db.select().from(setupCodesTable).where(eq(setupCodesTable.id, SETUP_ROW));
	const [row] = forUpdate ? await query.for('update') : await query;
	return row ?? null;
}

/** Marks the code used; false when it was already used (another request won the race). */
export async function markSetupCodeUsed({ db, at }: { db: Db; at: Date }): Promise<boolean> {
	const rows = await db
		.update(setupCodesTable)
		.set({ usedAt: at })
		.where(and(eq(setupCodesTable.id, SETUP_ROW), isNull(setupCodesTable.usedAt)))
		.returning({ id: setupCodesTable.id });
	return rows.length > 0;
}

export async function insertSetupAttempt({
	db,
	ipAddress,
	isSuccess
}: {
	db: Db;
	ipAddress: string | null;
	isSuccess: boolean;
}): Promise<void> {
	await db.insert(setupAttemptsTable).values({ ipAddress, isSuccess });
	if (!isSuccess) {
		await db
			.update(setupCodesTable)
			.set({ failures: sql`${setupCodesTable.failures} + 1` })
			.where(eq(setupCodesTable.id, SETUP_ROW));
	}
}

export async function countRecentSetupFailures({
	db,
	ipAddress,
	since
}: {
	db: Db;
	ipAddress: string | null;
	since: Date;
}): Promise<{ total: number; byIp: number }> {
	const recent = and(eq(setupAttemptsTable.isSuccess, false), gt(setupAttemptsTable.createdAt, since));
	const [total] = await db.select({ n: count() }).from(setupAttemptsTable).where(recent);
	let byIp = 0;
	if (ipAddress) {
		const [row] = await db
			.select({ n: count() })
			.from(setupAttemptsTable)
			.where(and(recent, eq(setupAttemptsTable.ipAddress, ipAddress)));
		byIp = Number(row.n);
	}
	return { total: Number(total.n), byIp };
}
