import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	caseTargetVillagesTable,
	communesTable,
	membershipsTable,
	usersTable,
	villageCommitteeMembersTable,
	villagesTable
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id (directly or through the case it reads). */

export async function deleteTargetVillages({
	db,
	caseId,
	villageIds
}: {
	db: Db;
	caseId: string;
	villageIds: string[];
}): Promise<void> {
	if (villageIds.length === 0) return;
	await db
		.delete(caseTargetVillagesTable)
		.where(
			and(eq(caseTargetVillagesTable.caseId, caseId), inArray(caseTargetVillagesTable.villageId, villageIds))
		);
}

export type CommitteeRecipient = {
	villageId: string;
	villageName: string;
	userId: string;
	name: string;
	email: string;
	locale: 'fr' | 'en';
};

/** The committee members of these villages, partner villages only, with their language. */
export async function findCommitteeRecipients({
	db,
	programmeId,
	villageIds
}: {
	db: Db;
	programmeId: string;
	villageIds: string[];
}): Promise<CommitteeRecipient[]> {
	if (villageIds.length === 0) return [];
	return db
		.select({
			villageId: villagesTable.id,
			villageName: communesTable.name,
			userId: usersTable.id,
			name: usersTable.name,
			email: usersTable.email,
			locale: usersTable.locale
		})
		.from(villageCommitteeMembersTable)
		.innerJoin(villagesTable, eq(villagesTable.id, villageCommitteeMembersTable.villageId))
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.innerJoin(usersTable, eq(usersTable.id, villageCommitteeMembersTable.userId))
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(
			and(
				eq(villagesTable.programmeId, programmeId),
				eq(villagesTable.status, 'partner'),
				inArray(villagesTable.id, villageIds),
				eq(membershipsTable.programmeId, programmeId),
				eq(membershipsTable.status, 'active')
			)
		)
		.orderBy(asc(communesTable.name), asc(usersTable.name));
}
