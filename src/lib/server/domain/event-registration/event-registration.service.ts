import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import { renderCalendar, type CalendarEvent } from '../../calendar/ics.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { Event, EventRegistration, RegistrationStatus } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { eventNotFound } from '../event/event.errors.ts';
import { findEventRows, type EventRow } from '../event/event.repository.ts';
import { eventIdSchema } from '../event/event.schemas.ts';
import { queueMail } from '../mail/mail.service.ts';
import { getProgrammeAddress } from '../programme/programme-host.service.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { consumeRateLimits, publicFormLimits } from '../rate-limit/rate-limit.service.ts';
import { findCommitteeVillageIds } from '../village/village.repository.ts';
import { pickLocalised } from '../village/village.rules.ts';
import {
	registrationAttendanceTooEarly,
	registrationClosed,
	registrationForbidden,
	registrationNotFound
} from './event-registration.errors.ts';
import { buildRegistrationMail, type RegistrationMailKind } from './event-registration.mails.ts';
import {
	claimReminder,
	countSeatsTaken,
	findEventRegistrations,
	findEventsWithCounts,
	findFirstWaitlisted,
	findRegistrationByEmail,
	findRegistrationByToken,
	findRegistrationsToRemind,
	insertRegistration,
	lockEvent,
	setAttendance,
	updateRegistration,
	waitlistPosition,
	type EventWithCounts
} from './event-registration.repository.ts';
import { isOpenForRegistration, REMINDER_WINDOW_HOURS, seatFor } from './event-registration.rules.ts';
import { registerSchema, registrationTokenSchema, type RegisterInput } from './event-registration.schemas.ts';
import { recordAttendanceSignsOfLife } from '../follow-up/follow-up.service.ts';

const log = createLogger({ namespace: 'event-registration' });

type Deps = { db: Db; now?: Date };
type MailDeps = Deps & { config: Config };

const newToken = () => randomBytes(24).toString('base64url');

/** Where the event takes place, in one line (workspace, address, commune). */
function placeOf(row: EventRow): string | null {
	const parts = [row.workspaceName, row.address ?? row.workspaceAddress, row.communeName].filter(Boolean);
	return parts.length ? [...new Set(parts)].join(', ') : null;
}

async function loadEventRow(db: Db, programmeId: string, eventId: string): Promise<EventRow> {
	if (!v.is(eventIdSchema, eventId)) throw eventNotFound({ eventId });
	const [row] = await findEventRows({ db, programmeId, statuses: ['published', 'cancelled'], eventId });
	if (!row) throw eventNotFound({ eventId });
	return row;
}

async function queueRegistrationMail(
	{
		kind,
		registration,
		event
	}: { kind: RegistrationMailKind; registration: EventRegistration; event: EventRow },
	{ db, config }: { db: Db; config: Config }
): Promise<void> {
	const programme = await findProgrammeById({ db, programmeId: registration.programmeId });
	const { address: origin } = await getProgrammeAddress(
		{ programmeId: registration.programmeId },
		{ db, config }
	);
	const title = pickLocalised({ fr: event.titleFr, en: event.titleEn }, registration.locale) ?? event.titleFr;
	const position = kind === 'waitlisted' ? await waitlistPosition({ db, registration }) : undefined;
	const mail = buildRegistrationMail({
		kind,
		locale: registration.locale,
		name: registration.name,
		eventTitle: title,
		startsAt: event.startsAt,
		place: placeOf(event),
		position,
		eventUrl: `${origin}/events/${event.id}?lang=${registration.locale}`,
		calendarUrl: `${origin}/events/${event.id}/event.ics?lang=${registration.locale}`,
		cancelUrl: `${origin}/events/registrations/${registration.token}`,
		programmeName: programme?.name ?? 'soho'
	});
	await queueMail(
		{
			programmeId: registration.programmeId,
			kind: `event.registration_${kind}`,
			to: registration.email,
			...mail
		},
		{ db, config }
	);
}

/**
 * Tells everyone registered to an event (seated or waiting) that it moved or was cancelled, each
 * in their language, in the caller's transaction (the mails leave after commit). Called by the
 * event service after a change of date, time or place, or a cancellation.
 */
