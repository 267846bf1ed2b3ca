import { and, desc, eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { jobRunsTable, type JobRun } from '../db/schema/jobs.ts';
import { createLogger } from '../logger.ts';

const log = createLogger({ namespace: 'jobs' });

/** When a job runs: every N minutes, or once a day from a local time (server time zone). */
export type JobSchedule = { everyMinutes: number } | { dailyAt: string };

export type JobDeps = { db: Db; config: Config; now: Date };
export type JobResult = { status: 'done' | 'skipped'; summary?: string };

/**
 * A periodic job. `run` must be idempotent: it may run again for the same period after
 * a crash (the claim then fails, and an operator re-runs it with `soho jobs run NAME`).
 */
export type ScheduledJob = {
	name: string;
	schedule: JobSchedule;
	run: (deps: JobDeps) => Promise<JobResult>;
};

const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The period a schedule is in at `now`, or null when a daily job's time has not come yet today. */
export function currentPeriod(schedule: JobSchedule, now: Date): string | null {
	if ('everyMinutes' in schedule) {
		const minutes = now.getHours() * 60 + now.getMinutes();
		const slot = Math.floor(minutes / schedule.everyMinutes) * schedule.everyMinutes;
		return `${localDate(now)}T${pad(Math.floor(slot / 60))}:${pad(slot % 60)}`;
	}
	const [hours, minutes] = schedule.dailyAt.split(':').map(Number);
	if (now.getHours() * 60 + now.getMinutes() < hours * 60 + minutes) return null;
	return localDate(now);
}

export type RunOutcome = {
	job: string;
	period: string;
	status: 'done' | 'skipped' | 'failed' | 'not_due' | 'already_run';
};

/**
 * Runs every job whose period has come and that no node has claimed for it yet.
 * `force` runs the named jobs even if already run this period (an operator's re-run).
 */
export async function runDueJobs(
	{ now = new Date(), only, force = false }: { now?: Date; only?: string[]; force?: boolean },
	{ db, config, jobs }: { db: Db; config: Config; jobs: ScheduledJob[] }
): Promise<RunOutcome[]> {
	const outcomes: RunOutcome[] = [];
	for (const job of jobs) {
		if (only && !only.includes(job.name)) continue;
		const period = currentPeriod(job.schedule, now) ?? (force ? localDate(now) : null);
		if (!period) {
			outcomes.push({ job: job.name, period: '', status: 'not_due' });
			continue;
		}
		if (force) {
			await db
				.delete(jobRunsTable)
				.where(and(eq(jobRunsTable.jobName, job.name), eq(jobRunsTable.periodKey, period)));
		}
		const claimed = await db
			.insert(jobRunsTable)
			.values({ jobName: job.name, periodKey: period, status: 'running', startedAt: now })
			.onConflictDoNothing()
			.returning();
		if (claimed.length === 0) {
			// Another node (or an earlier tick) claimed this period: it runs there, once.
			log.debug({ job: job.name, period }, 'Job already claimed');
			outcomes.push({ job: job.name, period, status: 'already_run' });
			continue;
		}
		try {
			const result = await job.run({ db, config, now });
			await finishRun(db, job.name, period, result.status, result.summary ?? null);
			log.info({ job: job.name, period, status: result.status }, 'Job finished');
			outcomes.push({ job: job.name, period, status: result.status });
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			await finishRun(db, job.name, period, 'failed', message.slice(0, 2000));
			log.error({ job: job.name, period, err: error }, 'Job failed');
			outcomes.push({ job: job.name, period, status: 'failed' });
		}
	}
	return outcomes;
}

async function finishRun(
	db: Db,
	jobName: string,
	periodKey: string,
	status: JobRun['status'],
	summary: string | null
) {
	await db
		.update(jobRunsTable)
		.set({ status, summary, finishedAt: new Date() })
		.where(and(eq(jobRunsTable.jobName, jobName), eq(jobRunsTable.periodKey, periodKey)));
}

export async function listJobRuns({ limit = 50 }: { limit?: number }, { db }: { db: Db }): Promise<JobRun[]> {
	return db.select().from(jobRunsTable).orderBy(desc(jobRunsTable.startedAt)).limit(limit);
}

/** Checks for due jobs every minute inside the server; returns `stop`. */
export function startScheduler({ db, config, jobs }: { db: Db; config: Config; jobs: ScheduledJob[] }) {
	let running: Promise<unknown> | null = null;
	const tick = () => {
		if (running) return;
		running = runDueJobs({}, { db, config, jobs })
			.catch((error) => log.error({ err: error }, 'Scheduler tick failed'))
			.finally(() => (running = null));
	};
	const timer = setInterval(tick, 60_000);
	timer.unref();
	setTimeout(tick, 5_000).unref();
	return {
		stop: async () => {
			clearInterval(timer);
			await running;
		}
	};
}
