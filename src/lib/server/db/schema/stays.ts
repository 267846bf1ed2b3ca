import {
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { casesTable } from './cases.ts';
import { offersTable } from './offers.ts';
import { organisationsTable } from './organisations.ts';
import { programmesTable } from './programmes.ts';
import { villagesTable } from './villages.ts';
import { workspacesTable } from './workspaces.ts';

/** A discovery stay is for one household; a welcome session gathers several on one date. */
export const STAY_KINDS = ['stay', 'welcome_session'] as const;
export type StayKind = (typeof STAY_KINDS)[number];

/** Stored status; a planned stay whose last day is past counts as completed (discovery-stay.rules.ts). */
export const STAY_STATUSES = ['planned', 'cancelled'] as const;
export type StayStatus = (typeof STAY_STATUSES)[number];

/** Who hosts a meeting: a committee member of a partner village, a partner, a settled member, a workspace's partner. */
export const STAY_HOST_KINDS = ['committee', 'partner', 'member', 'workspace'] as const;
export type StayHostKind = (typeof STAY_HOST_KINDS)[number];

export const STAY_HOST_RESPONSES = ['invited', 'confirmed', 'declined'] as const;
export type StayHostResponse = (typeof STAY_HOST_RESPONSES)[number];

/** Who recorded an outcome: the advisor (staff) or the household (the candidate). */
export const STAY_OUTCOME_AUTHORS = ['advisor', 'household'] as const;
export type StayOutcomeAuthor = (typeof STAY_OUTCOME_AUTHORS)[number];

export const STAY_NEXT_STEPS = [
	'second_visit',
	'look_for_housing',
	'installing',
	'think_it_over',
	'stop'
] as const;
export type StayNextStep = (typeof STAY_NEXT_STEPS)[number];

/** A discovery stay (one household) or a welcome session (several), planned by an advisor. */
export const discoveryStaysTable = pgTable(
	'discovery_stays',
	{
		id: id('sty'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<StayKind>().notNull(),
		title: text('title').notNull(),
		startsOn: date('starts_on').notNull(),
		endsOn: date('ends_on').notNull(),
		/** Free text: where the household sleeps. */
		lodging: text('lodging'),
		/** Or a partner's offer (a gîte, a flat to try). */
		lodgingOfferId: text('lodging_offer_id').references(() => offersTable.id, { onDelete: 'set null' }),
		status: text('status').$type<StayStatus>().notNull().default('planned'),
		/** Grows at each change of dates or meetings and at cancellation (ICS SEQUENCE). */
		sequence: integer('sequence').notNull().default(0),
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [
		// The back-office list: a programme's stays by date.
		index('discovery_stays_programme_starts_idx').on(table.programmeId, table.startsOn)
	]
);

/** The households (cases) of a stay: one for a discovery stay, several for a welcome session. */
export const discoveryStayHouseholdsTable = pgTable(
	'discovery_stay_households',
	{
		stayId: text('stay_id')
			.notNull()
			.references(() => discoveryStaysTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' })
	},
	(table) => [
		primaryKey({ name: 'discovery_stay_households_pk', columns: [table.stayId, table.caseId] }),
		// A case's stays (case page, candidate space) and the funnel's stay → installation join.
		index('discovery_stay_households_case_idx').on(table.caseId)
	]
);

/** One meeting of a stay's programme, with its host, who is invited and confirms or declines. */
export const discoveryStayMeetingsTable = pgTable(
	'discovery_stay_meetings',
	{
		id: id('stm'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		stayId: text('stay_id')
			.notNull()
			.references(() => discoveryStaysTable.id, { onDelete: 'cascade' }),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		place: text('place').notNull(),
		topic: text('topic'),
		hostKind: text('host_kind').$type<StayHostKind>().notNull(),
		/** The person who confirms: a committee member, a partner or a member of the programme. */
		hostUserId: text('host_user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		villageId: text('village_id').references(() => villagesTable.id, { onDelete: 'set null' }),
		organisationId: text('organisation_id').references(() => organisationsTable.id, { onDelete: 'set null' }),
		workspaceId: text('workspace_id').references(() => workspacesTable.id, { onDelete: 'set null' }),
		response: text('response').$type<StayHostResponse>().notNull().default('invited'),
		respondedAt: timestamp('responded_at', { withTimezone: true }),
		...timestamps()
	},
	(table) => [
		// A stay's programme in order.
		index('discovery_stay_meetings_stay_idx').on(table.stayId, table.startsAt),
		// A host's invitations.
		index('discovery_stay_meetings_host_idx').on(table.hostUserId, table.startsAt)
	]
);

/** What the advisor and the household each say after the stay (one answer each per household). */
export const discoveryStayOutcomesTable = pgTable(
	'discovery_stay_outcomes',
	{
		id: id('sto'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		stayId: text('stay_id')
			.notNull()
			.references(() => discoveryStaysTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		authorKind: text('author_kind').$type<StayOutcomeAuthor>().notNull(),
		authorId: text('author_id').references(() => usersTable.id, { onDelete: 'set null' }),
		wentWell: boolean('went_well').notNull(),
		stillInterested: boolean('still_interested').notNull(),
		villagesConsidered: jsonb('villages_considered').$type<string[]>().notNull().default([]),
		nextStep: text('next_step').$type<StayNextStep>().notNull(),
		comment: text('comment'),
		...timestamps()
	},
	(table) => [
		// One answer per author kind and household; a second one replaces the first.
		uniqueIndex('discovery_stay_outcomes_unique').on(table.stayId, table.caseId, table.authorKind)
	]
);

export type DiscoveryStay = typeof discoveryStaysTable.$inferSelect;
export type DiscoveryStayMeeting = typeof discoveryStayMeetingsTable.$inferSelect;
export type DiscoveryStayOutcome = typeof discoveryStayOutcomesTable.$inferSelect;
