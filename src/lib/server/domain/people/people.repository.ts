import { and, asc, desc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	auditEntriesTable,
	communesTable,
	invitationsTable,
	membershipsTable,
	organisationsTable,
	usersTable,
	villageCommitteeMembersTable,
	villagesTable,
	type AuditEntry,
	type CommitteeRole,
	type Invitation,
	type MembershipStatus,
	type Role
} from '../../db/schema/index.ts';
import {
	programmeUserColumns,
	userMembershipJoin,
	type ProgrammeUser
} from '../account/account.repository.ts';

/** Every query here filters by programme_id. */

export type PersonRow = ProgrammeUser & { organisationName: string | null; deactivatedAt: Date | null };

export async function findPeople({
	db,
	programmeId,
	q,
	role,
	status
}: {
	db: Db;
	programmeId: string;
	q?: string;
	role?: Role;
	status?: MembershipStatus;
}): Promise<PersonRow[]> {
	const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
	return db
		.select({
			...programmeUserColumns,
			organisationName: organisationsTable.name,
			deactivatedAt: membershipsTable.deactivatedAt
		})
		.from(usersTable)
		.innerJoin(membershipsTable, userMembershipJoin)
		.leftJoin(organisationsTable, eq(organisationsTable.id, membershipsTable.organisationId))
		.where(
			and(
				eq(membershipsTable.programmeId, programmeId),
				role ? eq(membershipsTable.role, role) : undefined,
				status ? eq(membershipsTable.status, status) : undefined,
				pattern ? or(ilike(usersTable.name, pattern), ilike(usersTable.email, pattern)) : undefined
			)
		)
		.orderBy(asc(usersTable.name), asc(usersTable.id))
		.limit(500);
}

export async function findPerson({
	db,
	programmeId,
	userId
}: {
	db: Db;
	programmeId: string;
	userId: string;
}): Promise<PersonRow | null> {
	const [person] = await db
		.select({
			...programmeUserColumns,
			organisationName: organisationsTable.name,
			deactivatedAt: membershipsTable.deactivatedAt
		})
		.from(usersTable)
		.innerJoin(membershipsTable, userMembershipJoin)
		.leftJoin(organisationsTable, eq(organisationsTable.id, membershipsTable.organisationId))
		.where(and(eq(membershipsTable.programmeId, programmeId), eq(usersTable.id, userId)));
	return person ?? null;
}

export type CommitteeSeat = {
	userId: string;
	villageId: string;
	villageName: string;
	committeeRole: CommitteeRole;
};

/** The committee seats of these people in the programme's villages. */
export async function findCommitteeSeats({
	db,
	programmeId,
	userIds
}: {
	db: Db;
	programmeId: string;
	userIds: string[];
}): Promise<CommitteeSeat[]> {
	if (userIds.length === 0) return [];
	return db
		.select({
			userId: villageCommitteeMembersTable.userId,
			villageId: villagesTable.id,
			villageName: communesTable.name,
			committeeRole: villageCommitteeMembersTable.committeeRole
		})
		.from(villageCommitteeMembersTable)
		.innerJoin(villagesTable, eq(villagesTable.id, villageCommitteeMembersTable.villageId))
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.where(
			and(eq(villagesTable.programmeId, programmeId), inArray(villageCommitteeMembersTable.userId, userIds))
		)
		.orderBy(asc(communesTable.name));
}

/** Removes a person's committee seats in this programme's villages, except those kept. */
export async function deleteCommitteeSeats({
	db,
	programmeId,
	userId,
	keepVillageIds
}: {
	db: Db;
	programmeId: string;
	userId: string;
	keepVillageIds: string[];
}): Promise<void> {
	const villagesOfProgramme = db
		.select({ id: villagesTable.id })
		.from(villagesTable)
		.where(eq(villagesTable.programmeId, programmeId));
	await db.delete(villageCommitteeMembersTable).where(
		and(
			eq(villageCommitteeMembersTable.userId, userId),
			inArray(villageCommitteeMembersTable.villageId, villagesOfProgramme),
			keepVillageIds.length
				? sql`${villageCommitteeMembersTable.villageId} not in (${sql.join(
						keepVillageIds.map((id) => sql`${id}`),
						sql`, `
					)})`
				: undefined
		)
	);
}

