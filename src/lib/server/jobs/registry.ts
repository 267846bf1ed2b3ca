import { sendTaskDigestsJob } from '../domain/digest/digest.jobs.ts';
import { remindRegisteredJob } from '../domain/event-registration/event-registration.jobs.ts';
import { sendFollowUpWavesJob } from '../domain/follow-up/follow-up.jobs.ts';
import { remindExpiringOffersJob } from '../domain/offer/offer.jobs.ts';
import { sendOfferMatchDigestsJob } from '../domain/offer-match/offer-match.jobs.ts';
import { purgeRateLimitHitsJob } from '../domain/rate-limit/rate-limit.jobs.ts';
import { applyRetentionJob } from '../domain/privacy/privacy.jobs.ts';
import type { ScheduledJob } from './scheduler.ts';

/**
 * Every scheduled job of soho, in one list. Each area declares its jobs (name, schedule, handler)
 * in its `<area>.jobs.ts`; the server's scheduler runs them when due; `soho jobs run [NAME]` runs
 * them by hand.
 */
export const SCHEDULED_JOBS: ScheduledJob[] = [
	remindExpiringOffersJob,
	sendTaskDigestsJob,
	sendOfferMatchDigestsJob,
	remindRegisteredJob,
	sendFollowUpWavesJob,
	purgeRateLimitHitsJob,
	applyRetentionJob
];
