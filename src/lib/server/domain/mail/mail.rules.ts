import type { Actor } from '../../auth/actor.ts';
import type { MailStatus } from '../../db/schema/index.ts';
import { mailForbidden } from './mail.errors.ts';

/** Attempts before a message is marked failed. */
export const MAIL_MAX_ATTEMPTS = 5;
/** Wait after the 1st, 2nd, 3rd and 4th failed attempt, in minutes. */
export const MAIL_RETRY_DELAYS_MINUTES = [1, 5, 30, 120] as const;

/** When to try again after `attempts` attempts; null when the message has used all its attempts. */
export function nextAttemptAfter(attempts: number, now: Date): Date | null {
	if (attempts >= MAIL_MAX_ATTEMPTS) return null;
	const minutes = MAIL_RETRY_DELAYS_MINUTES[Math.min(attempts, MAIL_RETRY_DELAYS_MINUTES.length) - 1] ?? 1;
	return new Date(now.getTime() + minutes * 60_000);
}

/** A new message waits in the outbox ('held') when no SMTP server is configured. */
export function initialMailStatus(isSmtpConfigured: boolean): MailStatus {
	return isSmtpConfigured ? 'queued' : 'held';
}

/** Only admins read the outbox: messages hold password-reset links and personal data. */
export function canReadOutbox(actor: Actor): boolean {
	return actor.role === 'admin';
}

export function assertCanReadOutbox(actor: Actor): void {
	if (!canReadOutbox(actor)) throw mailForbidden({ userId: actor.userId });
}

/**
 * The status a retried message moves to, or null when it cannot be retried:
 * failed messages go back to the queue (or to held without SMTP); held messages can be
 * queued once an SMTP server is configured.
 */
export function retriedStatus(status: MailStatus, isSmtpConfigured: boolean): MailStatus | null {
	if (status === 'failed') return initialMailStatus(isSmtpConfigured);
	if (status === 'held' && isSmtpConfigured) return 'queued';
	return null;
}

/**
 * The paths of links that carry a secret (a password reset, a sign-in unlock, an invitation, a
 * personal survey, an event registration's cancel link): whoever holds one acts as its
 * recipient. Must stay in sync with the links the areas' mails build.
 */
const SECRET_LINK =
	/(?:https?:\/\/[^\s"'<>/]+)?\/(?:reset-password\?(?:[^\s"'<>]*&(?:amp;)?)?token=|unlock\/|invitation\/|survey\/|events\/registrations\/)[^\s"'<>]+/gi;

/**
 * A message's body as people may read it in the outbox: every secret link replaced by
 * `placeholder`. The outbox shows mail meant for others; only the recipient gets the link.
 */
export function redactSecretLinks(body: string, placeholder: string): string {
	return body.replace(SECRET_LINK, placeholder);
}
