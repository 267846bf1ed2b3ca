import { sendTaskDigests } from '../domain/digest/digest.service.ts';
import { sendEventReminders } from '../domain/event-registration/event-registration.service.ts';
import { sendFollowUpWaves } from '../domain/follow-up/follow-up.service.ts';
import { sendOfferExpiryReminders } from '../domain/offer/offer.service.ts';
import type { ScheduledJob } from './scheduler.ts';

/**
 * Every scheduled job of soho, in one list. The server's scheduler runs them when due;
 * `soho jobs run [NAME]` runs them by hand.
 */
export const SCHEDULED_JOBS: ScheduledJob[] = [
	{
		name: 'offer.remind_expiring',
		schedule: { dailyAt: '08:00' },
		run: async ({ db, config, now }) => {
			const { reminded, withoutRecipient } = await sendOfferExpiryReminders({ now }, { db, config });
			return {
				status: reminded + withoutRecipient > 0 ? 'done' : 'skipped',
				summary: `${reminded} reminder(s) queued, ${withoutRecipient} offer(s) without recipient`
			};
		}
	},
	{
		name: 'task.daily_digest',
		schedule: { dailyAt: '07:30' },
		run: async ({ db, config, now }) => {
			const { sent, alreadySent } = await sendTaskDigests({ now }, { db, config });
			return {
				status: sent > 0 ? 'done' : 'skipped',
				summary: `${sent} digest(s) queued, ${alreadySent} already sent today`
			};
		}
	},
	{
		name: 'event.remind_registered',
		schedule: { everyMinutes: 60 },
		run: async ({ db, config, now }) => {
			const { reminded } = await sendEventReminders({ now }, { db, config });
			return { status: reminded > 0 ? 'done' : 'skipped', summary: `${reminded} reminder(s) queued` };
		}
	},
	{
		name: 'follow_up.send_waves',
		schedule: { dailyAt: '09:00' },
		run: async ({ db, config, now }) => {
			const { invited, reminded } = await sendFollowUpWaves({ now }, { db, config });
			return {
				status: invited + reminded > 0 ? 'done' : 'skipped',
				summary: `${invited} invitation(s) and ${reminded} reminder(s) queued`
			};
		}
	}
];
