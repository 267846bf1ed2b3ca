import { date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';

/**
 * One row per daily task digest sent: a user receives at most one digest a day, even when the
 * job is re-run by hand (`soho jobs run task.daily_digest --force`) or after a crash.
 */
export const taskDigestsTable = pgTable(
	'task_digests',
	{
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		/** The day the digest covers (server's local date). */
		day: date('day').notNull(),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		/** Tasks listed: overdue and due that day. */
		taskCount: integer('task_count').notNull(),
		sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		primaryKey({ name: 'task_digests_pk', columns: [table.userId, table.day] }),
		index('task_digests_programme_idx').on(table.programmeId, table.day)
	]
);

export type TaskDigest = typeof taskDigestsTable.$inferSelect;
