import { and, asc, count, eq, gt, inArray, isNull, lte, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	eventRegistrationsTable,
	eventsTable,
	type Event,
	type EventRegistration
} from '../../db/schema/index.ts';
import { ofActiveProgramme } from '../../db/active-programme.ts';

/** The event, locked until the end of the transaction: seats are counted one registration at a time. */
export async function lockEvent({
	db,
	programmeId,
	eventId
}: {
	db: Db;
	programmeId: string;
	eventId: string;
}): Promise<Event | null> {
	const [row] = await db
		.select()
		.from(eventsTable)
		.where(and(eq(eventsTable.id, eventId), eq(eventsTable.programmeId, programmeId)))
		.for('update');
	return row ?? null;
}

export async function countSeatsTaken({ db, eventId }: { db: Db; eventId: string }): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(eventRegistrationsTable)
		.where(
			and(eq(eventRegistrationsTable.eventId, eventId), eq(eventRegistrationsTable.status, 'registered'))
		);
	return Number(row?.n ?? 0);
}

export async function findRegistrationByEmail({
	db,
	eventId,
	email
}: {
	db: Db;
	eventId: string;
	email: string;
}): Promise<EventRegistration | null> {
	const [row] = await db
		.select()
		.from(eventRegistrationsTable)
		.where(and(eq(eventRegistrationsTable.eventId, eventId), eq(eventRegistrationsTable.email, email)));
	return row ?? null;
}

export async function findRegistrationByToken({
	db,
	token,
	forUpdate = false
}: {
	db: Db;
	token: string;
	forUpdate?: boolean;
}): Promise<EventRegistration | null> {
	const query = db.select().from(eventRegistrationsTable).where(eq(eventRegistrationsTable.token, token));
	const [row] = forUpdate ? await query.for('update') : await query;
	return row ?? null;
}

export async function insertRegistration({
	db,
	registration
}: {
	db: Db;
	registration: typeof eventRegistrationsTable.$inferInsert;
}): Promise<EventRegistration> {
	const [row] = await db.insert(eventRegistrationsTable).values(registration).returning();
	return row;
}

export async function updateRegistration({
	db,
	registrationId,
	values
}: {
	db: Db;
	registrationId: string;
	values: Partial<typeof eventRegistrationsTable.$inferInsert>;
}): Promise<EventRegistration> {
	const [row] = await db
		.update(eventRegistrationsTable)
		.set(values)
		.where(eq(eventRegistrationsTable.id, registrationId))
		.returning();
	return row;
}

/** Position on the waiting list (1 = next to get a seat). */
export async function waitlistPosition({
	db,
	registration
}: {
	db: Db;
	registration: EventRegistration;
}): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(eventRegistrationsTable)
		.where(
			and(
				eq(eventRegistrationsTable.eventId, registration.eventId),
				eq(eventRegistrationsTable.status, 'waitlisted'),
				// Compared in the database: created_at has microseconds that a JavaScript Date would lose.
				sql`(${eventRegistrationsTable.createdAt}, ${eventRegistrationsTable.id}) <= (select r.created_at, r.id from event_registrations r where r.id = ${registration.id})`
			)
		);
	return Number(row?.n ?? 0);
}

/** The first person of the waiting list, locked. */
export async function findFirstWaitlisted({
	db,
	eventId
}: {
	db: Db;
	eventId: string;
}): Promise<EventRegistration | null> {
	const [row] = await db
		.select()
		.from(eventRegistrationsTable)
		.where(
			and(eq(eventRegistrationsTable.eventId, eventId), eq(eventRegistrationsTable.status, 'waitlisted'))
		)
		.orderBy(asc(eventRegistrationsTable.createdAt), asc(eventRegistrationsTable.id))
		.limit(1)
		.for('update');
	return row ?? null;
}

/** Every registration of an event: seats first, then the waiting list, then cancellations. */
export async function findEventRegistrations({
	db,
	eventId
}: {
	db: Db;
	eventId: string;
}): Promise<EventRegistration[]> {
	return db
		.select()
		.from(eventRegistrationsTable)
		.where(eq(eventRegistrationsTable.eventId, eventId))
		.orderBy(
			sql`case ${eventRegistrationsTable.status} when 'registered' then 0 when 'waitlisted' then 1 else 2 end`,
			asc(eventRegistrationsTable.createdAt),
			asc(eventRegistrationsTable.id)
		);
}

