import type { ScheduledJob } from '../../jobs/scheduler.ts';
import { sendTaskDigests } from './digest.service.ts';

/** Every morning, each admin and advisor with tasks due or overdue gets their digest (collected in jobs/registry.ts). */
export const sendTaskDigestsJob: ScheduledJob = {
	name: 'task.daily_digest',
	schedule: { dailyAt: '07:30' },
	run: async ({ db, config, now }) => {
		const { sent, alreadySent } = await sendTaskDigests({ now }, { db, config });
		return {
			status: sent > 0 ? 'done' : 'skipped',
			summary: `${sent} digest(s) queued, ${alreadySent} already sent today`
		};
	}
};
