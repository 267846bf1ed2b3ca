import { sql } from 'drizzle-orm';
import { check, date, index, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { communesTable } from './territory.ts';

/**
 * Fixed broadband levels, best first in meaning but listed here from the lowest:
 * below_8 (< 8 Mbit/s), 8 (≥ 8 Mbit/s), 30 (≥ 30), 100 (≥ 100), gbit (≥ 1 Gbit/s, FttH).
 * The order matters: `connectivity.rules.ts` compares levels by their index.
 */
export const CONNECTION_LEVELS = ['below_8', '8', '30', '100', 'gbit'] as const;
/** The best download speed most premises of a commune can get. */
export type ConnectionLevel = (typeof CONNECTION_LEVELS)[number];

/**
 * Broadband per commune: reference data shared by every programme, like communes.
 * `level` comes from imports (ARCEP observatory, a levels file); `override_level` is
 * what programme staff know better (a new fibre network, a dead zone) and wins.
 */
export const communeConnectivityTable = pgTable(
	'commune_connectivity',
	{
		communeCode: text('commune_code')
			.primaryKey()
			.references(() => communesTable.code, { onDelete: 'cascade' }),
		/** Share of premises connectable to FttH, 0–1; null when the source does not say. */
		fibreShare: numeric('fibre_share', { precision: 4, scale: 3, mode: 'number' }),
		/** Imported level; null means unknown (ARCEP's FttH file says nothing about DSL speeds). */
		level: text('level').$type<ConnectionLevel>(),
		/** Where `level` and `fibre_share` come from, e.g. 'ARCEP FttH T1 2018'. */
		source: text('source'),
		/** End of the period the measure describes (end of the quarter for ARCEP). */
		measuredAt: date('measured_at'),
		overrideLevel: text('override_level').$type<ConnectionLevel>(),
		overrideNote: text('override_note'),
		overriddenBy: text('overridden_by').references(() => usersTable.id, { onDelete: 'set null' }),
		overriddenAt: timestamp('overridden_at', { withTimezone: true }),
		...timestamps()
	},
	(table) => [
		check('commune_connectivity_fibre_share_range', sql`${table.fibreShare} between 0 and 1`),
		// Searches filter communes by their effective level.
		index('commune_connectivity_effective_level_idx').on(
			sql`coalesce(${table.overrideLevel}, ${table.level})`
		)
	]
);

export type CommuneConnectivity = typeof communeConnectivityTable.$inferSelect;
