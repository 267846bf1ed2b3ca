import { and, asc, count, desc, eq, gte, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	caseActivitiesTable,
	caseDocumentsTable,
	casesTable,
	eventRegistrationsTable,
	eventsTable,
	membershipsTable,
	programmesTable,
	usersTable,
	type CaseActivity,
	type CaseDocument,
	type Programme
} from '../../db/schema/index.ts';

/** A user's name and e-mail (the advisor shown in the space, the addressee of a notification). */
export async function findUserContact({
	db,
	userId
}: {
	db: Db;
	userId: string;
}): Promise<{ id: string; name: string; email: string; locale: 'fr' | 'en' } | null> {
	const [user] = await db
		.select({ id: usersTable.id, name: usersTable.name, email: usersTable.email, locale: usersTable.locale })
		.from(usersTable)
		.where(eq(usersTable.id, userId));
	return user ?? null;
}

/** The active admins of a programme: they are told of a message on a case that has no advisor yet. */
export async function findProgrammeAdmins({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ id: string; name: string; email: string; locale: 'fr' | 'en' }[]> {
	return db
		.select({ id: usersTable.id, name: usersTable.name, email: usersTable.email, locale: usersTable.locale })
		.from(usersTable)
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(
			and(
				eq(membershipsTable.programmeId, programmeId),
				eq(membershipsTable.role, 'admin'),
				eq(membershipsTable.status, 'active')
			)
		)
		.orderBy(asc(usersTable.createdAt));
}

export async function findProgrammeName({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<string> {
	const [row] = await db
		.select({ name: programmesTable.name })
		.from(programmesTable)
		.where(eq(programmesTable.id, programmeId));
	return row?.name ?? 'soho';
}

/** Meetings and visits planned on the case's timeline from `from` on, soonest first. */
export async function findUpcomingAppointments({
	db,
	caseId,
	from
}: {
	db: Db;
	caseId: string;
	from: Date;
}): Promise<Pick<CaseActivity, 'id' | 'kind' | 'occurredAt' | 'summary'>[]> {
	return db
		.select({
			id: caseActivitiesTable.id,
			kind: caseActivitiesTable.kind,
			occurredAt: caseActivitiesTable.occurredAt,
			summary: caseActivitiesTable.summary
		})
		.from(caseActivitiesTable)
		.where(
			and(
				eq(caseActivitiesTable.caseId, caseId),
				inArray(caseActivitiesTable.kind, ['meeting', 'visit']),
				gte(caseActivitiesTable.occurredAt, from)
			)
		)
		.orderBy(asc(caseActivitiesTable.occurredAt))
		.limit(20);
}

/** The events a person registered for (by account or by their address), latest first. */
export async function findEventRegistrationsOf({
	db,
	programmeId,
	userId,
	email
}: {
	db: Db;
	programmeId: string;
	userId: string;
	email: string;
}) {
	return db
		.select({
			id: eventRegistrationsTable.id,
			status: eventRegistrationsTable.status,
			token: eventRegistrationsTable.token,
			eventId: eventsTable.id,
			titleFr: eventsTable.titleFr,
			titleEn: eventsTable.titleEn,
			startsAt: eventsTable.startsAt,
			endsAt: eventsTable.endsAt
		})
		.from(eventRegistrationsTable)
		.innerJoin(eventsTable, eq(eventsTable.id, eventRegistrationsTable.eventId))
		.where(
			and(
				eq(eventRegistrationsTable.programmeId, programmeId),
				or(
					eq(eventRegistrationsTable.userId, userId),
					eq(eventRegistrationsTable.email, email.toLowerCase())
				),
				isNull(eventRegistrationsTable.cancelledAt)
			)
		)
		.orderBy(desc(eventsTable.startsAt))
		.limit(50);
}

/** The messages of a case (timeline entries of kind 'message'), oldest first. */
export async function findCaseMessages({ db, caseId }: { db: Db; caseId: string }): Promise<CaseActivity[]> {
	return db
		.select()
		.from(caseActivitiesTable)
		.where(and(eq(caseActivitiesTable.caseId, caseId), eq(caseActivitiesTable.kind, 'message')))
		.orderBy(asc(caseActivitiesTable.occurredAt), asc(caseActivitiesTable.createdAt));
}

export async function insertCaseDocument({
	db,
	values
}: {
	db: Db;
	values: typeof caseDocumentsTable.$inferInsert;
}): Promise<CaseDocument> {
	const [document] = await db.insert(caseDocumentsTable).values(values).returning();
	return document;
}

export async function findCaseDocuments({ db, caseId }: { db: Db; caseId: string }): Promise<CaseDocument[]> {
	return db
		.select()
		.from(caseDocumentsTable)
		.where(eq(caseDocumentsTable.caseId, caseId))
		.orderBy(asc(caseDocumentsTable.createdAt), asc(caseDocumentsTable.id));
}

/** A document of a programme, optionally locked for the upload that fills it. */
export async function findCaseDocument({
	db,
	programmeId,
	documentId,
	forUpdate = false
}: {
	db: Db;
	programmeId: string;
	documentId: string;
	forUpdate?: boolean;
}): Promise<CaseDocument | null> {
	const query = db
		.select()
		.from(caseDocumentsTable)
		.where(and(eq(caseDocumentsTable.programmeId, programmeId), eq(caseDocumentsTable.id, documentId)));
	const [document] = forUpdate ? await query.for('update') : await query;
	return document ?? null;
}

export async function updateCaseDocument({
	db,
	documentId,
	values
}: {
	db: Db;
	documentId: string;
	values: Partial<typeof caseDocumentsTable.$inferInsert>;
}): Promise<CaseDocument> {
	const [document] = await db
		.update(caseDocumentsTable)
		.set(values)
		.where(eq(caseDocumentsTable.id, documentId))
		.returning();
	return document;
}

/**
 * Deletes every document of a case (an erasure: the household's files go with the person) and
 * returns the storage keys they held, for the caller to delete the files after commit.
 */
export async function deleteCaseDocumentsOfCase({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
}): Promise<{ fileKeys: string[] }> {
	const rows = await db
		.delete(caseDocumentsTable)
		.where(and(eq(caseDocumentsTable.programmeId, programmeId), eq(caseDocumentsTable.caseId, caseId)))
		.returning({ fileKey: caseDocumentsTable.fileKey });
	return { fileKeys: rows.flatMap((row) => (row.fileKey ? [row.fileKey] : [])) };
}

/** Documents of any programme storing this file (keys are content hashes: one file may serve several). */
export async function countCaseDocumentsWithKey({ db, key }: { db: Db; key: string }): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(caseDocumentsTable)
		.where(eq(caseDocumentsTable.fileKey, key));
	return Number(row?.n ?? 0);
}

export type CandidateApplicationRow = {
	programmeId: string;
	programmeName: string;
	pipeline: Programme['pipeline'];
	reference: string;
	stage: string;
	createdAt: Date;
};

/**
 * The cases a user owns as candidate in every programme where they hold an active candidate
 * membership and that is active: read across programmes on purpose (the national portal sends one
 * application to several), keyed by the user's own id only, so nobody else's file is ever read.
 */
export async function findCandidateApplications({
	db,
	userId
}: {
	db: Db;
	userId: string;
}): Promise<CandidateApplicationRow[]> {
	return db
		.select({
			programmeId: casesTable.programmeId,
			programmeName: programmesTable.name,
			pipeline: programmesTable.pipeline,
			reference: casesTable.reference,
			stage: casesTable.stage,
			createdAt: casesTable.createdAt
		})
		.from(casesTable)
		.innerJoin(programmesTable, eq(programmesTable.id, casesTable.programmeId))
		.innerJoin(
			membershipsTable,
			and(
				eq(membershipsTable.programmeId, casesTable.programmeId),
				eq(membershipsTable.userId, userId),
				eq(membershipsTable.role, 'candidate'),
				eq(membershipsTable.status, 'active')
			)
		)
		.where(and(eq(casesTable.candidateUserId, userId), eq(programmesTable.status, 'active')))
		.orderBy(asc(programmesTable.name), asc(casesTable.createdAt));
}
