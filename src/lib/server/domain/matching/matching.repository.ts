import { and, asc, eq, gt, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	caseNeedsTable,
	caseSavedSuggestionsTable,
	casesTable,
	communeConnectivityTable,
	communesTable,
	memberProfilesTable,
	membershipsTable,
	offersTable,
	programmeMatchingWeightsTable,
	programmesTable,
	villagesTable,
	workspacesTable,
	type CaseNeedsRow
} from '../../db/schema/index.ts';
import type { MatchingWeights } from '../../../domain/matching/matching.ts';

export async function findNeeds({ db, caseId }: { db: Db; caseId: string }): Promise<CaseNeedsRow | null> {
	const [row] = await db.select().from(caseNeedsTable).where(eq(caseNeedsTable.caseId, caseId));
	return row ?? null;
}

export async function upsertNeeds({
	db,
	values
}: {
	db: Db;
	values: typeof caseNeedsTable.$inferInsert;
}): Promise<CaseNeedsRow> {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { caseId, programmeId, ...update } = values;
	const [row] = await db
		.insert(caseNeedsTable)
		.values(values)
		.onConflictDoUpdate({ target: caseNeedsTable.caseId, set: { ...update, updatedAt: new Date() } })
		.returning();
	return row;
}

export async function findSavedSuggestions({ db, caseId }: { db: Db; caseId: string }) {
	return db
		.select({
			villageId: caseSavedSuggestionsTable.villageId,
			slug: villagesTable.slug,
			communeCode: villagesTable.communeCode,
			name: communesTable.name,
			savedAt: caseSavedSuggestionsTable.savedAt
		})
		.from(caseSavedSuggestionsTable)
		.innerJoin(villagesTable, eq(villagesTable.id, caseSavedSuggestionsTable.villageId))
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.where(eq(caseSavedSuggestionsTable.caseId, caseId))
		.orderBy(asc(caseSavedSuggestionsTable.savedAt), asc(caseSavedSuggestionsTable.villageId));
}

export async function insertSavedSuggestion({
	db,
	values
}: {
	db: Db;
	values: typeof caseSavedSuggestionsTable.$inferInsert;
}): Promise<boolean> {
	const rows = await db.insert(caseSavedSuggestionsTable).values(values).onConflictDoNothing().returning();
	return rows.length > 0;
}

export async function deleteSavedSuggestion({
	db,
	caseId,
	villageId
}: {
	db: Db;
	caseId: string;
	villageId: string;
}): Promise<boolean> {
	const rows = await db
		.delete(caseSavedSuggestionsTable)
		.where(
			and(eq(caseSavedSuggestionsTable.caseId, caseId), eq(caseSavedSuggestionsTable.villageId, villageId))
		)
		.returning();
	return rows.length > 0;
}

export async function findPartnerVillage({
	db,
	programmeId,
	villageId
}: {
	db: Db;
	programmeId: string;
	villageId: string;
}) {
	const [row] = await db
		.select({ id: villagesTable.id, slug: villagesTable.slug, communeCode: villagesTable.communeCode })
		.from(villagesTable)
		.where(
			and(
				eq(villagesTable.programmeId, programmeId),
				eq(villagesTable.id, villageId),
				eq(villagesTable.status, 'partner')
			)
		);
	return row ?? null;
}

