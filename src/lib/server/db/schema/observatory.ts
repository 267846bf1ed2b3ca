import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { id } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';

/**
 * A funder's access to the observatory's JSON API (`Authorization: Bearer <token>`): aggregated
 * figures of one programme, never a person. The token is shown once when an admin creates it;
 * only its SHA-256 is stored. Revoked tokens stay listed (who had access, until when).
 */
export const observatoryTokensTable = pgTable(
	'observatory_tokens',
	{
		id: id('otk'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		/** Who holds the token, e.g. "Région Occitanie — service développement rural". */
		label: text('label').notNull(),
		/** Hex SHA-256 of the token. */
		tokenHash: text('token_hash').notNull(),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(table) => [
		uniqueIndex('observatory_tokens_hash_unique').on(table.tokenHash),
		index('observatory_tokens_programme_idx').on(table.programmeId, table.createdAt)
	]
);

export type ObservatoryToken = typeof observatoryTokensTable.$inferSelect;

/** One household income band of the impact calculator: its share of households and its mean annual income. */
export type ImpactIncomeBand = {
	/** As typed by the admin, e.g. "20 000 – 35 000 €". */
	label: string;
	/** Percent of households in the band (the bands add up to 100). */
	sharePercent: number;
	/** Mean disposable income of a household of the band, euros per year. */
	annualIncome: number;
};

/** The assumptions of the impact calculator (numbers) and, for each, the source it comes from. */
export type ImpactAssumptionValues = {
	incomeBands: ImpactIncomeBand[];
	/** Percent of a household's income spent in the territory. */
	localSpendingPercent: number;
	/** Local multiplier: euros of local activity per euro spent locally (≥ 1). */
	localMultiplier: number;
	/** Jobs (full-time equivalent) per business created and still active, the founder included. */
	jobsPerBusiness: number;
	/** Jobs induced in local services per household present. */
	jobsPerHousehold: number;
	/** Source text per assumption key (incomeBands, localSpendingPercent…); absent: the default's. */
	sources: Partial<Record<string, string>>;
};

/**
 * A programme's assumptions for the economic impact calculator (observatory). No row: the
 * illustrative defaults. Admins edit them; every reader of the observatory sees them next to the
 * result, with who changed them last and when.
 */
export const observatoryImpactAssumptionsTable = pgTable('observatory_impact_assumptions', {
	programmeId: text('programme_id')
		.primaryKey()
		.references(() => programmesTable.id, { onDelete: 'cascade' }),
	values: jsonb('values').$type<ImpactAssumptionValues>().notNull(),
	updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export type ObservatoryImpactAssumptions = typeof observatoryImpactAssumptionsTable.$inferSelect;
