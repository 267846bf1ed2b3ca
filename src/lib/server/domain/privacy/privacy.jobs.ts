import { createDiskStorage } from '../../files/storage.ts';
import type { ScheduledJob } from '../../jobs/scheduler.ts';
import { runRetentionForAllProgrammes } from './privacy.service.ts';

/**
 * Every night, the retention rules of every programme: inactive leads erased (with their
 * documents and files), old mail bodies
 * redacted, sign-in attempts and session IP addresses older than 30 days removed
 * (collected in jobs/registry.ts; `soho privacy retention --dry-run` shows what it would do).
 */
export const applyRetentionJob: ScheduledJob = {
	name: 'privacy.apply_retention',
	schedule: { dailyAt: '03:30' },
	run: async ({ db, config, now }) => {
		const reports = await runRetentionForAllProgrammes(
			{ now },
			{ db, storage: createDiskStorage({ dataDir: config.dataDir }) }
		);
		const total = (rule: keyof (typeof reports)[number]['counts']) =>
			reports.reduce((sum, report) => sum + report.counts[rule], 0);
		const touched =
			total('inactive_leads') + total('mail_bodies') + total('sign_in_attempts') + total('session_ips');
		return {
			status: touched > 0 ? 'done' : 'skipped',
			summary: `${total('inactive_leads')} lead person(s) erased, ${total('mail_bodies')} mail bod(ies) redacted, ${total('sign_in_attempts')} sign-in attempt(s) deleted, ${total('session_ips')} session IP(s) cleared`
		};
	}
};