export async function notifyRegistrantsOfEventChange(
	{ programmeId, eventId, kind }: { programmeId: string; eventId: string; kind: 'changed' | 'cancelled' },
	{ db, config }: { db: Db; config: Config }
): Promise<{ notified: number }> {
	const row = await loadEventRow(db, programmeId, eventId);
	const registrations = (await findEventRegistrations({ db, eventId: row.id })).filter(
		(registration) => registration.status !== 'cancelled'
	);
	for (const registration of registrations) {
		await queueRegistrationMail({ kind, registration, event: row }, { db, config });
	}
	log.info({ eventId, kind, notified: registrations.length }, 'Registrants told of an event change');
	return { notified: registrations.length };
}

export type RegistrationResult = {
	registration: EventRegistration;
	status: Exclude<RegistrationStatus, 'cancelled'>;
	/** On the waiting list: the person's rank (1 = next seat). */
	position: number | null;
	/** The email was already registered (or waiting): nothing changed, no second message. */
	isAlreadyRegistered: boolean;
};

/**
 * Registers someone to a published event that has not started: a signed-in member or candidate
 * with their account, or a visitor with a name and an email. A seat while there are seats, the
 * waiting list after; the same email twice keeps its first place. A confirmation mail leaves with
 * the calendar file link and a personal link to cancel. Seats are counted under a lock on the
 * event, so two people never take the last seat together. From the web (`clientAddress` given) a new
 * registration counts against SOHO_LIMIT_REGISTRATIONS_PER_HOUR per address and the mails allowed
 * per recipient (`rate_limit.exceeded` beyond).
 */
export async function registerForEvent(
	{
		actor = null,
		programmeId,
		eventId,
		input,
		locale = 'fr',
		clientAddress = null
	}: {
		actor?: Actor | null;
		programmeId: string;
		eventId: string;
		input: RegisterInput;
		locale?: 'fr' | 'en';
		/** The client's address, for the per-address and per-recipient limits of the web form. */
		clientAddress?: string | null;
	},
	{ db, config, now = new Date() }: MailDeps
): Promise<RegistrationResult> {
	if (actor && actor.programmeId !== programmeId) throw eventNotFound({ eventId });
	const data = parseInput(registerSchema, actor ? { name: actor.name, email: actor.email, ...input } : input);
	const result = await db.transaction(async (tx) => {
		const row = await loadEventRow(tx, programmeId, eventId);
		const event = await lockEvent({ db: tx, programmeId, eventId });
		if (!event || !isOpenForRegistration(event, now)) throw registrationClosed({ eventId });
		const existing = await findRegistrationByEmail({ db: tx, eventId, email: data.email });
		if (existing && existing.status !== 'cancelled') {
			const position =
				existing.status === 'waitlisted' ? await waitlistPosition({ db: tx, registration: existing }) : null;
			return { registration: existing, status: existing.status, position, isAlreadyRegistered: true };
		}
		if (clientAddress) {
			// Only a registration that is written (and mailed) counts, in this transaction.
			await consumeRateLimits(
				{
					rules: publicFormLimits({
						action: 'event.register',
						clientAddress,
						perAddressPerHour: config.limitRegistrationsPerHour,
						recipient: data.email,
						config
					})
				},
				{ db: tx, now }
			);
		}
		const status = seatFor(event.capacity, await countSeatsTaken({ db: tx, eventId }));
		const values = {
			name: data.name,
			userId: actor?.userId ?? existing?.userId ?? null,
			locale: actor?.locale ?? locale,
			status,
			seatedAt: status === 'registered' ? now : null,
			cancelledAt: null,
			attended: null,
			reminderSentAt: null,
			updatedAt: now
		};
		const registration = existing
			? // Registering again after cancelling: back at the end of the queue.
				await updateRegistration({
					db: tx,
					registrationId: existing.id,
					values: { ...values, createdAt: sql`now()` as unknown as Date }
				})
			: await insertRegistration({
					db: tx,
					registration: {
						...values,
						programmeId,
						eventId,
						email: data.email,
						token: newToken()
						// created_at comes from the database clock: it orders the waiting list.
					}
				});
		await queueRegistrationMail({ kind: status, registration, event: row }, { db: tx, config });
		const position = status === 'waitlisted' ? await waitlistPosition({ db: tx, registration }) : null;
		return { registration, status, position, isAlreadyRegistered: false };
	});
	log.info(
		{ eventId, status: result.status, isAlreadyRegistered: result.isAlreadyRegistered },
		'Event registration'
	);
	return result;
}

