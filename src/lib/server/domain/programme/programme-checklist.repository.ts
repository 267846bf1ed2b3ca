import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { communesTable, membershipsTable, villagesTable } from '../../db/schema/index.ts';

/** Queries of the admin's first-steps checklist; each filters by the programme. */

/** Communes of the programme's départements, and how many have no outline yet (communes are shared reference data). */
export async function countTerritoryOutlines({
	db,
	departements
}: {
	db: Db;
	departements: string[];
}): Promise<{ communes: number; withoutOutline: number }> {
	if (departements.length === 0) return { communes: 0, withoutOutline: 0 };
	const inTerritory = inArray(communesTable.departementCode, departements);
	const [all] = await db.select({ n: count() }).from(communesTable).where(inTerritory);
	const [missing] = await db
		.select({ n: count() })
		.from(communesTable)
		.where(and(inTerritory, isNull(communesTable.geometry)));
	return { communes: Number(all.n), withoutOutline: Number(missing.n) };
}

export async function hasPartnerVillage({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<boolean> {
	const [row] = await db
		.select({ id: villagesTable.id })
		.from(villagesTable)
		.where(and(eq(villagesTable.programmeId, programmeId), eq(villagesTable.status, 'partner')))
		.limit(1);
	return Boolean(row);
}

/** Accounts of the programme's team: staff, committee members and partners (not members or candidates). */
export async function countTeamAccounts({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(membershipsTable)
		.where(
			and(
				eq(membershipsTable.programmeId, programmeId),
				eq(membershipsTable.status, 'active'),
				inArray(membershipsTable.role, ['admin', 'advisor', 'committee', 'partner'])
			)
		);
	return Number(row.n);
}
