import { expect, test } from 'vitest';
import { parseConfig } from '../config.ts';
import { describeEachDb } from '../db/db.test-utils.ts';
import { currentPeriod, listJobRuns, runDueJobs, type ScheduledJob } from './scheduler.ts';

const config = parseConfig({ NODE_ENV: 'test' });

test('a daily job is due from its time of day; a periodic job has one period per slot', () => {
	const morning = new Date(2026, 10, 26, 7, 59);
	const later = new Date(2026, 10, 26, 8, 0);
	expect(currentPeriod({ dailyAt: '08:00' }, morning)).toBeNull();
	expect(currentPeriod({ dailyAt: '08:00' }, later)).toBe('2026-11-26');
	expect(currentPeriod({ everyMinutes: 15 }, new Date(2026, 10, 26, 5, 44))).toBe('2026-11-26T05:30');
});

describeEachDb('scheduler', (ctx) => {
	test('a due job runs once per period, even when several nodes tick at the same time', async () => {
		let runs = 0;
		const jobs: ScheduledJob[] = [
			{
				name: 'test.count',
				schedule: { dailyAt: '06:00' },
				run: async () => (runs++, { status: 'done', summary: 'ok' })
			}
		];
		const now = new Date(2026, 10, 26, 9, 0);
		const outcomes = await Promise.all([
			runDueJobs({ now }, { db: ctx.db, config, jobs }),
			runDueJobs({ now }, { db: ctx.db, config, jobs })
		]);
		expect(runs).toBe(1);
		expect(
			outcomes
				.flat()
				.map((o) => o.status)
				.sort()
		).toEqual(['already_run', 'done']);
		await runDueJobs({ now: new Date(2026, 10, 27, 9, 0) }, { db: ctx.db, config, jobs });
		expect(runs).toBe(2);
		const [latest] = await listJobRuns({}, { db: ctx.db });
		expect(latest).toMatchObject({
			jobName: 'test.count',
			periodKey: '2026-11-27',
			status: 'done',
			summary: 'ok'
		});
	});

	test('a failing job is recorded as failed with its reason, and an operator can force a re-run', async () => {
		let attempt = 0;
		const jobs: ScheduledJob[] = [
			{
				name: 'test.flaky',
				schedule: { dailyAt: '00:00' },
				run: async () => {
					attempt++;
					if (attempt === 1) throw new Error('SMTP down');
					return { status: 'done' };
				}
			}
		];
		const now = new Date(2026, 10, 26, 10, 0);
		expect((await runDueJobs({ now }, { db: ctx.db, config, jobs }))[0].status).toBe('failed');
		expect((await listJobRuns({}, { db: ctx.db }))[0]).toMatchObject({
			status: 'failed',
			summary: 'SMTP down'
		});
		expect((await runDueJobs({ now }, { db: ctx.db, config, jobs }))[0].status).toBe('already_run');
		expect((await runDueJobs({ now, force: true }, { db: ctx.db, config, jobs }))[0].status).toBe('done');
	});
});