export async function findWeights({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<MatchingWeights | null> {
	const [row] = await db
		.select({ weights: programmeMatchingWeightsTable.weights })
		.from(programmeMatchingWeightsTable)
		.where(eq(programmeMatchingWeightsTable.programmeId, programmeId));
	return row?.weights ?? null;
}

export async function upsertWeights({
	db,
	programmeId,
	weights,
	userId
}: {
	db: Db;
	programmeId: string;
	weights: MatchingWeights;
	userId: string;
}): Promise<void> {
	await db
		.insert(programmeMatchingWeightsTable)
		.values({ programmeId, weights, updatedBy: userId })
		.onConflictDoUpdate({
			target: programmeMatchingWeightsTable.programmeId,
			set: { weights, updatedBy: userId, updatedAt: new Date() }
		});
}

/** The programme's territory and metropole: what the ranking's communes are drawn from. */
export async function findProgrammeTerritory({ db, programmeId }: { db: Db; programmeId: string }) {
	const [row] = await db
		.select({
			departements: programmesTable.departements,
			metropoleCode: programmesTable.metropoleCode,
			metropoleLat: programmesTable.metropoleLat,
			metropoleLon: programmesTable.metropoleLon
		})
		.from(programmesTable)
		.where(eq(programmesTable.id, programmeId));
	if (!row) return null;
	let metropole =
		row.metropoleLat !== null && row.metropoleLon !== null
			? { lat: row.metropoleLat, lon: row.metropoleLon }
			: null;
	if (!metropole && row.metropoleCode) {
		const [commune] = await db
			.select({ lat: communesTable.centroidLat, lon: communesTable.centroidLon })
			.from(communesTable)
			.where(eq(communesTable.code, row.metropoleCode));
		if (commune?.lat != null && commune.lon != null) metropole = { lat: commune.lat, lon: commune.lon };
	}
	return { departements: row.departements, metropole };
}

/** The communes of some départements with their broadband level and, for villages of the programme, their services. */
export async function findMatchingCommunes({
	db,
	programmeId,
	departements,
	villagesAnd
}: {
	db: Db;
	programmeId: string;
	departements: string[];
	/**
	 * Only the programme's village communes (the only ones whose schools and station are known)
	 * and these communes: enough to prepare these, much less to read than the whole territory.
	 */
	villagesAnd?: string[];
}) {
	if (!departements.length) return [];
	return db
		.select({
			code: communesTable.code,
			name: communesTable.name,
			lat: communesTable.centroidLat,
			lon: communesTable.centroidLon,
			level: communeConnectivityTable.level,
			overrideLevel: communeConnectivityTable.overrideLevel,
			villageId: villagesTable.id,
			villageSlug: villagesTable.slug,
			villageStatus: villagesTable.status,
			services: villagesTable.services
		})
		.from(communesTable)
		.leftJoin(communeConnectivityTable, eq(communeConnectivityTable.communeCode, communesTable.code))
		.leftJoin(
			villagesTable,
			and(eq(villagesTable.communeCode, communesTable.code), eq(villagesTable.programmeId, programmeId))
		)
		.where(
			and(
				inArray(communesTable.departementCode, departements),
				villagesAnd
					? villagesAnd.length
						? or(isNotNull(villagesTable.id), inArray(communesTable.code, villagesAnd))
						: isNotNull(villagesTable.id)
					: undefined
			)
		)
		.orderBy(asc(communesTable.code));
}

/** Offers a candidate may see in the programme: available, published, not expired. */
export async function findMatchableOffers({
	db,
	programmeId,
	now
}: {
	db: Db;
	programmeId: string;
	now: Date;
}) {
	return db
		.select({
			id: offersTable.id,
			kind: offersTable.kind,
			communeCode: offersTable.communeCode,
			villageId: offersTable.villageId,
			price: offersTable.price,
			rooms: offersTable.rooms,
			surfaceM2: offersTable.surfaceM2,
			titleFr: offersTable.titleFr,
			titleEn: offersTable.titleEn
		})
		.from(offersTable)
		.where(
			and(
				eq(offersTable.programmeId, programmeId),
				eq(offersTable.status, 'available'),
				lte(offersTable.publishedAt, now),
				gt(offersTable.expiresAt, now)
			)
		)
		.orderBy(asc(offersTable.id));
}

export async function findMatchableWorkspaces({ db, programmeId }: { db: Db; programmeId: string }) {
	return db
		.select({
			id: workspacesTable.id,
			kind: workspacesTable.kind,
			name: workspacesTable.name,
			slug: workspacesTable.slug,
			communeCode: workspacesTable.communeCode
		})
		.from(workspacesTable)
		.where(eq(workspacesTable.programmeId, programmeId))
		.orderBy(asc(workspacesTable.id));
}

/**
 * The languages of the programme's members and ambassadors by the commune they live in (their
 * profile's commune, else their household's installation commune), for the languages criterion:
 * counted, never named. Only what each lets the programme see: their languages when that field
 * is not hidden, an ambassador's welcome languages (offered to the programme), and nobody whose
 * commune is hidden or whose account is no longer active (left, erased). In profile order.
 */
export async function findLanguageSpeakers({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ communeCode: string; languages: string[] }[]> {
	const isShown = (field: 'languages' | 'commune') =>
		sql`coalesce(${memberProfilesTable.visibility} ->> ${field}, 'hidden') <> 'hidden'`;
	const rows = await db
		.select({
			communeCode: sql<
				string | null
			>`coalesce(${memberProfilesTable.communeCode}, ${casesTable.installedCommuneCode})`,
			languages: sql<
				string[]
			>`case when ${isShown('languages')} then ${memberProfilesTable.languages} else '[]'::jsonb end`,
			isAmbassador: memberProfilesTable.isAmbassador,
			ambassadorLanguages: memberProfilesTable.ambassadorLanguages
		})
		.from(memberProfilesTable)
		.innerJoin(
			membershipsTable,
			and(
				eq(membershipsTable.userId, memberProfilesTable.userId),
				eq(membershipsTable.programmeId, memberProfilesTable.programmeId),
				eq(membershipsTable.status, 'active')
			)
		)
		.leftJoin(
			casesTable,
			and(eq(casesTable.id, memberProfilesTable.caseId), eq(casesTable.programmeId, programmeId))
		)
		.where(and(eq(memberProfilesTable.programmeId, programmeId), isShown('commune')))
		.orderBy(asc(memberProfilesTable.id));
	return rows.flatMap((row) => {
		const languages = [
			...new Set(
				[...row.languages, ...(row.isAmbassador ? row.ambassadorLanguages : [])].map((code) =>
					code.trim().toLowerCase()
				)
			)
		].filter(Boolean);
		return row.communeCode && languages.length ? [{ communeCode: row.communeCode, languages }] : [];
	});
}
