import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { observatoryTokensTable, usersTable, type ObservatoryToken } from '../../db/schema/index.ts';

/** Every query here filters by programme_id, except the lookup by hash (the token names its programme). */

export async function insertObservatoryToken({
	db,
	values
}: {
	db: Db;
	values: typeof observatoryTokensTable.$inferInsert;
}): Promise<ObservatoryToken> {
	const [created] = await db.insert(observatoryTokensTable).values(values).returning();
	return created;
}

export type ObservatoryTokenRow = Omit<ObservatoryToken, 'tokenHash'> & { createdByName: string | null };

export async function findObservatoryTokens({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<ObservatoryTokenRow[]> {
	return db
		.select({
			id: observatoryTokensTable.id,
			programmeId: observatoryTokensTable.programmeId,
			label: observatoryTokensTable.label,
			createdBy: observatoryTokensTable.createdBy,
			createdByName: usersTable.name,
			createdAt: observatoryTokensTable.createdAt,
			lastUsedAt: observatoryTokensTable.lastUsedAt,
			revokedAt: observatoryTokensTable.revokedAt
		})
		.from(observatoryTokensTable)
		.leftJoin(usersTable, eq(usersTable.id, observatoryTokensTable.createdBy))
		.where(eq(observatoryTokensTable.programmeId, programmeId))
		.orderBy(desc(observatoryTokensTable.createdAt), observatoryTokensTable.id);
}

/** Revokes a token of the programme; null when there is none (already revoked tokens keep their date). */
export async function revokeObservatoryTokenRow({
	db,
	programmeId,
	tokenId,
	now
}: {
	db: Db;
	programmeId: string;
	tokenId: string;
	now: Date;
}): Promise<ObservatoryToken | null> {
	const [row] = await db
		.select()
		.from(observatoryTokensTable)
		.where(and(eq(observatoryTokensTable.programmeId, programmeId), eq(observatoryTokensTable.id, tokenId)))
		.for('update');
	if (!row) return null;
	if (row.revokedAt) return row;
	const [updated] = await db
		.update(observatoryTokensTable)
		.set({ revokedAt: now })
		.where(and(eq(observatoryTokensTable.programmeId, programmeId), eq(observatoryTokensTable.id, tokenId)))
		.returning();
	return updated;
}

/** The live (not revoked) token with this hash. */
export async function findLiveObservatoryTokenByHash({
	db,
	tokenHash
}: {
	db: Db;
	tokenHash: string;
}): Promise<ObservatoryToken | null> {
	const [row] = await db
		.select()
		.from(observatoryTokensTable)
		.where(and(eq(observatoryTokensTable.tokenHash, tokenHash), isNull(observatoryTokensTable.revokedAt)));
	return row ?? null;
}

export async function touchObservatoryToken({
	db,
	programmeId,
	tokenId,
	now
}: {
	db: Db;
	programmeId: string;
	tokenId: string;
	now: Date;
}): Promise<void> {
	await db
		.update(observatoryTokensTable)
		.set({ lastUsedAt: now })
		.where(and(eq(observatoryTokensTable.programmeId, programmeId), eq(observatoryTokensTable.id, tokenId)));
}
