import { boolean, date, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { casesTable, personsTable } from './cases.ts';
import { organisationsTable } from './organisations.ts';
import { programmesTable } from './programmes.ts';

export const REFERRAL_NEED_KINDS = [
	'job_search',
	'business_creation',
	'financing',
	'accounting',
	'housing',
	'training',
	'other'
] as const;
/** What the household needs from the partner organisation. */
export type ReferralNeedKind = (typeof REFERRAL_NEED_KINDS)[number];

export const REFERRAL_STATUSES = ['proposed', 'accepted', 'declined', 'outcome_recorded'] as const;
/**
 * proposed: sent to the organisation, waiting for its answer; accepted / declined: its
 * answer; outcome_recorded: the organisation (or the staff) said how it went. The loop is
 * closed when the outcome is recorded (it may be updated while 'in_progress').
 */
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_OUTCOMES = ['achieved', 'not_achieved', 'in_progress'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/**
 * A person of a household referred to a partner organisation (employment service, bank,
 * chamber...). The organisation sees only what the household agreed to share
 * (see referral.rules.ts), answers, then records the outcome: a closed loop.
 */
export const referralsTable = pgTable(
	'referrals',
	{
		id: id('ref'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		/** The member of the household the referral is about (null: the household as a whole). */
		personId: text('person_id').references(() => personsTable.id, { onDelete: 'set null' }),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisationsTable.id, { onDelete: 'cascade' }),
		needKind: text('need_kind').$type<ReferralNeedKind>().notNull(),
		/** The advisor's message to the organisation. */
		message: text('message'),
		status: text('status').$type<ReferralStatus>().notNull().default('proposed'),
		/** The organisation should answer by this day; past it, a proposed referral is overdue. */
		expectedAnswerOn: date('expected_answer_on').notNull(),
		declineReason: text('decline_reason'),
		answeredBy: text('answered_by').references(() => usersTable.id, { onDelete: 'set null' }),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		outcome: text('outcome').$type<ReferralOutcome>(),
		outcomeNote: text('outcome_note'),
		outcomeOn: date('outcome_on'),
		outcomeBy: text('outcome_by').references(() => usersTable.id, { onDelete: 'set null' }),
		outcomeAt: timestamp('outcome_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [
		// The referrals list and its status filter, newest first.
		index('referrals_programme_status_idx').on(table.programmeId, table.status, table.createdAt),
		// A partner's inbox: the referrals of their organisation.
		index('referrals_organisation_idx').on(table.organisationId, table.status),
		// The referrals section of a case page.
		index('referrals_case_idx').on(table.caseId)
	]
);

export type Referral = typeof referralsTable.$inferSelect;
