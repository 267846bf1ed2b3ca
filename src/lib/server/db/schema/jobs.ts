import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const JOB_RUN_STATUSES = ['running', 'done', 'skipped', 'failed'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

/**
 * One row per scheduled job and period (e.g. 'offer.remind_expiring' on '2026-11-26').
 * Inserting the row is the claim: with several app nodes, only one runs each period.
 */
export const jobRunsTable = pgTable(
	'job_runs',
	{
		jobName: text('job_name').notNull(),
		/** The period the run covers: '2026-11-26' for a daily job, '2026-11-26T05:15' for a 15-minute job. */
		periodKey: text('period_key').notNull(),
		status: text('status').$type<JobRunStatus>().notNull().default('running'),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
		finishedAt: timestamp('finished_at', { withTimezone: true }),
		/** What the run did (counts) or why it failed. */
		summary: text('summary')
	},
	(table) => [
		primaryKey({ name: 'job_runs_pk', columns: [table.jobName, table.periodKey] }),
		// Operators list the latest runs.
		index('job_runs_started_idx').on(table.startedAt)
	]
);

export type JobRun = typeof jobRunsTable.$inferSelect;
