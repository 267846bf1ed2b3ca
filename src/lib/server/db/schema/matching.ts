import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type {
	ChildSchooling,
	HousingTenure,
	HousingType,
	MatchingConnectionLevel,
	MatchingWeights,
	VillagePreference
} from '../../../domain/matching/matching.ts';
import { timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { casesTable } from './cases.ts';
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

export type CaseNeedsRow = typeof caseNeedsTable.$inferSelect;
export type CaseSavedSuggestion = typeof caseSavedSuggestionsTable.$inferSelect;
