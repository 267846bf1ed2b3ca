import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	communesTable,
	eventsTable,
	workspacesTable,
	type Event,
	type EventKind,
	type EventStatus
} from '../../db/schema/index.ts';

export async function findEventById({
	db,
	programmeId,
	eventId
}: {
	db: Db;
	programmeId: string;
	eventId: string;
}): Promise<Event | null> {
	const [event] = await db
		.select()
		.from(eventsTable)
		.where(and(eq(eventsTable.id, eventId), eq(eventsTable.programmeId, programmeId)));
	return event ?? null;
}

export async function insertEvent({
	db,
	event
}: {
	db: Db;
	event: typeof eventsTable.$inferInsert;
}): Promise<Event> {
	const [created] = await db.insert(eventsTable).values(event).returning();
	return created;
}

export async function updateEventRow({
	db,
	programmeId,
	eventId,
	values
}: {
	db: Db;
	programmeId: string;
	eventId: string;
	values: Partial<typeof eventsTable.$inferInsert>;
}): Promise<Event> {
	const [updated] = await db
		.update(eventsTable)
		.set(values)
		.where(and(eq(eventsTable.programmeId, programmeId), eq(eventsTable.id, eventId)))
		.returning();
	return updated;
}

export type EventRow = Event & {
	workspaceSlug: string | null;
	workspaceName: string | null;
	workspaceAddress: string | null;
	/** The event's commune, else its workspace's. */
	communeName: string | null;
};

/**
 * Events of a programme with their place (workspace and commune). `endsFrom` keeps
 * events still running at or after that instant, `endsBefore` those over before it.
 */
export async function findEventRows({
	db,
	programmeId,
	statuses,
	kinds = [],
	endsFrom,
	endsBefore,
	eventId,
	order = 'asc',
	limit
}: {
	db: Db;
	programmeId: string;
	statuses: EventStatus[];
	kinds?: EventKind[];
	endsFrom?: Date;
	endsBefore?: Date;
	eventId?: string;
	order?: 'asc' | 'desc';
	limit?: number;
}): Promise<EventRow[]> {
	const conditions: SQL[] = [eq(eventsTable.programmeId, programmeId), inArray(eventsTable.status, statuses)];
	if (kinds.length) conditions.push(inArray(eventsTable.kind, kinds));
	if (endsFrom) conditions.push(gte(eventsTable.endsAt, endsFrom));
	if (endsBefore) conditions.push(lt(eventsTable.endsAt, endsBefore));
	if (eventId) conditions.push(eq(eventsTable.id, eventId));
	const query = db
		.select({
			event: eventsTable,
			workspaceSlug: workspacesTable.slug,
			workspaceName: workspacesTable.name,
			workspaceAddress: workspacesTable.address,
			communeName: communesTable.name
		})
		.from(eventsTable)
		.leftJoin(workspacesTable, eq(workspacesTable.id, eventsTable.workspaceId))
		.leftJoin(
			communesTable,
			eq(communesTable.code, sql`coalesce(${eventsTable.communeCode}, ${workspacesTable.communeCode})`)
		)
		.where(and(...conditions))
		.orderBy(order === 'asc' ? asc(eventsTable.startsAt) : desc(eventsTable.startsAt), asc(eventsTable.id));
	const rows = limit ? await query.limit(limit) : await query;
	return rows.map(({ event, ...rest }) => ({ ...event, ...rest }));
}
