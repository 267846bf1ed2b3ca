import { bigint, boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';

/** A text in both languages; empty strings mean "not written". */
export type BilingualText = { fr: string; en: string };

/** Look of the public site: logo and colours (checked for contrast before they are stored). */
export type IdentitySettings = {
	/** Storage key of the re-encoded logo (served under /media/KEY), or null. */
	logoKey: string | null;
	/** `#rrggbb`: buttons and links; reaches 4.5:1 against white. */
	primaryColor: string | null;
	/** `#rrggbb`: highlights under dark text; reaches 4.5:1 against the text colour. */
	accentColor: string | null;
};

export type FaqEntry = { question: BilingualText; answer: BilingualText };

/** Texts of the public site, Markdown in FR and EN; empty: the built-in texts are shown. */
export type TextsSettings = {
	homeTitle: BilingualText;
	homeIntro: BilingualText;
	howItWorks: BilingualText;
	/** Empty: the built-in FAQ is shown. */
	faq: FaqEntry[];
};

/** The legal notice (LCEN art. 6): who publishes the site and who hosts it. */
export type LegalSettings = {
	publisher: string;
	address: string;
	registration: string;
	director: string;
	hostName: string;
	hostAddress: string;
};

/** The variable parts of the privacy notice (GDPR art. 13). */
export type PrivacySettings = {
	controller: string;
	dpoContact: string;
	retention: string;
};

/**
 * A programme's settings edited by its admins, one row per programme, one jsonb per section.
 * No row (or an empty section): the built-in defaults are shown. Name, metropole, territory and
 * pipeline stay in `programmes`.
 */
export const programmeSettingsTable = pgTable('programme_settings', {
	programmeId: text('programme_id')
		.primaryKey()
		.references(() => programmesTable.id, { onDelete: 'cascade' }),
	identity: jsonb('identity').$type<IdentitySettings>(),
	texts: jsonb('texts').$type<TextsSettings>(),
	legal: jsonb('legal').$type<LegalSettings>(),
	privacy: jsonb('privacy').$type<PrivacySettings>(),
	/** The AGPL source-code link shown in the footer; null: none shown. */
	sourceCodeUrl: text('source_code_url'),
	/** Admins and advisors must sign in with a second factor (TOTP); until enrolled they only reach their account page. */
	isTwoFactorRequired: boolean('is_two_factor_required').notNull().default(false),
	/**
	 * The observatory's minimum cell size k: figures shown to readers other than staff (committee
	 * members, funders, the public home page, exports, the report) never describe fewer than k
	 * households. Null: the default (5).
	 */
	minCellSize: integer('min_cell_size'),
	updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export type ProgrammeSettingsRow = typeof programmeSettingsTable.$inferSelect;

/**
 * A programme's budget for one calendar year, in euro cents (the comparison's cost per
 * installation divides the budgets of the period's years by its installations). One per year.
 */
export const programmeBudgetsTable = pgTable(
	'programme_budgets',
	{
		id: id('bud'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		year: integer('year').notNull(),
		amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
		note: text('note'),
		updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [uniqueIndex('programme_budgets_programme_year_unique').on(table.programmeId, table.year)]
);

export type ProgrammeBudgetRow = typeof programmeBudgetsTable.$inferSelect;
