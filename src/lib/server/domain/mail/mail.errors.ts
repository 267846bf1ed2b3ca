import { defineError } from '../../errors.ts';

/** No message with this id in the actor's programme (messages of other programmes answer this too). */
export const mailNotFound = defineError('mail.not_found', 'not_found');
/** Only admins of a programme may read its outbox or retry a message. */
export const mailForbidden = defineError('mail.forbidden', 'forbidden');
/** The message cannot be retried: it was sent, is already queued, or no SMTP server is configured. */
export const mailNotRetryable = defineError('mail.not_retryable', 'conflict');
