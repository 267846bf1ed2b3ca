import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { Event, EventKind, EventStatus } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput, ValidationError, type FieldIssue } from '../../validation.ts';
import { recordRecordChange } from '../audit/audit.service.ts';
import { countActiveRegistrations } from '../event-registration/event-registration.repository.ts';
import { notifyRegistrantsOfEventChange } from '../event-registration/event-registration.service.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import { findCommitteeVillageIds, findVillageById } from '../village/village.repository.ts';
import { pickLocalised } from '../village/village.rules.ts';
import { findWorkspaceById } from '../workspace/workspace.repository.ts';
import { eventForbidden, eventIsCancelled, eventIsPast, eventNotFound } from './event.errors.ts';
import {
	findEventById,
	findEventRows,
	insertEvent,
	updateEventRow,
	type EventRow
} from './event.repository.ts';
import {
	assertCanEditEvent,
	canCreateEvent,
	findEventIssues,
	isSignificantChange,
	SIGNIFICANT_EVENT_FIELDS
} from './event.rules.ts';
import {
	createEventSchema,
	duplicateEventSchema,
	eventIdSchema,
	listPastEventsSchema,
	listPublicEventsSchema,
	updateEventSchema,
	type CreateEventInput,
	type DuplicateEventInput,
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

/** The villages whose committee the actor sits on (empty for other roles). */
async function committeeVillagesOf(db: Db, actor: Actor): Promise<string[]> {
	return actor.role === 'committee' ? findCommitteeVillageIds({ db, userId: actor.userId }) : [];
}

/** An event the actor may edit (back office form); anything else is `event.not_found`. */
export async function getEvent(
	{ actor, eventId }: { actor: Actor; eventId: string },
	{ db }: { db: Db }
): Promise<{ event: Event }> {
	if (!v.is(eventIdSchema, eventId)) throw eventNotFound({ eventId });
	const event = await findEventById({ db, programmeId: actor.programmeId, eventId });
	if (!event) throw eventNotFound({ eventId });
	assertCanEditEvent(actor, event, await committeeVillagesOf(db, actor));
	return { event };
}

export type ManagedEvent = {
	event: Event;
	/** People registered or waiting: those told of a change or a cancellation. */
	activeRegistrations: number;
	isPast: boolean;
	/** Date, time and place can change (not cancelled, not over). */
	canEdit: boolean;
	canCancel: boolean;
};

/** An event as its back-office page shows it to someone who may manage it; else `event.not_found`. */
export async function getManagedEvent(
	{ actor, eventId }: { actor: Actor; eventId: string },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<ManagedEvent> {
	const { event } = await getEvent({ actor, eventId }, { db });
	const isPast = event.endsAt.getTime() < now.getTime();
	const isCancelled = event.status === 'cancelled';
	return {
		event,
		activeRegistrations: await countActiveRegistrations({ db, eventId: event.id }),
		isPast,
		canEdit: !isCancelled,
		canCancel: !isCancelled && !isPast
	};
}

/**
 * The checks that need the database: the workspace and the village are the programme's,
 * the commune exists.
 */
async function findPlaceIssues(
	db: Db,
	programmeId: string,
	{
		workspaceId,
		communeCode,
		villageId
	}: { workspaceId?: string | null; communeCode?: string | null; villageId?: string | null }
): Promise<FieldIssue[]> {
	const issues: FieldIssue[] = [];
	if (workspaceId) {
		if (!(await findWorkspaceById({ db, programmeId, workspaceId }))) {
			issues.push({ field: 'workspaceId', code: 'event.invalid_workspace' });
		}
	}
	if (villageId) {
		if (!(await findVillageById({ db, programmeId, villageId }))) {
			issues.push({ field: 'villageId', code: 'event.invalid_village' });
		}
	}
	if (communeCode && !(await findCommuneByCode({ db, code: communeCode }))) {
		issues.push({ field: 'communeCode', code: 'event.commune_not_found' });
	}
	return issues;
}

/**
 * Schedules an event. Operators and the demo seed (no actor), an admin or advisor of the
 * programme, or a committee member for one of their villages; other roles get
 * `event.forbidden`, other programmes `programme.not_found`. Written to the audit log.
 */
export async function createEvent(
	{ actor, input }: { actor?: Actor; input: CreateEventInput },
	{ db }: { db: Db }
): Promise<{ event: Event }> {
	const data = parseInput(createEventSchema, input);
	if (actor && actor.programmeId !== data.programmeId)
		throw programmeNotFound({ programmeId: data.programmeId });
	const values = {
		...data,
		titleEn: data.titleEn ?? null,
		descriptionFr: data.descriptionFr ?? null,
		descriptionEn: data.descriptionEn ?? null,
		workspaceId: data.workspaceId ?? null,
		villageId: data.villageId ?? null,
		address: data.address || null,
		communeCode: data.communeCode ?? null,
		capacity: data.capacity ?? null
	};
	const issues = findEventIssues(values);
	if (issues.length) throw new ValidationError(issues);
	return db.transaction(async (tx) => {
		if (actor && !canCreateEvent(actor, values.villageId, await committeeVillagesOf(tx, actor))) {
			throw eventForbidden({ userId: actor.userId });
		}
		const programme = await findProgrammeById({ db: tx, programmeId: data.programmeId });
		if (!programme) throw programmeNotFound({ programmeId: data.programmeId });
		const placeIssues = await findPlaceIssues(tx, programme.id, values);
		if (placeIssues.length) throw new ValidationError(placeIssues);
		const event = await insertEvent({ db: tx, event: { ...values, createdBy: actor?.userId ?? null } });
		if (actor) {
			await recordRecordChange(
				{
					programmeId: programme.id,
					entityType: 'event',
					entityId: event.id,
					action: 'create',
					actor,
					before: null,
					after: event
				},
				{ db: tx }
			);
		}
		log.info({ eventId: event.id, programmeId: programme.id, userId: actor?.userId }, 'Event created');
		return { event };
	});
}

type EventDeps = { db: Db; config: Config; now?: Date };

/**
 * Edits an event: admins and advisors of its programme, committee members for their
 * villages' events; anyone else gets `event.not_found`. A cancelled event is not edited
 * (`event.is_cancelled`); an event that is over keeps its date and place (`event.is_past`),
 * and an upcoming one cannot move into the past. A change of date, time or place raises the
 * calendar SEQUENCE and tells every registrant by mail.
 */
export async function updateEvent(
	{ actor, eventId, input }: { actor: Actor; eventId: string; input: UpdateEventInput },
	{ db, config, now = new Date() }: EventDeps
): Promise<{ event: Event; notified: number }> {
	const data = parseInput(updateEventSchema, input);
	return db.transaction(async (tx) => {
		const { event } = await getEvent({ actor, eventId }, { db: tx });
		if (event.status === 'cancelled') throw eventIsCancelled({ eventId: event.id });
		const values = Object.fromEntries(
			Object.entries(data).filter(([, value]) => value !== undefined)
		) as Partial<Event>;
		if ('address' in values && !values.address) values.address = null;
		if (Object.keys(values).length === 0) return { event, notified: 0 };
		const merged = { ...event, ...values };
		const isMoved = isSignificantChange(event, values);
		const issues = [...findEventIssues(merged), ...(await findPlaceIssues(tx, event.programmeId, values))];
		if (isMoved && event.endsAt.getTime() < now.getTime()) {
			const field = SIGNIFICANT_EVENT_FIELDS.find((name) => name in values) ?? 'startsAt';
			issues.push({ field, code: 'event.is_past' });
		} else if (
			values.startsAt &&
			values.startsAt.getTime() !== event.startsAt.getTime() &&
			values.startsAt.getTime() < now.getTime()
		) {
			issues.push({ field: 'startsAt', code: 'event.starts_in_past' });
		}
		// Back to draft would drop it from registrants' calendars without a word: cancel it instead.
		if (
			values.status === 'draft' &&
			event.status === 'published' &&
			(await countActiveRegistrations({ db: tx, eventId: event.id })) > 0
		) {
			issues.push({ field: 'status', code: 'event.has_registrations' });
		}
		const committeeVillageIds = await committeeVillagesOf(tx, actor);
		if (values.villageId !== undefined && !canCreateEvent(actor, values.villageId, committeeVillageIds)) {
			issues.push({ field: 'villageId', code: 'event.invalid_village' });
		}
		if (issues.length) throw new ValidationError(issues);
		const updated = await updateEventRow({
			db: tx,
			programmeId: event.programmeId,
			eventId: event.id,
			values: { ...values, ...(isMoved ? { sequence: event.sequence + 1 } : {}), updatedAt: now }
		});
		await recordRecordChange(
			{
				programmeId: event.programmeId,
				entityType: 'event',
				entityId: event.id,
				action: 'update',
				actor,
				before: event,
				after: updated
			},
			{ db: tx }
		);
		const { notified } =
			isMoved && updated.status === 'published'
				? await notifyRegistrantsOfEventChange(
						{ programmeId: event.programmeId, eventId: event.id, kind: 'changed' },
						{ db: tx, config }
					)
				: { notified: 0 };
		log.info(
			{ eventId: event.id, userId: actor.userId, fields: Object.keys(values), notified },
			'Event updated'
		);
		return { event: updated, notified };
	});
}

/**
 * Cancels an event: it stays on its public page, marked cancelled, and leaves the lists; its
 * calendar entry turns CANCELLED (SEQUENCE raised) and every registrant is told by mail.
 * Cancelling twice is harmless; an event that is over cannot be cancelled (`event.is_past`).
 * Who may: as for `updateEvent`.
 */
export async function cancelEvent(
	{ actor, eventId }: { actor: Actor; eventId: string },
	{ db, config, now = new Date() }: EventDeps
): Promise<{ event: Event; notified: number }> {
	return db.transaction(async (tx) => {
		const { event } = await getEvent({ actor, eventId }, { db: tx });
		if (event.status === 'cancelled') return { event, notified: 0 };
		if (event.endsAt.getTime() < now.getTime()) throw eventIsPast({ eventId: event.id });
		const updated = await updateEventRow({
			db: tx,
			programmeId: event.programmeId,
			eventId: event.id,
			values: { status: 'cancelled', sequence: event.sequence + 1, updatedAt: now }
		});
		await recordRecordChange(
			{
				programmeId: event.programmeId,
				entityType: 'event',
				entityId: event.id,
				action: 'cancel',
				actor,
				before: event,
				after: updated
			},
			{ db: tx }
		);
		// A draft had no registrant (registering needs a published event).
		const { notified } =
			event.status === 'published'
				? await notifyRegistrantsOfEventChange(
						{ programmeId: event.programmeId, eventId: event.id, kind: 'cancelled' },
						{ db: tx, config }
					)
				: { notified: 0 };
		log.info({ eventId: event.id, userId: actor.userId, notified }, 'Event cancelled');
		return { event: updated, notified };
	});
}

/**
 * Copies an event (cancelled or not, past or not) to a new date, as a draft: same texts,
 * place, capacity and village; the end keeps the original duration unless given. Who may: as
 * for `updateEvent`. The new start must be to come (`event.starts_in_past`).
 */
export async function duplicateEvent(
	{ actor, eventId, input }: { actor: Actor; eventId: string; input: DuplicateEventInput },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ event: Event }> {
	const data = parseInput(duplicateEventSchema, input);
	const { event: source } = await getEvent({ actor, eventId }, { db });
	const endsAt =
		data.endsAt ?? new Date(data.startsAt.getTime() + (source.endsAt.getTime() - source.startsAt.getTime()));
	if (data.startsAt.getTime() < now.getTime()) {
		throw new ValidationError([{ field: 'startsAt', code: 'event.starts_in_past' }]);
	}
	return createEvent(
		{
			actor,
			input: {
				programmeId: source.programmeId,
				kind: source.kind,
				titleFr: source.titleFr,
				titleEn: source.titleEn,
				descriptionFr: source.descriptionFr,
				descriptionEn: source.descriptionEn,
				startsAt: data.startsAt,
				endsAt,
				workspaceId: source.workspaceId,
				villageId: source.villageId,
				address: source.address,
				communeCode: source.communeCode,
				capacity: source.capacity,
				isOnline: source.isOnline,
				status: 'draft'
			}
		},
		{ db }
	);
}
