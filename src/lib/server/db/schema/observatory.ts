import { index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
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
