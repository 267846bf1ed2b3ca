import { and, asc, count, eq, gt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	communesTable,
	offersTable,
	programmesTable,
	villagesTable,
	workspacesTable,
	type OfferKind,
	type WorkspaceKind
} from '../../db/schema/index.ts';
import { containsPattern } from './portal.rules.ts';

/**
 * Accent- and case-insensitive "contains every term" over a text expression: unaccent()
 * on both sides, then ILIKE, so the match does not depend on the database's collation
 * (PGlite and PostgreSQL images differ) and "eauze", "ÉAUZE" and "Éauze" are equal.
 */
function matchesAll(text: SQL, terms: readonly string[]): SQL {
	return and(...terms.map((term) => sql`unaccent(${text}) ilike unaccent(${containsPattern(term)})`))!;
}

/** The first term found in the name ranks a record first ("eauze" → Éauze before villages near Éauze). */
function nameRank(name: SQL | typeof communesTable.name, terms: readonly string[]): SQL<number> {
	return sql<number>`case when unaccent(${name}) ilike unaccent(${containsPattern(terms[0])}) then 0 else 1 end`;
}

export type VillageHitRow = {
	slug: string;
	name: string;
	population: number | null;
	presentationFr: string | null;
	presentationEn: string | null;
	isDemo: boolean;
};

/** Partner villages whose name or presentation (in either language) holds every term. */
export async function findVillageHits({
	db,
	programmeId,
	terms,
	limit
}: {
	db: Db;
	programmeId: string;
	terms: readonly string[];
	limit: number;
}): Promise<VillageHitRow[]> {
	const text = sql`concat_ws(' ', ${communesTable.name}, ${villagesTable.presentationFr}, ${villagesTable.presentationEn})`;
	return db
		.select({
			slug: villagesTable.slug,
			name: communesTable.name,
			population: communesTable.population,
			presentationFr: villagesTable.presentationFr,
			presentationEn: villagesTable.presentationEn,
			isDemo: villagesTable.isDemo
		})
		.from(villagesTable)
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.where(
			and(
				eq(villagesTable.programmeId, programmeId),
				eq(villagesTable.status, 'partner'),
				matchesAll(text, terms)
			)
		)
		.orderBy(nameRank(communesTable.name, terms), asc(communesTable.name))
		.limit(limit);
}

export type WorkspaceHitRow = {
	slug: string;
	name: string;
	kind: WorkspaceKind;
	communeName: string;
	descriptionFr: string | null;
	descriptionEn: string | null;
	isDemo: boolean;
};

/** Workspaces whose name, commune, equipment or description holds every term. */
export async function findWorkspaceHits({
	db,
	programmeId,
	terms,
	limit
}: {
	db: Db;
	programmeId: string;
	terms: readonly string[];
	limit: number;
}): Promise<WorkspaceHitRow[]> {
	const text = sql`concat_ws(' ', ${workspacesTable.name}, ${communesTable.name}, ${workspacesTable.equipment}::text, ${workspacesTable.connection}, ${workspacesTable.descriptionFr}, ${workspacesTable.descriptionEn})`;
	return db
		.select({
			slug: workspacesTable.slug,
			name: workspacesTable.name,
			kind: workspacesTable.kind,
			communeName: communesTable.name,
			descriptionFr: workspacesTable.descriptionFr,
			descriptionEn: workspacesTable.descriptionEn,
			isDemo: workspacesTable.isDemo
		})
		.from(workspacesTable)
		.innerJoin(communesTable, eq(communesTable.code, workspacesTable.communeCode))
		.where(and(eq(workspacesTable.programmeId, programmeId), matchesAll(text, terms)))
		.orderBy(
			nameRank(sql`concat_ws(' ', ${workspacesTable.name}, ${communesTable.name})`, terms),
			asc(workspacesTable.name)
		)
		.limit(limit);
}

