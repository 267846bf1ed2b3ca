import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	consentsTable,
	memberProfilesTable,
	personsTable,
	type Consent
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id. */

export async function insertConsents({
	db,
	values
}: {
	db: Db;
	values: (typeof consentsTable.$inferInsert)[];
}): Promise<Consent[]> {
	if (values.length === 0) return [];
	return db.insert(consentsTable).values(values).returning();
}

/** Consents still in force for these purposes of a person, so they can be withdrawn. */
export async function withdrawPersonConsents({
	db,
	programmeId,
	personId,
	purposes,
	at
}: {
	db: Db;
	programmeId: string;
	personId: string;
	purposes: string[];
	at: Date;
}): Promise<void> {
	if (purposes.length === 0) return;
	await db
		.update(consentsTable)
		.set({ withdrawnAt: at })
		.where(
			and(
				eq(consentsTable.programmeId, programmeId),
				eq(consentsTable.personId, personId),
				inArray(consentsTable.purpose, purposes as Consent['purpose'][]),
				isNull(consentsTable.withdrawnAt)
			)
		);
}

/** The consents of persons or accounts, oldest first. */
export async function findConsents({
	db,
	programmeId,
	personIds = [],
	userIds = []
}: {
	db: Db;
	programmeId: string;
	personIds?: string[];
	userIds?: string[];
}): Promise<Consent[]> {
	const who = [
		...(personIds.length ? [inArray(consentsTable.personId, personIds)] : []),
		...(userIds.length ? [inArray(consentsTable.userId, userIds)] : [])
	];
	if (who.length === 0) return [];
	return db
		.select()
		.from(consentsTable)
		.where(and(eq(consentsTable.programmeId, programmeId), or(...who)))
		.orderBy(asc(consentsTable.givenAt), asc(consentsTable.id));
}

export async function findConsentForUpdate({
	db,
	programmeId,
	consentId
}: {
	db: Db;
	programmeId: string;
	consentId: string;
}): Promise<Consent | null> {
	const [row] = await db
		.select()
		.from(consentsTable)
		.where(and(eq(consentsTable.programmeId, programmeId), eq(consentsTable.id, consentId)))
		.for('update');
	return row ?? null;
}

export async function setConsentWithdrawn({
	db,
	consentId,
	at
}: {
	db: Db;
	consentId: string;
	at: Date;
}): Promise<Consent> {
	const [row] = await db
		.update(consentsTable)
		.set({ withdrawnAt: at })
		.where(eq(consentsTable.id, consentId))
		.returning();
	return row;
}

/**
 * The persons an account stands for in a programme: the candidate of the case it owns
 * (`cases.candidate_user_id`) and the person its member profile was made from.
 */
export async function findPersonIdsOfUser({
	db,
	programmeId,
	userId
}: {
	db: Db;
	programmeId: string;
	userId: string;
}): Promise<string[]> {
	const candidates = await db
		.select({ id: personsTable.id })
		.from(personsTable)
		.innerJoin(casesTable, eq(casesTable.id, personsTable.caseId))
		.where(
			and(
				eq(personsTable.programmeId, programmeId),
				eq(casesTable.candidateUserId, userId),
				eq(personsTable.householdRole, 'candidate')
			)
		);
	const members = await db
		.select({ id: memberProfilesTable.personId })
		.from(memberProfilesTable)
		.where(and(eq(memberProfilesTable.programmeId, programmeId), eq(memberProfilesTable.userId, userId)));
	return [
		...new Set(
			[...candidates.map((row) => row.id), ...members.map((row) => row.id)].filter((id): id is string =>
				Boolean(id)
			)
		)
	];
}

/** The case of a person and its consents, locked for an update. */
export async function findPersonCaseForUpdate({
	db,
	programmeId,
	personId
}: {
	db: Db;
	programmeId: string;
	personId: string;
}) {
	const [row] = await db
		.select({ kase: casesTable, person: personsTable })
		.from(personsTable)
		.innerJoin(casesTable, eq(casesTable.id, personsTable.caseId))
		.where(and(eq(personsTable.programmeId, programmeId), eq(personsTable.id, personId)))
		.for('update', { of: casesTable });
	return row ?? null;
}
