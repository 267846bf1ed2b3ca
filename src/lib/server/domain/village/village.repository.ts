import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	communeConnectivityTable,
	communesTable,
	epcisTable,
	offersTable,
	programmesTable,
	usersTable,
	villageCommitteeMembersTable,
	villagesTable,
	type CommitteeRole,
	type ConnectionLevel,
	type Village
} from '../../db/schema/index.ts';
import { likePattern } from './village.rules.ts';

/** The villages a user sits on the committee of (a committee member's scope). */
export async function findCommitteeVillageIds({ db, userId }: { db: Db; userId: string }): Promise<string[]> {
	const rows = await db
		.select({ villageId: villageCommitteeMembersTable.villageId })
		.from(villageCommitteeMembersTable)
		.where(eq(villageCommitteeMembersTable.userId, userId));
	return rows.map((row) => row.villageId);
}

export async function findVillageById({
	db,
	programmeId,
	villageId
}: {
	db: Db;
	programmeId: string;
	villageId: string;
}): Promise<Village | null> {
	const [village] = await db
		.select()
		.from(villagesTable)
		.where(and(eq(villagesTable.id, villageId), eq(villagesTable.programmeId, programmeId)));
	return village ?? null;
}

/**
 * A village of whichever programme, for operators who act without an actor and name the
 * village alone (the demo seed seating committee members): its own `programmeId` then scopes
 * what follows. Anything acting for a person uses `findVillageById`.
 */
export async function findVillageForOperator({
	db,
	villageId
}: {
	db: Db;
	villageId: string;
}): Promise<Village | null> {
	const [village] = await db.select().from(villagesTable).where(eq(villagesTable.id, villageId));
	return village ?? null;
}

export async function findVillageByCommune({
	db,
	programmeId,
	communeCode
}: {
	db: Db;
	programmeId: string;
	communeCode: string;
}): Promise<Village | null> {
	const [village] = await db
		.select()
		.from(villagesTable)
		.where(and(eq(villagesTable.programmeId, programmeId), eq(villagesTable.communeCode, communeCode)));
	return village ?? null;
}

export async function findVillageBySlug({
	db,
	programmeId,
	slug
}: {
	db: Db;
	programmeId: string;
	slug: string;
}): Promise<Village | null> {
	const [village] = await db
		.select()
		.from(villagesTable)
		.where(and(eq(villagesTable.programmeId, programmeId), eq(villagesTable.slug, slug)));
	return village ?? null;
}

export async function insertVillage({
	db,
	village
}: {
	db: Db;
	village: typeof villagesTable.$inferInsert;
}): Promise<Village> {
	const [created] = await db.insert(villagesTable).values(village).returning();
	return created;
}

export async function updateVillageRow({
	db,
	programmeId,
	villageId,
	values
}: {
	db: Db;
	programmeId: string;
	villageId: string;
	values: Partial<typeof villagesTable.$inferInsert>;
}): Promise<Village> {
	const [updated] = await db
		.update(villagesTable)
		.set(values)
		.where(and(eq(villagesTable.programmeId, programmeId), eq(villagesTable.id, villageId)))
		.returning();
	return updated;
}

export async function upsertCommitteeMember({
	db,
	villageId,
	userId,
	committeeRole,
	isContact
}: {
	db: Db;
	villageId: string;
	userId: string;
	committeeRole: CommitteeRole;
	isContact: boolean;
}): Promise<void> {
	if (isContact) {
		// One contact per committee: the new contact replaces the previous one.
		await db
			.update(villageCommitteeMembersTable)
			.set({ isContact: false })
			.where(eq(villageCommitteeMembersTable.villageId, villageId));
	}
	await db
		.insert(villageCommitteeMembersTable)
		.values({ villageId, userId, committeeRole, isContact })
		.onConflictDoUpdate({
			target: [villageCommitteeMembersTable.villageId, villageCommitteeMembersTable.userId],
			set: { committeeRole, isContact, updatedAt: sql`now()` }
		});
}

/** Each village's contact member (name, email), for the villages that have one. */
export async function findContactMembers({
	db,
	villageIds
}: {
	db: Db;
	villageIds: string[];
}): Promise<Map<string, { userId: string; name: string; email: string; locale: 'fr' | 'en' }>> {
	if (villageIds.length === 0) return new Map();
	const rows = await db
		.select({
			villageId: villageCommitteeMembersTable.villageId,
			userId: usersTable.id,
			name: usersTable.name,
			email: usersTable.email,
			locale: usersTable.locale
		})
		.from(villageCommitteeMembersTable)
		.innerJoin(usersTable, eq(usersTable.id, villageCommitteeMembersTable.userId))
		.where(
			and(
				inArray(villageCommitteeMembersTable.villageId, villageIds),
				eq(villageCommitteeMembersTable.isContact, true)
			)
		);
	return new Map(rows.map(({ villageId, ...member }) => [villageId, member]));
}

/**
 * Where the programme's metropole is: the stored position, else the centroid of the
 * commune `metropole_code` when it is imported. Null when neither is known.
 */