export type OfferHitRow = {
	id: string;
	kind: OfferKind;
	titleFr: string;
	titleEn: string | null;
	descriptionFr: string | null;
	descriptionEn: string | null;
	communeCode: string;
	communeName: string;
	price: number | null;
	surfaceM2: number | null;
	sector: string | null;
	areaLabel: string | null;
	isAnonymised: boolean;
	isDemo: boolean;
};

/**
 * Public offers (available, published, not expired at `now`) holding every term. An
 * anonymised takeover is searched on its public fields only (sector, area): matching
 * its title, description or commune would reveal what the listing hides.
 */
export async function findOfferHits({
	db,
	programmeId,
	terms,
	now,
	limit
}: {
	db: Db;
	programmeId: string;
	terms: readonly string[];
	now: Date;
	limit: number;
}): Promise<OfferHitRow[]> {
	const text = sql`case when ${offersTable.isAnonymised}
		then concat_ws(' ', ${offersTable.sector}, ${offersTable.areaLabel})
		else concat_ws(' ', ${offersTable.titleFr}, ${offersTable.titleEn}, ${communesTable.name}, ${offersTable.sector}, ${offersTable.areaLabel}, ${offersTable.descriptionFr}, ${offersTable.descriptionEn})
	end`;
	return db
		.select({
			id: offersTable.id,
			kind: offersTable.kind,
			titleFr: offersTable.titleFr,
			titleEn: offersTable.titleEn,
			descriptionFr: offersTable.descriptionFr,
			descriptionEn: offersTable.descriptionEn,
			communeCode: offersTable.communeCode,
			communeName: communesTable.name,
			price: offersTable.price,
			surfaceM2: offersTable.surfaceM2,
			sector: offersTable.sector,
			areaLabel: offersTable.areaLabel,
			isAnonymised: offersTable.isAnonymised,
			isDemo: offersTable.isDemo
		})
		.from(offersTable)
		.innerJoin(communesTable, eq(communesTable.code, offersTable.communeCode))
		.where(
			and(
				eq(offersTable.programmeId, programmeId),
				eq(offersTable.status, 'available'),
				lte(offersTable.publishedAt, now),
				gt(offersTable.expiresAt, now),
				matchesAll(text, terms)
			)
		)
		.orderBy(sql`${offersTable.publishedAt} desc`, asc(offersTable.id))
		.limit(limit);
}

/** The counts behind the home page's key figures (see PortalKeyFigures). */
export async function countKeyFigures({
	db,
	programmeId,
	now
}: {
	db: Db;
	programmeId: string;
	now: Date;
}): Promise<{ partnerVillages: number; workspaces: number; availableOffers: number }> {
	const [villages] = await db
		.select({ n: count() })
		.from(villagesTable)
		.where(and(eq(villagesTable.programmeId, programmeId), eq(villagesTable.status, 'partner')));
	const [workspaces] = await db
		.select({ n: count() })
		.from(workspacesTable)
		.where(eq(workspacesTable.programmeId, programmeId));
	const [offers] = await db
		.select({ n: count() })
		.from(offersTable)
		.where(
			and(
				eq(offersTable.programmeId, programmeId),
				eq(offersTable.status, 'available'),
				lte(offersTable.publishedAt, now),
				gt(offersTable.expiresAt, now)
			)
		);
	return {
		partnerVillages: Number(villages?.n ?? 0),
		workspaces: Number(workspaces?.n ?? 0),
		availableOffers: Number(offers?.n ?? 0)
	};
}

/** The metropole's INSEE code and, when its commune is imported, its name. */
export async function findMetropole({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ code: string | null; name: string | null } | null> {
	const [row] = await db
		.select({ code: programmesTable.metropoleCode, name: communesTable.name })
		.from(programmesTable)
		.leftJoin(communesTable, eq(communesTable.code, programmesTable.metropoleCode))
		.where(eq(programmesTable.id, programmeId));
	return row ?? null;
}
