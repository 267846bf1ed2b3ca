import type { ScheduledJob } from '../../jobs/scheduler.ts';
import { sendOfferExpiryReminders } from './offer.service.ts';

/** Every morning, the owners of offers that expire soon get a reminder (collected in jobs/registry.ts). */
export const remindExpiringOffersJob: ScheduledJob = {
	name: 'offer.remind_expiring',
	schedule: { dailyAt: '08:00' },
	run: async ({ db, config, now }) => {
		const { reminded, withoutRecipient } = await sendOfferExpiryReminders({ now }, { db, config });
		return {
			status: reminded + withoutRecipient > 0 ? 'done' : 'skipped',
			summary: `${reminded} reminder(s) queued, ${withoutRecipient} offer(s) without recipient`
		};
	}
};
