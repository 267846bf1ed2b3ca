import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { personsTable } from './cases.ts';
import { programmesTable } from './programmes.ts';

/**
 * What a person may agree to. The first four mirror `cases.consents` (which stays the current
 * state the permission checks read); `directory` is a member's listing in the directory.
 */
export const CONSENT_PURPOSES = [
	'contact',
	'share_with_committees',
	'share_with_partners',
	'research'
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Where the consent was given: the apply form, an advisor's entry, the person's own space, the demo seed. */
export const CONSENT_SOURCES = ['web_form', 'advisor', 'self_service', 'import', 'demo'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/**
 * One consent given by a person for one purpose, with the version of the text they agreed to;
 * withdrawing sets `withdrawn_at` (a new consent is a new row, so the history stays). A consent
 * belongs to a person of a household, or to an account without a household (a member invited
 * without a case): at least one of `person_id` and `user_id` is set.
 */
export const consentsTable = pgTable(
	'consents',
	{
		id: id('cns'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		personId: text('person_id').references(() => personsTable.id, { onDelete: 'cascade' }),
		userId: text('user_id').references(() => usersTable.id, { onDelete: 'cascade' }),
		purpose: text('purpose').$type<ConsentPurpose>().notNull(),
		/** The version of the consent text shown (CONSENT_TEXT_VERSION in privacy.rules.ts). */
		textVersion: text('text_version').notNull(),
		givenAt: timestamp('given_at', { withTimezone: true }).notNull().defaultNow(),
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
		source: text('source').$type<ConsentSource>().notNull(),
		/** Who recorded it: null for the person themselves (web form, own space) or the system. */
		recordedBy: text('recorded_by').references(() => usersTable.id, { onDelete: 'set null' })
	},
	(table) => [
		// A person's consents (case page, own space, export).
		index('consents_person_idx').on(table.personId, table.purpose),
		index('consents_user_idx').on(table.userId, table.purpose),
		index('consents_programme_idx').on(table.programmeId, table.givenAt)
	]
);

/**
 * A programme's retention periods. No row: the defaults of privacy.rules.ts. Sign-in attempts
 * and their IP addresses are kept 30 days everywhere (not a setting).
 */
export const privacyRetentionSettingsTable = pgTable('privacy_retention_settings', {
	programmeId: text('programme_id')
		.primaryKey()
		.references(() => programmesTable.id, { onDelete: 'cascade' }),
	/** Leads (cases still at their first stage, or abandoned) silent this long are anonymised. */
	leadInactiveMonths: integer('lead_inactive_months').notNull(),
	/** Bodies of sent mail older than this are redacted (the envelope stays). */
	mailBodyDays: integer('mail_body_days').notNull(),
	updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** Erasures done (the person is gone; only the fact, the reason and the author remain). */
export const erasuresTable = pgTable(
	'erasures',
	{
		id: id('era'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		/** The anonymised person's row id (the row stays, without anything that names them). */
		personId: text('person_id').notNull(),
		caseId: text('case_id'),
		/** `request` (the person asked), `retention` (the scheduled job). */
		kind: text('kind').$type<'request' | 'retention'>().notNull(),
		reason: text('reason').notNull(),
		erasedBy: text('erased_by').references(() => usersTable.id, { onDelete: 'set null' }),
		erasedAt: timestamp('erased_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [index('erasures_programme_idx').on(table.programmeId, table.erasedAt)]
);

export type Consent = typeof consentsTable.$inferSelect;
export type PrivacyRetentionSettings = typeof privacyRetentionSettingsTable.$inferSelect;
export type Erasure = typeof erasuresTable.$inferSelect;
