import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	ambassadorPairingsTable,
	casesTable,
	communesTable,
	memberProfilesTable,
	personsTable,
	type AmbassadorPairing,
	type MemberProfile
} from '../../db/schema/index.ts';

export type AmbassadorRow = MemberProfile & {
	communeName: string | null;
	lat: number | null;
	lon: number | null;
	openPairings: number;
};

/** Members of the programme who volunteer as ambassadors, with their commune's centre and load. */
export async function findVolunteerAmbassadors({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<AmbassadorRow[]> {
	const open = db
		.select({
			profileId: ambassadorPairingsTable.ambassadorProfileId,
			count: sql<number>`count(*)::int`.as('count')
		})
		.from(ambassadorPairingsTable)
		.where(
			and(
				eq(ambassadorPairingsTable.programmeId, programmeId),
				inArray(ambassadorPairingsTable.status, ['proposed', 'active'])
			)
		)
		.groupBy(ambassadorPairingsTable.ambassadorProfileId)
		.as('open');
	const rows = await db
		.select({
			profile: memberProfilesTable,
			communeName: communesTable.name,
			lat: communesTable.centroidLat,
			lon: communesTable.centroidLon,
			openPairings: open.count
		})
		.from(memberProfilesTable)
		.leftJoin(communesTable, eq(communesTable.code, memberProfilesTable.communeCode))
		.leftJoin(open, eq(open.profileId, memberProfilesTable.id))
		.where(and(eq(memberProfilesTable.programmeId, programmeId), eq(memberProfilesTable.isAmbassador, true)));
	return rows.map((row) => ({
		...row.profile,
		communeName: row.communeName,
		lat: row.lat,
		lon: row.lon,
		openPairings: Number(row.openPairings ?? 0)
	}));
}

export async function findAmbassadorProfile({
	db,
	programmeId,
	profileId
}: {
	db: Db;
	programmeId: string;
	profileId: string;
}): Promise<MemberProfile | null> {
	const [row] = await db
		.select()
		.from(memberProfilesTable)
		.where(and(eq(memberProfilesTable.id, profileId), eq(memberProfilesTable.programmeId, programmeId)));
	return row ?? null;
}

export async function insertPairing({
	db,
	values
}: {
	db: Db;
	values: typeof ambassadorPairingsTable.$inferInsert;
}): Promise<AmbassadorPairing> {
	const [row] = await db.insert(ambassadorPairingsTable).values(values).returning();
	return row;
}

export async function findPairingById({
	db,
	programmeId,
	pairingId
}: {
	db: Db;
	programmeId: string;
	pairingId: string;
}): Promise<AmbassadorPairing | null> {
	const [row] = await db
		.select()
		.from(ambassadorPairingsTable)
		.where(
			and(eq(ambassadorPairingsTable.id, pairingId), eq(ambassadorPairingsTable.programmeId, programmeId))
		)
		.for('update');
	return row ?? null;
}

export async function findOpenPairing({
	db,
	programmeId,
	caseId,
	ambassadorProfileId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
	ambassadorProfileId: string;
}): Promise<AmbassadorPairing | null> {
	const [row] = await db
		.select()
		.from(ambassadorPairingsTable)
		.where(
			and(
				eq(ambassadorPairingsTable.programmeId, programmeId),
				eq(ambassadorPairingsTable.caseId, caseId),
				eq(ambassadorPairingsTable.ambassadorProfileId, ambassadorProfileId),
				inArray(ambassadorPairingsTable.status, ['proposed', 'active'])
			)
		);
	return row ?? null;
}

export async function updatePairing({
	db,
	pairingId,
	values
}: {
	db: Db;
	pairingId: string;
	values: Partial<typeof ambassadorPairingsTable.$inferInsert>;
}): Promise<AmbassadorPairing> {
	const [row] = await db
		.update(ambassadorPairingsTable)
		.set({ ...values, updatedAt: new Date() })
		.where(eq(ambassadorPairingsTable.id, pairingId))
		.returning();
	return row;
}

export type CasePairingRow = AmbassadorPairing & {
	ambassadorName: string;
	ambassadorCommuneName: string | null;
};

/** The pairings of a household, newest first. */
export async function findPairingsOfCase({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
}): Promise<CasePairingRow[]> {
	const rows = await db
		.select({
			pairing: ambassadorPairingsTable,
			ambassadorName: memberProfilesTable.displayName,
			ambassadorCommuneName: communesTable.name
		})
		.from(ambassadorPairingsTable)
		.innerJoin(memberProfilesTable, eq(memberProfilesTable.id, ambassadorPairingsTable.ambassadorProfileId))
		.leftJoin(communesTable, eq(communesTable.code, memberProfilesTable.communeCode))
		.where(
			and(eq(ambassadorPairingsTable.programmeId, programmeId), eq(ambassadorPairingsTable.caseId, caseId))
		)
		.orderBy(desc(ambassadorPairingsTable.createdAt));
	return rows.map((row) => ({
		...row.pairing,
		ambassadorName: row.ambassadorName,
		ambassadorCommuneName: row.ambassadorCommuneName
	}));
}

export type AmbassadorPairingRow = AmbassadorPairing & {
	caseReference: string;
	newcomerFirstName: string | null;
	newcomerLastName: string | null;
	newcomerLanguages: string[];
};

/** The pairings of an ambassador (their timeline), newest first, with the newcomer's first name. */
export async function findPairingsOfAmbassador({
	db,
	programmeId,
	ambassadorProfileId
}: {
	db: Db;
	programmeId: string;
	ambassadorProfileId: string;
}): Promise<AmbassadorPairingRow[]> {
	const rows = await db
		.select({
			pairing: ambassadorPairingsTable,
			caseReference: casesTable.reference,
			firstName: personsTable.firstName,
			lastName: personsTable.lastName,
			languages: personsTable.languages
		})
		.from(ambassadorPairingsTable)
		.innerJoin(casesTable, eq(casesTable.id, ambassadorPairingsTable.caseId))
		.leftJoin(
			personsTable,
			and(eq(personsTable.caseId, casesTable.id), eq(personsTable.householdRole, 'candidate'))
		)
		.where(
			and(
				eq(ambassadorPairingsTable.programmeId, programmeId),
				eq(ambassadorPairingsTable.ambassadorProfileId, ambassadorProfileId)
			)
		)
		.orderBy(desc(ambassadorPairingsTable.createdAt));
	return rows.map((row) => ({
		...row.pairing,
		caseReference: row.caseReference,
		newcomerFirstName: row.firstName,
		newcomerLastName: row.lastName,
		newcomerLanguages: row.languages ?? []
	}));
}
