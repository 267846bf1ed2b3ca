import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	communeConnectivityTable,
	communesTable,
	type CommuneConnectivity,
	type ConnectionLevel
} from '../../db/schema/index.ts';

/** Connectivity is reference data shared by every programme, like communes: no programme_id here. */

/** Every imported commune code (a few hundred per département). */
export async function findAllCommuneCodes({ db }: { db: Db }): Promise<string[]> {
	const rows = await db.select({ code: communesTable.code }).from(communesTable);
	return rows.map((row) => row.code);
}

export async function findConnectivityByCodes({
	db,
	codes
}: {
	db: Db;
	codes: string[];
}): Promise<CommuneConnectivity[]> {
	if (codes.length === 0) return [];
	return db
		.select()
		.from(communeConnectivityTable)
		.where(inArray(communeConnectivityTable.communeCode, codes));
}

export async function findConnectivity({
	db,
	communeCode
}: {
	db: Db;
	communeCode: string;
}): Promise<CommuneConnectivity | null> {
	const [row] = await db
		.select()
		.from(communeConnectivityTable)
		.where(eq(communeConnectivityTable.communeCode, communeCode));
	return row ?? null;
}

export type ImportedConnectivity = {
	communeCode: string;
	fibreShare: number | null;
	level: ConnectionLevel | null;
	source: string;
	measuredAt: string | null;
};

/** Writes imported values; overrides are left alone (they are what staff know better). */
export async function upsertImportedConnectivity({
	db,
	rows
}: {
	db: Db;
	rows: ImportedConnectivity[];
}): Promise<void> {
	if (rows.length === 0) return;
	await db
		.insert(communeConnectivityTable)
		.values(rows)
		.onConflictDoUpdate({
			target: communeConnectivityTable.communeCode,
			set: {
				fibreShare: sql`excluded.fibre_share`,
				level: sql`excluded.level`,
				source: sql`excluded.source`,
				measuredAt: sql`excluded.measured_at`,
				updatedAt: sql`now()`
			}
		});
}

export async function upsertConnectivityOverride({
	db,
	communeCode,
	overrideLevel,
	overrideNote,
	overriddenBy,
	overriddenAt
}: {
	db: Db;
	communeCode: string;
	overrideLevel: ConnectionLevel | null;
	overrideNote: string | null;
	overriddenBy: string;
	overriddenAt: Date;
}): Promise<CommuneConnectivity> {
	const values = { overrideLevel, overrideNote, overriddenBy, overriddenAt };
	const [row] = await db
		.insert(communeConnectivityTable)
		.values({ communeCode, ...values })
		.onConflictDoUpdate({
			target: communeConnectivityTable.communeCode,
			set: { ...values, updatedAt: sql`now()` }
		})
		.returning();
	return row;
}
