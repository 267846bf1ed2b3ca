import { boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id } from '../columns.ts';

/**
 * The one-time code that opens `/setup` while the instance has no admin. Only its hash is
 * stored, so it survives restarts and every server process checks the same code. One row
 * (id 'instance'): a new code replaces it at each start while no admin exists; `used_at`
 * closes the setup for good.
 */
export const setupCodesTable = pgTable('setup_codes', {
	id: text('id').primaryKey(),
	/** SHA-256 of the code, hex. */
	codeHash: text('code_hash').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	usedAt: timestamp('used_at', { withTimezone: true }),
	/** Wrong codes typed since this code was made (for the report; the throttle uses setup_attempts). */
	failures: integer('failures').notNull().default(0)
});

/** Every code typed on `/setup`: wrong codes are throttled per IP address and overall. */
export const setupAttemptsTable = pgTable(
	'setup_attempts',
	{
		id: id('sua'),
		ipAddress: text('ip_address'),
		isSuccess: boolean('is_success').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		// The throttle counts recent failures per IP address and in total.
		index('setup_attempts_ip_idx').on(table.ipAddress, table.createdAt),
		index('setup_attempts_created_idx').on(table.createdAt)
	]
);

export type SetupCode = typeof setupCodesTable.$inferSelect;
