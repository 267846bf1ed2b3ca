import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { Event, EventKind, EventStatus } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput, ValidationError, type FieldIssue } from '../../validation.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import { pickLocalised } from '../village/village.rules.ts';
import { findWorkspaceById } from '../workspace/workspace.repository.ts';
import { eventForbidden, eventNotFound } from './event.errors.ts';
import {
	findEventById,
	findEventRows,
	insertEvent,
	updateEventRow,
	type EventRow
} from './event.repository.ts';
import { assertCanEditEvent, canCreateEvent, findEventIssues } from './event.rules.ts';
import {
	createEventSchema,
	eventIdSchema,
	listPastEventsSchema,
	listPublicEventsSchema,
	updateEventSchema,
	type CreateEventInput,
	type ListPastEventsInput,
	type ListPublicEventsInput,
	type UpdateEventInput
} from './event.schemas.ts';

const log = createLogger({ namespace: 'event:service' });

/** An event as the public portal shows it, texts in the reader's language. */
export type PublicEvent = {
	id: string;
	kind: EventKind;
	title: string;
	/** Markdown. */
	description: string | null;
	startsAt: Date;
	endsAt: Date;
	/** The hosting workspace, linked from the event page. */
	workspace: { slug: string; name: string } | null;
	/** The event's address, else its workspace's. */
	address: string | null;
	communeName: string | null;
	capacity: number | null;
	isOnline: boolean;
	/** Lists hold published events only; an event page also shows a cancelled one, marked. */
	status: Exclude<EventStatus, 'draft'>;
	isDemo: boolean;
};

function toPublicEvent(row: EventRow, locale: 'fr' | 'en'): PublicEvent {
	return {
		id: row.id,
		kind: row.kind,
		title: pickLocalised({ fr: row.titleFr, en: row.titleEn }, locale) ?? row.titleFr,
		description: pickLocalised({ fr: row.descriptionFr, en: row.descriptionEn }, locale),
		startsAt: row.startsAt,
		endsAt: row.endsAt,
		workspace:
			row.workspaceSlug && row.workspaceName ? { slug: row.workspaceSlug, name: row.workspaceName } : null,
		address: row.address ?? row.workspaceAddress,
		communeName: row.communeName,
		capacity: row.capacity,
		isOnline: row.isOnline,
		status: row.status === 'cancelled' ? 'cancelled' : 'published',
		isDemo: row.isDemo
	};
}

/** Published events not over yet (running or upcoming), soonest first; filter by kinds. */
export async function listPublicEvents(
	input: ListPublicEventsInput,
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ events: PublicEvent[] }> {
	const { programmeId, from, kinds, locale, limit } = parseInput(listPublicEventsSchema, input);
	const rows = await findEventRows({
		db,
		programmeId,
		statuses: ['published'],
		kinds,
		endsFrom: from ?? now,
		order: 'asc',
		limit
	});
	return { events: rows.map((row) => toPublicEvent(row, locale)) };
}

/** The latest published events already over, most recent first (at most `limit`, 12 by default). */
export async function listPastEvents(
	input: ListPastEventsInput,
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ events: PublicEvent[] }> {
	const { programmeId, before, kinds, locale, limit } = parseInput(listPastEventsSchema, input);
	const rows = await findEventRows({
		db,
		programmeId,
		statuses: ['published'],
		kinds,
		endsBefore: before ?? now,
		order: 'desc',
		limit
	});
	return { events: rows.map((row) => toPublicEvent(row, locale)) };
}

/** A published or cancelled event of the programme; drafts and unknown ids are `event.not_found`. */
export async function getPublicEvent(
	{ programmeId, eventId, locale = 'fr' }: { programmeId: string; eventId: string; locale?: 'fr' | 'en' },
	{ db }: { db: Db }
): Promise<{ event: PublicEvent }> {
	if (!v.is(eventIdSchema, eventId)) throw eventNotFound({ eventId });
	const [row] = await findEventRows({
		db,
		programmeId,
		statuses: ['published', 'cancelled'],
		eventId
	});
	if (!row) throw eventNotFound({ eventId });
	return { event: toPublicEvent(row, locale) };
}

/** An event the actor may edit (back office form); anything else is `event.not_found`. */
export async function getEvent(
	{ actor, eventId }: { actor: Actor; eventId: string },
	{ db }: { db: Db }
): Promise<{ event: Event }> {
	if (!v.is(eventIdSchema, eventId)) throw eventNotFound({ eventId });
	const event = await findEventById({ db, eventId });
	if (!event) throw eventNotFound({ eventId });
	assertCanEditEvent(actor, event);
	return { event };
}