/** The programme's villages and organisations (for the scope pickers and checks). */
export async function findProgrammeVillageChoices({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ id: string; slug: string; name: string; status: string }[]> {
	return db
		.select({
			id: villagesTable.id,
			slug: villagesTable.slug,
			name: communesTable.name,
			status: villagesTable.status
		})
		.from(villagesTable)
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.where(eq(villagesTable.programmeId, programmeId))
		.orderBy(asc(communesTable.name));
}

export async function findProgrammeOrganisationChoices({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ id: string; name: string }[]> {
	return db
		.select({ id: organisationsTable.id, name: organisationsTable.name })
		.from(organisationsTable)
		.where(eq(organisationsTable.programmeId, programmeId))
		.orderBy(asc(organisationsTable.name));
}

export async function insertInvitation({
	db,
	values
}: {
	db: Db;
	values: typeof invitationsTable.$inferInsert;
}): Promise<Invitation> {
	const [invitation] = await db.insert(invitationsTable).values(values).returning();
	return invitation;
}

export async function updateInvitation({
	db,
	programmeId,
	invitationId,
	values
}: {
	db: Db;
	programmeId: string;
	invitationId: string;
	values: Partial<Pick<Invitation, 'tokenHash' | 'expiresAt' | 'lastSentAt' | 'acceptedAt' | 'revokedAt'>>;
}): Promise<Invitation> {
	const [invitation] = await db
		.update(invitationsTable)
		.set({ ...values, updatedAt: new Date() })
		.where(and(eq(invitationsTable.programmeId, programmeId), eq(invitationsTable.id, invitationId)))
		.returning();
	return invitation;
}

export async function findInvitation({
	db,
	programmeId,
	invitationId,
	forUpdate = false
}: {
	db: Db;
	programmeId: string;
	invitationId: string;
	forUpdate?: boolean;
}): Promise<Invitation | null> {
	const query = db
		.select()
		.from(invitationsTable)
		.where(and(eq(invitationsTable.programmeId, programmeId), eq(invitationsTable.id, invitationId)));
	const [invitation] = forUpdate ? await query.for('update') : await query;
	return invitation ?? null;
}

/** The invitation of a link, by its token's hash (the link itself says which programme). */
export async function findInvitationByTokenHash({
	db,
	tokenHash,
	forUpdate = false
}: {
	db: Db;
	tokenHash: string;
	forUpdate?: boolean;
}): Promise<Invitation | null> {
	const query = db.select().from(invitationsTable).where(eq(invitationsTable.tokenHash, tokenHash));
	const [invitation] = forUpdate ? await query.for('update') : await query;
	return invitation ?? null;
}

/** Invitations neither accepted nor revoked (expired ones included: they can be resent). */
export async function findOpenInvitations({
	db,
	programmeId,
	email
}: {
	db: Db;
	programmeId: string;
	email?: string;
}): Promise<Invitation[]> {
	return db
		.select()
		.from(invitationsTable)
		.where(
			and(
				eq(invitationsTable.programmeId, programmeId),
				isNull(invitationsTable.acceptedAt),
				isNull(invitationsTable.revokedAt),
				email ? eq(invitationsTable.email, email) : undefined
			)
		)
		.orderBy(desc(invitationsTable.lastSentAt), desc(invitationsTable.id));
}

/** The history of one membership or invitation, newest first. */
export async function findPeopleAuditEntries({
	db,
	programmeId,
	entityIds
}: {
	db: Db;
	programmeId: string;
	entityIds: string[];
}): Promise<AuditEntry[]> {
	if (entityIds.length === 0) return [];
	return db
		.select()
		.from(auditEntriesTable)
		.where(
			and(eq(auditEntriesTable.programmeId, programmeId), inArray(auditEntriesTable.entityId, entityIds))
		)
		.orderBy(desc(auditEntriesTable.at), desc(auditEntriesTable.id));
}

/** Invitations sent to this address in the programme (for a person's page). */
export async function findInvitationIdsOfEmail({
	db,
	programmeId,
	email
}: {
	db: Db;
	programmeId: string;
	email: string;
}): Promise<string[]> {
	const rows = await db
		.select({ id: invitationsTable.id })
		.from(invitationsTable)
		.where(and(eq(invitationsTable.programmeId, programmeId), eq(invitationsTable.email, email)));
	return rows.map((row) => row.id);
}