export type RegistrationView = {
	registration: Pick<EventRegistration, 'id' | 'name' | 'email' | 'status' | 'cancelledAt'>;
	event: {
		id: string;
		title: string;
		startsAt: Date;
		endsAt: Date;
		place: string | null;
		isCancelled: boolean;
	};
	position: number | null;
	/** Cancelling is possible until the event starts. */
	canCancel: boolean;
};

async function viewOf(
	db: Db,
	registration: EventRegistration,
	locale: 'fr' | 'en',
	now: Date
): Promise<RegistrationView> {
	const row = await loadEventRow(db, registration.programmeId, registration.eventId);
	return {
		registration: {
			id: registration.id,
			name: registration.name,
			email: registration.email,
			status: registration.status,
			cancelledAt: registration.cancelledAt
		},
		event: {
			id: row.id,
			title: pickLocalised({ fr: row.titleFr, en: row.titleEn }, locale) ?? row.titleFr,
			startsAt: row.startsAt,
			endsAt: row.endsAt,
			place: placeOf(row),
			isCancelled: row.status === 'cancelled'
		},
		position: registration.status === 'waitlisted' ? await waitlistPosition({ db, registration }) : null,
		canCancel: registration.status !== 'cancelled' && row.startsAt.getTime() > now.getTime()
	};
}

/** What the personal link shows: the event and where the person stands. Unknown links: not found. */
export async function getRegistrationByToken(
	{ token, locale = 'fr' }: { token: string; locale?: 'fr' | 'en' },
	{ db, now = new Date() }: Deps
): Promise<RegistrationView> {
	if (!v.is(registrationTokenSchema, token)) throw registrationNotFound({});
	const registration = await findRegistrationByToken({ db, token });
	if (!registration) throw registrationNotFound({});
	return viewOf(db, registration, locale, now);
}

/**
 * Cancels through the personal link (no sign-in). Cancelling twice changes nothing. A freed
 * seat goes to the first person on the waiting list, who is told by email.
 */
export async function cancelRegistration(
	{ token, locale = 'fr' }: { token: string; locale?: 'fr' | 'en' },
	{ db, config, now = new Date() }: MailDeps
): Promise<RegistrationView & { promoted: string | null }> {
	if (!v.is(registrationTokenSchema, token)) throw registrationNotFound({});
	return db.transaction(async (tx) => {
		const found = await findRegistrationByToken({ db: tx, token, forUpdate: true });
		if (!found) throw registrationNotFound({});
		const event = await lockEvent({ db: tx, programmeId: found.programmeId, eventId: found.eventId });
		if (found.status === 'cancelled') return { ...(await viewOf(tx, found, locale, now)), promoted: null };
		if (!event || event.startsAt.getTime() <= now.getTime())
			throw registrationClosed({ eventId: found.eventId });
		const cancelled = await updateRegistration({
			db: tx,
			registrationId: found.id,
			values: { status: 'cancelled', cancelledAt: now, seatedAt: null, updatedAt: now }
		});
		let promoted: string | null = null;
		if (found.status === 'registered' && event.status === 'published') {
			const next = await findFirstWaitlisted({ db: tx, eventId: event.id });
			if (
				next &&
				seatFor(event.capacity, await countSeatsTaken({ db: tx, eventId: event.id })) === 'registered'
			) {
				const seated = await updateRegistration({
					db: tx,
					registrationId: next.id,
					values: { status: 'registered', seatedAt: now, updatedAt: now }
				});
				const row = await loadEventRow(tx, event.programmeId, event.id);
				await queueRegistrationMail(
					{ kind: 'promoted', registration: seated, event: row },
					{ db: tx, config }
				);
				promoted = seated.id;
			}
		}
		log.info({ eventId: event?.id, promoted: Boolean(promoted) }, 'Event registration cancelled');
		return { ...(await viewOf(tx, cancelled, locale, now)), promoted };
	});
}

