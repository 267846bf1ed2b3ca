import { and, asc, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	programmesTable,
	taskDigestsTable,
	tasksTable,
	membershipsTable,
	usersTable
} from '../../db/schema/index.ts';
import { ofActiveProgramme } from '../../db/active-programme.ts';

export type DigestRecipient = {
	userId: string;
	name: string;
	email: string;
	locale: 'fr' | 'en';
	programmeId: string;
	programmeName: string;
};

/** Staff (admins and advisors) with at least one open task due on or before `day`. */
export async function findDigestRecipients({
	db,
	day,
	programmeId
}: {
	db: Db;
	day: string;
	programmeId?: string;
}): Promise<DigestRecipient[]> {
	return db
		.selectDistinct({
			userId: usersTable.id,
			name: usersTable.name,
			email: usersTable.email,
			locale: usersTable.locale,
			programmeId: membershipsTable.programmeId,
			programmeName: programmesTable.name
		})
		.from(tasksTable)
		.innerJoin(usersTable, eq(usersTable.id, tasksTable.assigneeId))
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.innerJoin(programmesTable, eq(programmesTable.id, membershipsTable.programmeId))
		.where(
			and(
				isNull(tasksTable.doneAt),
				isNotNull(tasksTable.dueOn),
				lte(tasksTable.dueOn, day),
				// A task of another programme (a user moved) is not theirs to do any more.
				eq(tasksTable.programmeId, membershipsTable.programmeId),
				inArray(membershipsTable.role, ['admin', 'advisor']),
				eq(membershipsTable.status, 'active'),
				// A suspended programme's staff get no digest (ofActiveProgramme).
				ofActiveProgramme(membershipsTable.programmeId),
				programmeId ? eq(membershipsTable.programmeId, programmeId) : undefined
			)
		)
		.orderBy(asc(usersTable.id));
}

export type DigestTask = {
	id: string;
	title: string;
	dueOn: string;
	caseId: string | null;
	caseReference: string | null;
};

/** A user's open tasks due on or before `day`, oldest due first. */
export async function findDueTasksOfUser({
	db,
	programmeId,
	userId,
	day
}: {
	db: Db;
	programmeId: string;
	userId: string;
	day: string;
}): Promise<DigestTask[]> {
	return db
		.select({
			id: tasksTable.id,
			title: tasksTable.title,
			dueOn: sql<string>`${tasksTable.dueOn}::text`,
			caseId: tasksTable.caseId,
			caseReference: casesTable.reference
		})
		.from(tasksTable)
		.leftJoin(casesTable, eq(casesTable.id, tasksTable.caseId))
		.where(
			and(
				eq(tasksTable.programmeId, programmeId),
				eq(tasksTable.assigneeId, userId),
				isNull(tasksTable.doneAt),
				isNotNull(tasksTable.dueOn),
				lte(tasksTable.dueOn, day)
			)
		)
		.orderBy(asc(tasksTable.dueOn), asc(tasksTable.createdAt));
}

/** Records the digest of a user for a day; false when one was already sent (nothing is written). */
export async function claimTaskDigest({
	db,
	userId,
	programmeId,
	day,
	taskCount
}: {
	db: Db;
	userId: string;
	programmeId: string;
	day: string;
	taskCount: number;
}): Promise<boolean> {
	const rows = await db
		.insert(taskDigestsTable)
		.values({ userId, programmeId, day, taskCount })
		.onConflictDoNothing()
		.returning({ userId: taskDigestsTable.userId });
	return rows.length > 0;
}
