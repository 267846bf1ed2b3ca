import type { ScheduledJob } from '../../jobs/scheduler.ts';
import { sendFollowUpWaves } from './follow-up.service.ts';

/** Every morning, sends the follow-up survey waves that are due, and their reminders (collected in jobs/registry.ts). */
export const sendFollowUpWavesJob: ScheduledJob = {
	name: 'follow_up.send_waves',
	schedule: { dailyAt: '09:00' },
	run: async ({ db, config, now }) => {
		const { invited, reminded } = await sendFollowUpWaves({ now }, { db, config });
		return {
			status: invited + reminded > 0 ? 'done' : 'skipped',
			summary: `${invited} invitation(s) and ${reminded} reminder(s) queued`
		};
	}
};
