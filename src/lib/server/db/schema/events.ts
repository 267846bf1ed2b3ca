import { boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';
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
		status: text('status').$type<EventStatus>().notNull().default('published'),
		isDemo: boolean('is_demo').notNull().default(false),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [
		// The public agenda: a programme's events by start date (upcoming and past lists).
		index('events_programme_starts_idx').on(table.programmeId, table.startsAt),
		// A workspace page lists the events it hosts; also keeps the FK's set-null cheap.
		index('events_workspace_idx').on(table.workspaceId)
	]
);

export type Event = typeof eventsTable.$inferSelect;