function assertStaff(actor: Actor): void {
	if (actor.role !== 'admin' && actor.role !== 'advisor')
		throw registrationForbidden({ userId: actor.userId });
}

export type EventRegistrations = {
	event: Pick<Event, 'id' | 'titleFr' | 'titleEn' | 'startsAt' | 'endsAt' | 'capacity' | 'status'>;
	registrations: EventRegistration[];
	counts: { registered: number; waitlisted: number; cancelled: number; attended: number };
	/** Attendance can be recorded once the event has started. */
	canRecordAttendance: boolean;
};

/** Who registered to an event of the programme, in order (staff only). */
export async function listEventRegistrations(
	{ actor, eventId }: { actor: Actor; eventId: string },
	{ db, now = new Date() }: Deps
): Promise<EventRegistrations> {
	assertStaff(actor);
	const row = await loadEventRow(db, actor.programmeId, eventId);
	const registrations = await findEventRegistrations({ db, eventId: row.id });
	const by = (status: RegistrationStatus) => registrations.filter((r) => r.status === status).length;
	return {
		event: {
			id: row.id,
			titleFr: row.titleFr,
			titleEn: row.titleEn,
			startsAt: row.startsAt,
			endsAt: row.endsAt,
			capacity: row.capacity,
			status: row.status
		},
		registrations,
		counts: {
			registered: by('registered'),
			waitlisted: by('waitlisted'),
			cancelled: by('cancelled'),
			attended: registrations.filter((r) => r.attended === true).length
		},
		canRecordAttendance: row.startsAt.getTime() <= now.getTime()
	};
}

/**
 * Records who came: the listed registrations attended, the other seated ones did not. Staff only,
 * once the event has started. Attendance feeds the households' last sign of life.
 */
export async function recordAttendance(
	{ actor, eventId, attendedIds }: { actor: Actor; eventId: string; attendedIds: string[] },
	{ db, now = new Date() }: Deps
): Promise<{ attended: number; absent: number }> {
	assertStaff(actor);
	return db.transaction(async (tx) => {
		const row = await loadEventRow(tx, actor.programmeId, eventId);
		if (row.startsAt.getTime() > now.getTime()) throw registrationAttendanceTooEarly({ eventId });
		const counts = await setAttendance({ db: tx, eventId: row.id, attendedIds, now });
		// The households whose candidate came show a sign of life (the event's start).
		await recordAttendanceSignsOfLife(
			{ programmeId: actor.programmeId, eventId: row.id, at: row.startsAt },
			{ db: tx }
		);
		return counts;
	});
}

/**
 * The reminder: registered people of events starting within the next REMINDER_WINDOW_HOURS get
 * one message each, once. A scheduled job; no actor.
 */
export async function sendEventReminders(
	{ now = new Date() }: { now?: Date },
	{ db, config }: { db: Db; config: Config }
): Promise<{ reminded: number }> {
	const due = await findRegistrationsToRemind({
		db,
		from: now,
		until: new Date(now.getTime() + REMINDER_WINDOW_HOURS * 3_600_000)
	});
	let reminded = 0;
	for (const { registration, event } of due) {
		const isSent = await db.transaction(async (tx) => {
			if (!(await claimReminder({ db: tx, registrationId: registration.id, now }))) return false;
			const row = await loadEventRow(tx, event.programmeId, event.id);
			await queueRegistrationMail({ kind: 'reminder', registration, event: row }, { db: tx, config });
			return true;
		});
		if (isSent) reminded++;
	}
	log.info({ reminded }, 'Event reminders');
	return { reminded };
}