export async function setAttendance({
	db,
	eventId,
	attendedIds,
	now
}: {
	db: Db;
	eventId: string;
	attendedIds: string[];
	now: Date;
}): Promise<{ attended: number; absent: number }> {
	const registered = and(
		eq(eventRegistrationsTable.eventId, eventId),
		eq(eventRegistrationsTable.status, 'registered')
	);
	const attended = attendedIds.length
		? await db
				.update(eventRegistrationsTable)
				.set({ attended: true, updatedAt: now })
				.where(and(registered, inArray(eventRegistrationsTable.id, attendedIds)))
				.returning({ id: eventRegistrationsTable.id })
		: [];
	const absent = await db
		.update(eventRegistrationsTable)
		.set({ attended: false, updatedAt: now })
		.where(
			attendedIds.length ? and(registered, notInArray(eventRegistrationsTable.id, attendedIds)) : registered
		)
		.returning({ id: eventRegistrationsTable.id });
	return { attended: attended.length, absent: absent.length };
}

/** Registered people of published events starting in (from, until] who were not reminded yet. */
export async function findRegistrationsToRemind({
	db,
	from,
	until
}: {
	db: Db;
	from: Date;
	until: Date;
}): Promise<{ registration: EventRegistration; event: Event }[]> {
	return db
		.select({ registration: eventRegistrationsTable, event: eventsTable })
		.from(eventRegistrationsTable)
		.innerJoin(eventsTable, eq(eventsTable.id, eventRegistrationsTable.eventId))
		.where(
			and(
				eq(eventsTable.status, 'published'),
				gt(eventsTable.startsAt, from),
				lte(eventsTable.startsAt, until),
				eq(eventRegistrationsTable.status, 'registered'),
				isNull(eventRegistrationsTable.reminderSentAt),
				// A suspended programme's events remind nobody (ofActiveProgramme).
				ofActiveProgramme(eventsTable.programmeId)
			)
		)
		.orderBy(asc(eventsTable.startsAt), asc(eventRegistrationsTable.createdAt));
}

/** Claims the reminder of one registration; false when another run sent it already. */
export async function claimReminder({
	db,
	registrationId,
	now
}: {
	db: Db;
	registrationId: string;
	now: Date;
}): Promise<boolean> {
	const rows = await db
		.update(eventRegistrationsTable)
		.set({ reminderSentAt: now })
		.where(
			and(eq(eventRegistrationsTable.id, registrationId), isNull(eventRegistrationsTable.reminderSentAt))
		)
		.returning({ id: eventRegistrationsTable.id });
	return rows.length > 0;
}

export type EventWithCounts = Pick<
	Event,
	| 'id'
	| 'kind'
	| 'titleFr'
	| 'titleEn'
	| 'startsAt'
	| 'endsAt'
	| 'capacity'
	| 'status'
	| 'isDemo'
	| 'villageId'
> & { registered: number; waitlisted: number; attended: number };

/** A programme's events (any status) with their registration counts, soonest first. */
export async function findEventsWithCounts({
	db,
	programmeId,
	villageIds
}: {
	db: Db;
	programmeId: string;
	/** Only the events of these villages (a committee member's); all events when absent. */
	villageIds?: string[];
}): Promise<EventWithCounts[]> {
	const counted = (condition: ReturnType<typeof sql>) =>
		sql<number>`count(${eventRegistrationsTable.id}) filter (where ${condition})`.mapWith(Number);
	return db
		.select({
			id: eventsTable.id,
			kind: eventsTable.kind,
			titleFr: eventsTable.titleFr,
			titleEn: eventsTable.titleEn,
			startsAt: eventsTable.startsAt,
			endsAt: eventsTable.endsAt,
			capacity: eventsTable.capacity,
			status: eventsTable.status,
			isDemo: eventsTable.isDemo,
			villageId: eventsTable.villageId,
			registered: counted(sql`${eventRegistrationsTable.status} = 'registered'`),
			waitlisted: counted(sql`${eventRegistrationsTable.status} = 'waitlisted'`),
			attended: counted(sql`${eventRegistrationsTable.attended} is true`)
		})
		.from(eventsTable)
		.leftJoin(eventRegistrationsTable, eq(eventRegistrationsTable.eventId, eventsTable.id))
		.where(
			and(
				eq(eventsTable.programmeId, programmeId),
				villageIds ? inArray(eventsTable.villageId, villageIds.length ? villageIds : ['']) : undefined
			)
		)
		.groupBy(eventsTable.id)
		.orderBy(asc(eventsTable.startsAt));
}

/** People registered to an event or waiting for a seat (those a change or cancellation is told to). */
export async function countActiveRegistrations({
	db,
	eventId
}: {
	db: Db;
	eventId: string;
}): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(eventRegistrationsTable)
		.where(
			and(
				eq(eventRegistrationsTable.eventId, eventId),
				inArray(eventRegistrationsTable.status, ['registered', 'waitlisted'])
			)
		);
	return Number(row?.n ?? 0);
}
