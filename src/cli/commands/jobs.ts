import type { Command } from 'commander';
import { SCHEDULED_JOBS } from '#server/jobs/registry.ts';
import { listJobRuns, runDueJobs } from '#server/jobs/scheduler.ts';
import { translate } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

export function registerJobsCommands(program: Command, context: CliContext): void {
	const jobs = program.command('jobs').description('scheduled jobs (reminders, digests, surveys)');

	jobs
		.command('run [names...]')
		.description('run the due jobs now (all, or the named ones); --force re-runs this period')
		.option('--force', 'run even if the job already ran for the current period')
		.action(async (names: string[], options, command: Command) => {
			const unknown = names.filter((name) => !SCHEDULED_JOBS.some((job) => job.name === name));
			if (unknown.length > 0) {
				throw new CliFailure(
					translate(context.locale, 'ops_cli_jobs_unknown', {
						names: unknown.join(', '),
						known: SCHEDULED_JOBS.map((j) => j.name).join(', ')
					}),
					EXIT.usage
				);
			}
			await context.withDb(async ({ db }) => {
				const outcomes = await runDueJobs(
					{ only: names.length ? names : undefined, force: Boolean(options.force) },
					{ db, config: context.config(), jobs: SCHEDULED_JOBS }
				);
				context.output(command, outcomes, () =>
					outcomes.map((o) => `${o.job.padEnd(28)} ${o.period.padEnd(17)} ${o.status}`).join('\n')
				);
				if (outcomes.some((o) => o.status === 'failed')) process.exitCode = EXIT.failure;
			});
		});

	jobs
		.command('list')
		.description('the latest runs')
		.action(async (_options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const runs = await listJobRuns({ limit: 30 }, { db });
				context.output(command, runs, () =>
					runs.length === 0
						? translate(context.locale, 'ops_cli_jobs_none')
						: runs
								.map(
									(r) =>
										`${r.startedAt.toISOString()}  ${r.jobName.padEnd(28)} ${r.periodKey.padEnd(17)} ${r.status}  ${r.summary ?? ''}`
								)
								.join('\n')
				);
			});
		});
}
