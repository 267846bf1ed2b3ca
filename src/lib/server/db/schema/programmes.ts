import { boolean, doublePrecision, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import type { PipelineConfig } from './pipeline.ts';

export const PROGRAMME_STATUSES = ['active', 'suspended'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

/**
 * A programme is the tenant: one territory's welcome programme. Every table written
 * by a capability carries `programme_id` and every query filters on it.
 */
export const programmesTable = pgTable(
	'programmes',
	{
		id: id('prg'),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		/** Short name for tight places (navigation, mail subjects), e.g. "SOHO Solo"; null: the name. */
		shortName: text('short_name'),
		/** Public contact address of the programme team (shown on the site, reply-to of mails). */
		contactEmail: text('contact_email'),
		/** Département codes making up the territory, e.g. ['32']. */
		departements: jsonb('departements').$type<string[]>().notNull().default([]),
		/** INSEE code of the reference metropole for distances, e.g. Toulouse 31555. */
		metropoleCode: text('metropole_code'),
		/**
		 * Centroid of the metropole (WGS84), for distances. Stored here because the metropole
		 * is often outside the programme's départements, whose communes are the only ones
		 * imported (Toulouse, 31, for the Gers). Set by the demo seed (43.6045, 1.4442);
		 * when null, the centroid of the commune `metropole_code` is used if it is imported.
		 */
		metropoleLat: doublePrecision('metropole_lat'),
		metropoleLon: doublePrecision('metropole_lon'),
		/** Pipeline stages of the programme's cases; null means the default pipeline (see case.rules.ts). */
		pipeline: jsonb('pipeline').$type<PipelineConfig | null>(),
		languages: jsonb('languages').$type<string[]>().notNull().default(['fr', 'en']),
		/** Demo programmes hold synthetic data and say so wherever they are shown. */
		isDemo: boolean('is_demo').notNull().default(false),
		/**
		 * `suspended` (by an instance admin): nobody of the programme can act, its public site answers
		 * 503 and its scheduled jobs skip it; nothing is deleted, resuming restores everything.
		 */
		status: text('status').$type<ProgrammeStatus>().notNull().default('active'),
		suspendedAt: timestamp('suspended_at', { withTimezone: true }),
		suspensionReason: text('suspension_reason'),
		/**
		 * The programme's admins opted in to the observatory's comparison of programmes: its
		 * indicators are shown, by name, to the staff of the other opted-in programmes.
		 */
		isInComparison: boolean('is_in_comparison').notNull().default(false),
		/** When it last opted in; null when it is not in the comparison. */
		inComparisonSince: timestamp('in_comparison_since', { withTimezone: true }),
		/**
		 * The programme's admins opted in to the national portal (`/france`): its published
		 * villages, workspaces, offers and events appear in the national search and map, and
		 * candidates may apply to it from there alongside other participating programmes.
		 */
		isInNationalPortal: boolean('is_in_national_portal').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// Programmes are addressed by slug in URLs and in `soho … --programme SLUG`.
		uniqueIndex('programmes_slug_unique').on(table.slug)
	]
);

export type Programme = typeof programmesTable.$inferSelect;
