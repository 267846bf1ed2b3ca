import {
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp
} from 'drizzle-orm/pg-core';
import type {
	ChildSchooling,
	HousingTenure,
	HousingType,
	MatchingConnectionLevel,
	MatchingWeights,
	OfferMatch,
	VillagePreference
} from '../../../domain/matching/matching.ts';
import { timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { casesTable } from './cases.ts';
import { offersTable } from './offers.ts';
import { programmesTable } from './programmes.ts';
import { villagesTable } from './villages.ts';

/** A child of the household as the questionnaire asks: age in years and what they need nearby. */
export type NeedsChild = { age: number; schooling: ChildSchooling };

/**
 * The household's needs questionnaire, one row per case: what the matching engine ranks
 * communes and offers with. The candidate fills it in their space, the advisor on the case.
 * Null means "not said" (the criterion does not apply).
 */
export const caseNeedsTable = pgTable(
	'case_needs',
	{
		caseId: text('case_id')
			.primaryKey()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		housingTenure: text('housing_tenure').$type<HousingTenure>(),
		/** Whole euros; per month for a rent, in total for a purchase. */
		budgetMin: integer('budget_min'),
		budgetMax: integer('budget_max'),
		housingType: text('housing_type').$type<HousingType>().notNull().default('any'),
		minRooms: integer('min_rooms'),
		minSurfaceM2: integer('min_surface_m2'),
		minConnection: text('min_connection').$type<MatchingConnectionLevel>(),
		children: jsonb('children').$type<NeedsChild[]>().notNull().default([]),
		/** How far a school may be, in km; null: the engine's default (8 km). */
		maxSchoolKm: integer('max_school_km'),
		needsChildcare: boolean('needs_childcare').notNull().default(false),
		isPartnerSeekingJob: boolean('is_partner_seeking_job').notNull().default(false),
		/** The partner's trade or sector, free text ("infirmier", "BTP"). */
		partnerJobSector: text('partner_job_sector'),
		/** Straight-line limits in km; null: no limit. */
		maxStationKm: integer('max_station_km'),
		maxAirportKm: integer('max_airport_km'),
		maxMetropoleKm: integer('max_metropole_km'),
		wantsCoworking: boolean('wants_coworking').notNull().default(false),
		villagePreference: text('village_preference')
			.$type<VillagePreference>()
			.notNull()
			.default('prefer_partner'),
		/** ISO 639-1 codes of the languages the household speaks, e.g. ['fr', 'en']. */
		languages: jsonb('languages').$type<string[]>().notNull().default([]),
		/**
		 * The candidate's own choice (off by default): a daily mail of the new offers that match
		 * these needs. Only the candidate sets it; staff saving the needs leave it as it is.
		 */
		isOfferAlertWanted: boolean('is_offer_alert_wanted').notNull().default(false),
		updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [
		// Alerts look for the households of a programme whose needs an offer matches.
		index('case_needs_programme_idx').on(table.programmeId)
	]
);

/** Partner villages a household saved from its suggestions (the candidate saves, removes; the advisor sees them). */
export const caseSavedSuggestionsTable = pgTable(
	'case_saved_suggestions',
	{
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		villageId: text('village_id')
			.notNull()
			.references(() => villagesTable.id, { onDelete: 'cascade' }),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		savedBy: text('saved_by').references(() => usersTable.id, { onDelete: 'set null' }),
		savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		primaryKey({ name: 'case_saved_suggestions_pk', columns: [table.caseId, table.villageId] }),
		// Deleting a village or listing who saved it.
		index('case_saved_suggestions_village_idx').on(table.villageId)
	]
);

/** The weights of the matching criteria of a programme, set by its admins; no row: the defaults. */
export const programmeMatchingWeightsTable = pgTable('programme_matching_weights', {
	programmeId: text('programme_id')
		.primaryKey()
		.references(() => programmesTable.id, { onDelete: 'cascade' }),
	weights: jsonb('weights').$type<MatchingWeights>().notNull(),
	updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * An offer that matches a household's saved needs (same engine as the suggestions: the offer's
 * commune passes the household's hard constraints and the offer fits). Written when an offer is
 * published or changed and when the needs are saved; removed when they stop matching. The daily
 * digest tells the candidate (if they opted in) and the case's advisor, once each.
 */
export const offerMatchesTable = pgTable(
	'offer_matches',
	{
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		offerId: text('offer_id')
			.notNull()
			.references(() => offersTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		/** The offer's fit for the household, 0–100 (the engine's offer score). */
		score: integer('score').notNull(),
		/** The engine's one-line reasons (message keys and values), translated when shown. */
		reasons: jsonb('reasons').$type<OfferMatch['reasons']>().notNull(),
		matchedAt: timestamp('matched_at', { withTimezone: true }).notNull().defaultNow(),
		/** The day the candidate's digest listed it; null: not yet (or the candidate did not opt in). */
		candidateNotifiedOn: date('candidate_notified_on'),
		/** The day the advisor's digest listed it; null: not yet. */
		advisorNotifiedOn: date('advisor_notified_on')
	},
	(table) => [
		primaryKey({ name: 'offer_matches_pk', columns: [table.offerId, table.caseId] }),
		// A household's matches (the candidate's space, re-evaluation when needs change).
		index('offer_matches_case_idx').on(table.caseId, table.matchedAt),
		// The digest's pending matches of a programme.
		index('offer_matches_programme_idx').on(table.programmeId, table.matchedAt)
	]
);

/**
 * One row per offer-match digest sent: a candidate, or an advisor, gets at most one a day, even
 * when the job is re-run by hand (`soho jobs run offer_matches.daily_digest --force`).
 */
export const offerMatchDigestsTable = pgTable(
	'offer_match_digests',
	{
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		/** The day the digest covers (server's local date). */
		day: date('day').notNull(),
		/** 'candidate' or 'advisor': the two mails are claimed apart. */
		audience: text('audience').$type<'candidate' | 'advisor'>().notNull(),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		matchCount: integer('match_count').notNull(),
		sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		primaryKey({ name: 'offer_match_digests_pk', columns: [table.userId, table.day, table.audience] }),
		index('offer_match_digests_programme_idx').on(table.programmeId, table.day)
	]
);

export type CaseNeedsRow = typeof caseNeedsTable.$inferSelect;
export type OfferMatchRow = typeof offerMatchesTable.$inferSelect;
export type CaseSavedSuggestion = typeof caseSavedSuggestionsTable.$inferSelect;