export async function findProgrammeMetropole({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ lat: number; lon: number } | null> {
	const [row] = await db
		.select({
			lat: sql<number | null>`coalesce(${programmesTable.metropoleLat}, ${communesTable.centroidLat})`,
			lon: sql<number | null>`coalesce(${programmesTable.metropoleLon}, ${communesTable.centroidLon})`
		})
		.from(programmesTable)
		.leftJoin(communesTable, eq(communesTable.code, programmesTable.metropoleCode))
		.where(eq(programmesTable.id, programmeId));
	if (!row || row.lat === null || row.lon === null) return null;
	return { lat: Number(row.lat), lon: Number(row.lon) };
}

export async function updateProgrammeMetropole({
	db,
	programmeId,
	lat,
	lon
}: {
	db: Db;
	programmeId: string;
	lat: number;
	lon: number;
}): Promise<void> {
	await db
		.update(programmesTable)
		.set({ metropoleLat: lat, metropoleLon: lon })
		.where(eq(programmesTable.id, programmeId));
}

/** A village with what its public page shows of its commune, broadband and offers. */
export type VillageRow = Village & {
	name: string;
	population: number | null;
	departementCode: string;
	epciName: string | null;
	centroidLat: number | null;
	centroidLon: number | null;
	connectionLevel: ConnectionLevel | null;
	fibreShare: number | null;
	offerCount: number;
};

/**
 * Villages of a programme with their commune, EPCI, effective broadband level and
 * number of public offers (available, published, not expired at `now`). Filters that
 * SQL does well are applied here; distance and services are applied by the service.
 */
export async function findVillageRows({
	db,
	programmeId,
	now,
	isPartnerOnly = false,
	connectionLevels = [],
	search,
	slug
}: {
	db: Db;
	programmeId: string;
	now: Date;
	isPartnerOnly?: boolean;
	connectionLevels?: ConnectionLevel[];
	search?: string;
	slug?: string;
}): Promise<VillageRow[]> {
	const effectiveLevel = sql<ConnectionLevel | null>`coalesce(${communeConnectivityTable.overrideLevel}, ${communeConnectivityTable.level})`;
	const conditions: SQL[] = [eq(villagesTable.programmeId, programmeId)];
	if (isPartnerOnly) conditions.push(eq(villagesTable.status, 'partner'));
	if (connectionLevels.length) conditions.push(inArray(effectiveLevel, connectionLevels));
	if (search) {
		// unaccent on both sides: 'simorré', 'SIMORRE' and 'Simorre' find Simorre.
		conditions.push(sql`unaccent(lower(${communesTable.name})) like unaccent(lower(${likePattern(search)}))`);
	}
	if (slug) conditions.push(eq(villagesTable.slug, slug));
	const offerCount = sql<number>`(
		select cast(count(*) as int) from ${offersTable} o
		where o.programme_id = ${villagesTable.programmeId}
			and (o.village_id = ${villagesTable.id} or o.commune_code = ${villagesTable.communeCode})
			and o.status = 'available'
			and o.published_at <= ${now.toISOString()}::timestamptz
			and o.expires_at > ${now.toISOString()}::timestamptz
	)`;
	const rows = await db
		.select({
			village: villagesTable,
			name: communesTable.name,
			population: communesTable.population,
			departementCode: communesTable.departementCode,
			epciName: epcisTable.name,
			centroidLat: communesTable.centroidLat,
			centroidLon: communesTable.centroidLon,
			connectionLevel: effectiveLevel,
			fibreShare: communeConnectivityTable.fibreShare,
			offerCount
		})
		.from(villagesTable)
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.leftJoin(epcisTable, eq(epcisTable.code, communesTable.epciCode))
		.leftJoin(communeConnectivityTable, eq(communeConnectivityTable.communeCode, villagesTable.communeCode))
		.where(and(...conditions))
		.orderBy(asc(communesTable.name));
	return rows.map(({ village, ...rest }) => ({
		...village,
		...rest,
		fibreShare: rest.fibreShare === null ? null : Number(rest.fibreShare),
		offerCount: Number(rest.offerCount)
	}));
}

export type CommitteeMemberRow = {
	userId: string;
	name: string;
	email: string;
	committeeRole: CommitteeRole;
	isContact: boolean;
};

/** The members of a village's welcome committee, the contact first, then by name. */
export async function findCommitteeMembers({
	db,
	villageId
}: {
	db: Db;
	villageId: string;
}): Promise<CommitteeMemberRow[]> {
	return db
		.select({
			userId: usersTable.id,
			name: usersTable.name,
			email: usersTable.email,
			committeeRole: villageCommitteeMembersTable.committeeRole,
			isContact: villageCommitteeMembersTable.isContact
		})
		.from(villageCommitteeMembersTable)
		.innerJoin(usersTable, eq(usersTable.id, villageCommitteeMembersTable.userId))
		.where(eq(villageCommitteeMembersTable.villageId, villageId))
		.orderBy(desc(villageCommitteeMembersTable.isContact), asc(usersTable.name));
}

/** The communes already villages of the programme (any status): they cannot join twice. */
export async function findVillageCommuneCodes({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<string[]> {
	const rows = await db
		.select({ code: villagesTable.communeCode })
		.from(villagesTable)
		.where(eq(villagesTable.programmeId, programmeId));
	return rows.map((row) => row.code);
}
