import type { ScheduledJob } from '../../jobs/scheduler.ts';
import { sendOfferMatchDigests } from './offer-match.service.ts';

/** Every morning, opted-in candidates and advisors get the new offers matching their households (jobs/registry.ts). */
export const sendOfferMatchDigestsJob: ScheduledJob = {
	name: 'offer_matches.daily_digest',
	schedule: { dailyAt: '07:45' },
	run: async ({ db, config, now }) => {
		const { candidates, advisors, alreadySent } = await sendOfferMatchDigests({ now }, { db, config });
		return {
			status: candidates + advisors > 0 ? 'done' : 'skipped',
			summary: `${candidates} candidate and ${advisors} advisor digest(s) queued, ${alreadySent} already sent today`
		};
	}
};
