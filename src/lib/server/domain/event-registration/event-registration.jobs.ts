import type { ScheduledJob } from '../../jobs/scheduler.ts';
import { sendEventReminders } from './event-registration.service.ts';

/** Every hour, people registered for an event that starts soon get a reminder (collected in jobs/registry.ts). */
export const remindRegisteredJob: ScheduledJob = {
	name: 'event.remind_registered',
	schedule: { everyMinutes: 60 },
	run: async ({ db, config, now }) => {
		const { reminded } = await sendEventReminders({ now }, { db, config });
		return { status: reminded > 0 ? 'done' : 'skipped', summary: `${reminded} reminder(s) queued` };
	}
};