/** The checks that need the database: the workspace is the programme's, the commune exists. */
async function findPlaceIssues(
	db: Db,
	programmeId: string,
	{ workspaceId, communeCode }: { workspaceId?: string | null; communeCode?: string | null }
): Promise<FieldIssue[]> {
	const issues: FieldIssue[] = [];
	if (workspaceId) {
		const workspace = await findWorkspaceById({ db, workspaceId });
		if (!workspace || workspace.programmeId !== programmeId) {
			issues.push({ field: 'workspaceId', code: 'event.invalid_workspace' });
		}
	}
	if (communeCode && !(await findCommuneByCode({ db, code: communeCode }))) {
		issues.push({ field: 'communeCode', code: 'event.commune_not_found' });
	}
	return issues;
}

/**
 * Schedules an event. Operators and the demo seed (no actor), or an admin or advisor of
 * the programme; other roles get `event.forbidden`, other programmes `programme.not_found`.
 */
export async function createEvent(
	{ actor, input }: { actor?: Actor; input: CreateEventInput },
	{ db }: { db: Db }
): Promise<{ event: Event }> {
	const data = parseInput(createEventSchema, input);
	if (actor) {
		if (actor.programmeId !== data.programmeId) throw programmeNotFound({ programmeId: data.programmeId });
		if (!canCreateEvent(actor)) throw eventForbidden({ userId: actor.userId });
	}
	const values = {
		...data,
		titleEn: data.titleEn ?? null,
		descriptionFr: data.descriptionFr ?? null,
		descriptionEn: data.descriptionEn ?? null,
		workspaceId: data.workspaceId ?? null,
		address: data.address || null,
		communeCode: data.communeCode ?? null,
		capacity: data.capacity ?? null
	};
	const issues = findEventIssues(values);
	if (issues.length) throw new ValidationError(issues);
	return db.transaction(async (tx) => {
		const programme = await findProgrammeById({ db: tx, programmeId: data.programmeId });
		if (!programme) throw programmeNotFound({ programmeId: data.programmeId });
		const placeIssues = await findPlaceIssues(tx, programme.id, values);
		if (placeIssues.length) throw new ValidationError(placeIssues);
		const event = await insertEvent({ db: tx, event: { ...values, createdBy: actor?.userId ?? null } });
		log.info({ eventId: event.id, programmeId: programme.id, userId: actor?.userId }, 'Event created');
		return { event };
	});
}

/** Edits an event: admins and advisors of its programme; anyone else gets `event.not_found`. */
export async function updateEvent(
	{ actor, eventId, input }: { actor: Actor; eventId: string; input: UpdateEventInput },
	{ db }: { db: Db }
): Promise<{ event: Event }> {
	const data = parseInput(updateEventSchema, input);
	return db.transaction(async (tx) => {
		const { event } = await getEvent({ actor, eventId }, { db: tx });
		const values = Object.fromEntries(
			Object.entries(data).filter(([, value]) => value !== undefined)
		) as Partial<Event>;
		if ('address' in values && !values.address) values.address = null;
		if (Object.keys(values).length === 0) return { event };
		const merged = { ...event, ...values };
		const issues = [...findEventIssues(merged), ...(await findPlaceIssues(tx, event.programmeId, values))];
		if (issues.length) throw new ValidationError(issues);
		const updated = await updateEventRow({
			db: tx,
			programmeId: actor.programmeId,
			eventId: event.id,
			values
		});
		log.info({ eventId: event.id, userId: actor.userId, fields: Object.keys(values) }, 'Event updated');
		return { event: updated };
	});
}

/**
 * Cancels an event: it stays on its public page, marked cancelled, and leaves the lists.
 * Cancelling twice is harmless. Admins and advisors of its programme only.
 */
export async function cancelEvent(
	{ actor, eventId }: { actor: Actor; eventId: string },
	{ db }: { db: Db }
): Promise<{ event: Event }> {
	return db.transaction(async (tx) => {
		const { event } = await getEvent({ actor, eventId }, { db: tx });
		if (event.status === 'cancelled') return { event };
		const updated = await updateEventRow({
			db: tx,
			programmeId: actor.programmeId,
			eventId: event.id,
			values: { status: 'cancelled' }
		});
		log.info({ eventId: event.id, userId: actor.userId }, 'Event cancelled');
		return { event: updated };
	});
}
