import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';
import { villagesTable } from './villages.ts';
import { communesTable } from './territory.ts';
import { workspacesTable } from './workspaces.ts';

export const EVENT_KINDS = [
	'breakfast',
	'workshop',
	'club_meeting',
	'information_meeting',
	'afterwork',
	'fair_stand',
	'conference'
] as const;
/**
 * breakfast: the solos' breakfast in a tiers-lieu; club_meeting: the members' club;
 * information_meeting: for candidates (often the first contact); fair_stand: the
 * programme's stand at a fair in the metropole or abroad.
 */
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
/** draft: staff only; published: public; cancelled: stays public, marked cancelled. */
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** A programme event. The place is a workspace of the programme, or an address in a commune. */
export const eventsTable = pgTable(
	'events',
	{
		id: id('evt'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<EventKind>().notNull(),
		titleFr: text('title_fr').notNull(),
		titleEn: text('title_en'),
		/** Markdown. */
		descriptionFr: text('description_fr'),
		descriptionEn: text('description_en'),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		/** The place when it is one of the programme's workspaces. */
		workspaceId: text('workspace_id').references(() => workspacesTable.id, { onDelete: 'set null' }),
		/** The place otherwise (a town hall, a fair in Paris); free text. */
		address: text('address'),
		/** The commune of `address`; null for places outside the imported territory. */
		communeCode: text('commune_code').references(() => communesTable.code, { onDelete: 'restrict' }),
		/** Seats; null when unlimited or unknown. */
		capacity: integer('capacity'),
		isOnline: boolean('is_online').notNull().default(false),
		/** The partner village the event belongs to (its committee may edit it); null for programme-wide events. */
		villageId: text('village_id').references(() => villagesTable.id, { onDelete: 'set null' }),
		/**
		 * iCalendar SEQUENCE: grows by one at each change of date, time or place and at cancellation,
		 * so calendar applications replace their copy.
		 */
		sequence: integer('sequence').notNull().default(0),
		status: text('status').$type<EventStatus>().notNull().default('published'),
		isDemo: boolean('is_demo').notNull().default(false),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [
		// The public agenda: a programme's events by start date (upcoming and past lists).
		index('events_programme_starts_idx').on(table.programmeId, table.startsAt),
		// A workspace page lists the events it hosts; also keeps the FK's set-null cheap.
		index('events_workspace_idx').on(table.workspaceId),
		// A committee member's events: those of their villages.
		index('events_village_idx').on(table.villageId)
	]
);

export type Event = typeof eventsTable.$inferSelect;

export const REGISTRATION_STATUSES = ['registered', 'waitlisted', 'cancelled'] as const;
/** registered: has a seat; waitlisted: waits for one (first come, first served); cancelled: withdrew. */
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/**
 * A person registered to an event: a member or candidate signed in (user_id), or a visitor who
 * gave a name and an email (an information meeting is often the first contact). One row per
 * event and email; a cancelled registration that registers again becomes active again.
 */
export const eventRegistrationsTable = pgTable(
	'event_registrations',
	{
		id: id('reg'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		eventId: text('event_id')
			.notNull()
			.references(() => eventsTable.id, { onDelete: 'cascade' }),
		userId: text('user_id').references(() => usersTable.id, { onDelete: 'set null' }),
		name: text('name').notNull(),
		/** Lower-cased. */
		email: text('email').notNull(),
		locale: text('locale').$type<'fr' | 'en'>().notNull().default('fr'),
		status: text('status').$type<RegistrationStatus>().notNull().default('registered'),
		/** The secret of the personal link that cancels the registration (no sign-in needed). */
		token: text('token').notNull(),
		/** Recorded by the staff after the event: true came, false did not, null not recorded. */
		attended: boolean('attended'),
		reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
		/** When the person got their seat (registration, or promotion from the waiting list). */
		seatedAt: timestamp('seated_at', { withTimezone: true }),
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		...timestamps()
	},
	(table) => [
		uniqueIndex('event_registrations_event_email_unique').on(table.eventId, table.email),
		uniqueIndex('event_registrations_token_unique').on(table.token),
		// Seats taken and the waiting list, in order.
		index('event_registrations_event_status_idx').on(table.eventId, table.status, table.createdAt),
		// "My events" and the engagement signal of a member.
		index('event_registrations_user_idx').on(table.userId)
	]
);

export type EventRegistration = typeof eventRegistrationsTable.$inferSelect;