function toCalendarEvent(row: EventRow, locale: 'fr' | 'en', origin: string, host: string): CalendarEvent {
	return {
		uid: `${row.id}@${host}`,
		title: pickLocalised({ fr: row.titleFr, en: row.titleEn }, locale) ?? row.titleFr,
		description: pickLocalised({ fr: row.descriptionFr, en: row.descriptionEn }, locale),
		location: row.isOnline ? (placeOf(row) ?? 'En ligne / Online') : placeOf(row),
		url: `${origin}/events/${row.id}`,
		startsAt: row.startsAt,
		endsAt: row.endsAt,
		isCancelled: row.status === 'cancelled',
		sequence: row.sequence,
		updatedAt: row.updatedAt
	};
}

/** The `.ics` file of one published (or cancelled) event. */
export async function getEventCalendarFile(
	{ programmeId, eventId, locale = 'fr' }: { programmeId: string; eventId: string; locale?: 'fr' | 'en' },
	{ db, config, now = new Date() }: Deps & { config: Config }
): Promise<{ fileName: string; text: string }> {
	const row = await loadEventRow(db, programmeId, eventId);
	const programme = await findProgrammeById({ db, programmeId });
	const { address: origin } = await getProgrammeAddress({ programmeId }, { db, config });
	const text = renderCalendar({
		name: programme?.name ?? 'soho',
		events: [toCalendarEvent(row, locale, origin, new URL(origin).hostname)],
		now
	});
	return { fileName: `${row.id}.ics`, text };
}

/** The programme's calendar feed: its published and cancelled events of the last 90 days and to come. */
export async function getProgrammeCalendarFeed(
	{ programmeId, locale = 'fr' }: { programmeId: string; locale?: 'fr' | 'en' },
	{ db, config, now = new Date() }: Deps & { config: Config }
): Promise<{ text: string }> {
	const programme = await findProgrammeById({ db, programmeId });
	const rows = await findEventRows({
		db,
		programmeId,
		statuses: ['published', 'cancelled'],
		endsFrom: new Date(now.getTime() - 90 * 86_400_000)
	});
	const { address: origin } = await getProgrammeAddress({ programmeId }, { db, config });
	const host = new URL(origin).hostname;
	return {
		text: renderCalendar({
			name: programme?.name ?? 'soho',
			events: rows.map((row) => toCalendarEvent(row, locale, origin, host)),
			now
		})
	};
}

export type RegistrationSummary = {
	isOpen: boolean;
	capacity: number | null;
	seatsLeft: number | null;
	/** The signed-in person's registration to this event, if any. */
	mine: { status: RegistrationStatus; position: number | null; token: string } | null;
};

/** What the event page shows next to its registration form. */
export async function getRegistrationSummary(
	{ actor = null, programmeId, eventId }: { actor?: Actor | null; programmeId: string; eventId: string },
	{ db, now = new Date() }: Deps
): Promise<RegistrationSummary> {
	const row = await loadEventRow(db, programmeId, eventId);
	const taken = await countSeatsTaken({ db, eventId: row.id });
	const own =
		actor && actor.programmeId === programmeId
			? await findRegistrationByEmail({ db, eventId: row.id, email: actor.email.toLowerCase() })
			: null;
	return {
		isOpen: isOpenForRegistration(row, now),
		capacity: row.capacity,
		seatsLeft: row.capacity === null ? null : Math.max(0, row.capacity - taken),
		mine:
			own && own.status !== 'cancelled'
				? {
						status: own.status,
						position: own.status === 'waitlisted' ? await waitlistPosition({ db, registration: own }) : null,
						token: own.token
					}
				: null
	};
}

/**
 * The programme's events with their registration counts, upcoming (soonest first) and past
 * (latest first). Staff see every event; committee members those of their villages.
 */
export async function listEventsWithRegistrations(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<{ upcoming: EventWithCounts[]; past: EventWithCounts[] }> {
	if (actor.role !== 'committee') assertStaff(actor);
	const villageIds =
		actor.role === 'committee' ? await findCommitteeVillageIds({ db, userId: actor.userId }) : undefined;
	const events = await findEventsWithCounts({ db, programmeId: actor.programmeId, villageIds });
	return {
		upcoming: events.filter((e) => e.endsAt.getTime() >= now.getTime()),
		past: events.filter((e) => e.endsAt.getTime() < now.getTime()).reverse()
	};
}
