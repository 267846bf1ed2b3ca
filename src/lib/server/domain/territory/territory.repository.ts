import { and, asc, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { communeConnectivityTable } from '../../db/schema/connectivity.ts';
import {
	communesTable,
	epcisTable,
	formerCommunesTable,
	type Commune,
	type GeoJsonGeometry
} from '../../db/schema/territory.ts';
import type { CommuneRecord, EpciRecord, FormerCommuneRecord } from './territory.rules.ts';

/** Territory tables are reference data shared by every programme: no programme_id filter here. */

/** Names and centres of communes (distances between members, newcomers and villages). */
export async function findCommuneCentres({
	db,
	codes
}: {
	db: Db;
	codes: string[];
}): Promise<{ code: string; name: string; lat: number | null; lon: number | null }[]> {
	if (codes.length === 0) return [];
	return db
		.select({
			code: communesTable.code,
			name: communesTable.name,
			lat: communesTable.centroidLat,
			lon: communesTable.centroidLon
		})
		.from(communesTable)
		.where(inArray(communesTable.code, codes));
}

export async function findCommuneRecords({
	db,
	codes
}: {
	db: Db;
	codes: string[];
}): Promise<CommuneRecord[]> {
	if (codes.length === 0) return [];
	return db
		.select({
			code: communesTable.code,
			name: communesTable.name,
			departementCode: communesTable.departementCode,
			regionCode: communesTable.regionCode,
			arrondissementCode: communesTable.arrondissementCode,
			epciCode: communesTable.epciCode,
			population: communesTable.population,
			postalCodes: communesTable.postalCodes,
			formerCodes: communesTable.formerCodes
		})
		.from(communesTable)
		.where(inArray(communesTable.code, codes));
}

export async function findEpciRecords({ db, codes }: { db: Db; codes: string[] }): Promise<EpciRecord[]> {
	if (codes.length === 0) return [];
	return db
		.select({
			code: epcisTable.code,
			name: epcisTable.name,
			kind: epcisTable.kind,
			population: epcisTable.population
		})
		.from(epcisTable)
		.where(inArray(epcisTable.code, codes));
}

/** Former communes recorded for these current communes, or under these former codes. */
export async function findFormerCommunes({
	db,
	communeCodes = [],
	codes = []
}: {
	db: Db;
	communeCodes?: string[];
	codes?: string[];
}): Promise<FormerCommuneRecord[]> {
	const conditions: SQL[] = [];
	if (communeCodes.length) conditions.push(inArray(formerCommunesTable.communeCode, communeCodes));
	if (codes.length) conditions.push(inArray(formerCommunesTable.code, codes));
	if (conditions.length === 0) return [];
	return db
		.select({
			code: formerCommunesTable.code,
			name: formerCommunesTable.name,
			kind: formerCommunesTable.kind,
			communeCode: formerCommunesTable.communeCode
		})
		.from(formerCommunesTable)
		.where(or(...conditions));
}

export async function upsertEpcis({ db, epcis }: { db: Db; epcis: EpciRecord[] }): Promise<void> {
	if (epcis.length === 0) return;
	await db
		.insert(epcisTable)
		.values(epcis)
		.onConflictDoUpdate({
			target: epcisTable.code,
			set: {
				name: sql`excluded.name`,
				kind: sql`excluded.kind`,
				population: sql`excluded.population`,
				updatedAt: sql`now()`
			}
		});
}

export async function upsertCommunes({ db, communes }: { db: Db; communes: CommuneRecord[] }): Promise<void> {
	if (communes.length === 0) return;
	await db
		.insert(communesTable)
		.values(communes)
		.onConflictDoUpdate({
			target: communesTable.code,
			set: {
				name: sql`excluded.name`,
				departementCode: sql`excluded.departement_code`,
				regionCode: sql`excluded.region_code`,
				arrondissementCode: sql`excluded.arrondissement_code`,
				epciCode: sql`excluded.epci_code`,
				population: sql`excluded.population`,
				postalCodes: sql`excluded.postal_codes`,
				formerCodes: sql`excluded.former_codes`,
				updatedAt: sql`now()`
			}
		});
}

export async function upsertFormerCommunes({
	db,
	formerCommunes
}: {
	db: Db;
	formerCommunes: FormerCommuneRecord[];
}): Promise<void> {
	if (formerCommunes.length === 0) return;
	await db
		.insert(formerCommunesTable)
		.values(formerCommunes)
		.onConflictDoUpdate({
			target: [formerCommunesTable.code, formerCommunesTable.communeCode],
			set: { name: sql`excluded.name`, kind: sql`excluded.kind`, updatedAt: sql`now()` }
		});
}

export async function deleteFormerCommunes({
	db,
	keys
}: {
	db: Db;
	keys: { code: string; communeCode: string }[];
}): Promise<void> {
	for (const key of keys) {
		await db
			.delete(formerCommunesTable)
			.where(
				and(eq(formerCommunesTable.code, key.code), eq(formerCommunesTable.communeCode, key.communeCode))
			);
	}
}

export async function countCommunes({ db }: { db: Db }): Promise<number> {
	const [row] = await db.select({ n: count() }).from(communesTable);
	return row.n;
}

/** Stored outlines of these communes, to tell new outlines from already-current ones. */
export async function findCommuneGeometries({ db, codes }: { db: Db; codes: string[] }): Promise<
	{
		code: string;
		name: string;
		departementCode: string;
		geometry: GeoJsonGeometry | null;
		centroidLat: number | null;
	}[]
> {
	if (codes.length === 0) return [];
	return db
		.select({
			code: communesTable.code,
			name: communesTable.name,
			departementCode: communesTable.departementCode,
			geometry: communesTable.geometry,
			centroidLat: communesTable.centroidLat
		})
		.from(communesTable)
		.where(inArray(communesTable.code, codes));
}

/** Writes outlines and centroids in one statement (`UPDATE … FROM (VALUES …)`). */
export async function updateCommuneGeometries({
	db,
	source,
	rows
}: {
	db: Db;
	source: string;
	rows: { code: string; geometry: GeoJsonGeometry; lat: number; lon: number }[];
}): Promise<void> {
	if (rows.length === 0) return;
	const values = sql.join(
		rows.map((row) => sql`(${row.code}, ${JSON.stringify(row.geometry)}, ${row.lat}, ${row.lon})`),
		sql`, `
	);
	await db.execute(sql`
		update ${communesTable} as c set
			geometry = v.geometry::jsonb,
			centroid_lat = v.lat::double precision,
			centroid_lon = v.lon::double precision,
			geometry_source = ${source},
			geometry_updated_at = now(),
			updated_at = now()
		from (values ${values}) as v(code, geometry, lat, lon)
		where c.code = v.code`);
}

/** Communes of these départements that still have no outline. */
export async function countCommunesWithoutGeometry({
	db,
	departements
}: {
	db: Db;
	departements: string[];
}): Promise<number> {
	if (departements.length === 0) return 0;
	const [row] = await db
		.select({ n: count() })
		.from(communesTable)
		.where(and(inArray(communesTable.departementCode, departements), sql`${communesTable.geometry} is null`));
	return row.n;
}

export async function findImportedDepartements({ db }: { db: Db }): Promise<string[]> {
	const rows = await db
		.selectDistinct({ code: communesTable.departementCode })
		.from(communesTable)
		.orderBy(asc(communesTable.departementCode));
	return rows.map((row) => row.code);
}

export type CommuneSummary = Omit<Commune, 'geometry' | 'createdAt' | 'updatedAt'> & { hasGeometry: boolean };

export async function findCommunes({
	db,
	departements,
	search,
	codes,
	limit
}: {
	db: Db;
	departements?: string[];
	search?: string;
	codes?: string[];
	limit: number;
}): Promise<CommuneSummary[]> {
	const conditions: SQL[] = [];
	if (departements?.length) conditions.push(inArray(communesTable.departementCode, departements));
	if (codes) conditions.push(codes.length ? inArray(communesTable.code, codes) : sql`false`);
	if (search) {
		const like = `%${search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
		conditions.push(
			or(
				sql`unaccent(lower(${communesTable.name})) like unaccent(lower(${like}))`,
				sql`${communesTable.code} like ${search.replace(/[\\%_]/g, '') + '%'}`
			) as SQL
		);
	}
	return db
		.select({
			code: communesTable.code,
			name: communesTable.name,
			departementCode: communesTable.departementCode,
			regionCode: communesTable.regionCode,
			arrondissementCode: communesTable.arrondissementCode,
			epciCode: communesTable.epciCode,
			population: communesTable.population,
			postalCodes: communesTable.postalCodes,
			formerCodes: communesTable.formerCodes,
			centroidLat: communesTable.centroidLat,
			centroidLon: communesTable.centroidLon,
			geometrySource: communesTable.geometrySource,
			geometryUpdatedAt: communesTable.geometryUpdatedAt,
			aavCode: communesTable.aavCode,
			aavCategory: communesTable.aavCategory,
			cantonCode: communesTable.cantonCode,
			isCantonSeat: communesTable.isCantonSeat,
			inseeAttributesSource: communesTable.inseeAttributesSource,
			hasGeometry: sql<boolean>`${communesTable.geometry} is not null`
		})
		.from(communesTable)
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(asc(communesTable.name), asc(communesTable.code))
		.limit(limit);
}

export async function findCommuneByCode({ db, code }: { db: Db; code: string }): Promise<Commune | null> {
	const [commune] = await db.select().from(communesTable).where(eq(communesTable.code, code));
	return commune ?? null;
}

/** Per département: communes imported and how many have an outline. */
export async function countCommunesByDepartement({
	db
}: {
	db: Db;
}): Promise<{ departement: string; communes: number; withGeometry: number }[]> {
	return db
		.select({
			departement: communesTable.departementCode,
			communes: count(),
			withGeometry: count(communesTable.centroidLat)
		})
		.from(communesTable)
		.groupBy(communesTable.departementCode)
		.orderBy(asc(communesTable.departementCode));
}

/** What one département of the territory holds: counts of communes with each kind of reference data. */
export type DepartementReferenceCounts = {
	departement: string;
	communes: number;
	withOutline: number;
	withAavCategory: number;
	withCanton: number;
	withCantonSeatFlag: number;
	withConnectivity: number;
	/** Newest source files recorded (several files may have been imported: one is shown). */
	outlineSource: string | null;
	inseeSource: string | null;
};

/** Counts per département of the communes with outlines, INSEE attributes and broadband data. */
export async function countReferenceDataByDepartement({
	db,
	departements
}: {
	db: Db;
	departements: string[];
}): Promise<DepartementReferenceCounts[]> {
	if (departements.length === 0) return [];
	const c = communesTable;
	const rows = await db
		.select({
			departement: c.departementCode,
			communes: count(),
			withOutline: count(c.centroidLat),
			withAavCategory: count(c.aavCategory),
			withCanton: count(c.cantonCode),
			withCantonSeatFlag: count(c.isCantonSeat),
			withConnectivity: count(communeConnectivityTable.communeCode),
			outlineSource: sql<string | null>`max(${c.geometrySource})`,
			inseeSource: sql<string | null>`max(${c.inseeAttributesSource})`
		})
		.from(c)
		.leftJoin(communeConnectivityTable, eq(communeConnectivityTable.communeCode, c.code))
		.where(inArray(c.departementCode, departements))
		.groupBy(c.departementCode)
		.orderBy(asc(c.departementCode));
	return rows.map((row) => ({
		...row,
		communes: Number(row.communes),
		withOutline: Number(row.withOutline),
		withAavCategory: Number(row.withAavCategory),
		withCanton: Number(row.withCanton),
		withCantonSeatFlag: Number(row.withCantonSeatFlag),
		withConnectivity: Number(row.withConnectivity)
	}));
}
