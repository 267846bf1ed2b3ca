import type { ScheduledJob } from '../../jobs/scheduler.ts';
import { purgeRateLimitHits } from './rate-limit.service.ts';

/** Every night, the rate-limit hits too old to count are deleted (collected in jobs/registry.ts). */
export const purgeRateLimitHitsJob: ScheduledJob = {
	name: 'rate_limit.purge',
	schedule: { dailyAt: '03:30' },
	run: async ({ db, now }) => {
		const { deleted } = await purgeRateLimitHits({}, { db, now });
		return { status: deleted > 0 ? 'done' : 'skipped', summary: `${deleted} old hit(s) deleted` };
	}
};
