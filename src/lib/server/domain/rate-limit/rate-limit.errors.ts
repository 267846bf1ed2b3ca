import { defineError } from '../../errors.ts';

/** Too many requests of one kind from one address, or mails to one recipient; details.retryAfterMinutes. */
export const rateLimitExceeded = defineError('rate_limit.exceeded', 'limit');
