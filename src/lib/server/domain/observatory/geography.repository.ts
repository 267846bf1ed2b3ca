import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { communesTable } from '../../db/schema/territory.ts';
import { programmesTable, villagesTable } from '../../db/schema/index.ts';
import type { GeoCommune } from './geography.rules.ts';
import type { AreaGeometry } from '../../../domain/map.ts';

/**
 * The communes of the programme's territory (its départements) with what the geography reads:
 * population, centroid, INSEE attributes and outline. Communes are reference data shared by
 * programmes; the programme decides which départements are read.
 */
export async function findTerritoryCommunes({
	db,
	departements
}: {
	db: Db;
	departements: string[];
}): Promise<GeoCommune[]> {
	if (departements.length === 0) return [];
	const rows = await db
		.select({
			code: communesTable.code,
			name: communesTable.name,
			population: communesTable.population,
			lat: communesTable.centroidLat,
			lon: communesTable.centroidLon,
			aavCategory: communesTable.aavCategory,
			isCantonSeat: communesTable.isCantonSeat,
			geometry: communesTable.geometry
		})
		.from(communesTable)
		.where(inArray(communesTable.departementCode, departements))
		.orderBy(communesTable.code);
	return rows.map((row) => ({ ...row, geometry: (row.geometry as AreaGeometry | null) ?? null }));
}

/** INSEE codes of the programme's partner villages (former partners and prospects are left out). */
export async function findPartnerVillageCodes({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<string[]> {
	const rows = await db
		.select({ code: villagesTable.communeCode })
		.from(villagesTable)
		.where(and(eq(villagesTable.programmeId, programmeId), eq(villagesTable.status, 'partner')));
	return rows.map((row) => row.code);
}

/** The centroid of the programme's metropole commune, when that commune is imported. */
export async function findMetropoleCommune({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ code: string; name: string; lat: number | null; lon: number | null } | null> {
	const [row] = await db
		.select({
			code: communesTable.code,
			name: communesTable.name,
			lat: communesTable.centroidLat,
			lon: communesTable.centroidLon
		})
		.from(programmesTable)
		.innerJoin(communesTable, eq(communesTable.code, programmesTable.metropoleCode))
		.where(and(eq(programmesTable.id, programmeId), ne(programmesTable.metropoleCode, '')));
	return row ?? null;
}
