import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id } from '../columns.ts';

/**
 * One row per counted action of the public forms (an application, a registration, a reset
 * request, a mail to one recipient…), under a key such as `apply.address:203.0.113.7`. Rows are
 * written under an advisory lock on the key, so the limit holds across parallel requests and
 * server processes. Rows older than their window are deleted when the key is hit again.
 */
export const rateLimitHitsTable = pgTable(
	'rate_limit_hits',
	{
		id: id('rlh'),
		key: text('key').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		// Each hit counts the key's rows within its window.
		index('rate_limit_hits_key_idx').on(table.key, table.createdAt)
	]
);
