/**
 * One rate limiter for the public forms, kept in the database so that it holds across parallel
 * requests and server processes: each key is locked (advisory transaction lock), its hits in the
 * window are counted, and the new hit is recorded before the lock is released. A refused request
 * records nothing.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { createLogger } from '../../logger.ts';
import { rateLimitExceeded } from './rate-limit.errors.ts';
import {
	countHitsSince,
	deleteAllHitsBefore,
	deleteHitsBefore,
	insertHit,
	lockRateLimitKey
} from './rate-limit.repository.ts';

const log = createLogger({ namespace: 'rate-limit' });

/** At most `limit` hits of `key` within `windowSeconds`. */
export type RateLimitRule = { key: string; limit: number; windowSeconds: number };

export type RateLimitOutcome =
	{ isAllowed: true } | { isAllowed: false; key: string; retryAfterMinutes: number };

/**
 * The keys of the limits, in one place: a client address, a recipient's e-mail address, an
 * account's e-mail. E-mail addresses are compared lower-cased.
 */
export const rateLimitKey = {
	address: (action: string, address: string) => `${action}.address:${digest(address)}`,
	recipient: (email: string) => `mail.recipient:${digest(email.trim().toLowerCase())}`,
	account: (action: string, email: string) => `${action}.account:${digest(email.trim().toLowerCase())}`
};

/**
 * Keys hold a digest of the address or e-mail, never the value: the counters are personal data
 * otherwise (kept out of access requests, erasure and retention that way).
 */
function digest(value: string): string {
	return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}

const HOUR_SECONDS = 3600;

/**
 * The limits of one public form: `perAddressPerHour` submissions from the client address and,
 * when the form mails someone, SOHO_LIMIT_MAILS_PER_RECIPIENT_PER_HOUR mails to that address
 * (shared by every public form, so naming a victim on several forms does not add up).
 */
export function publicFormLimits({
	action,
	clientAddress,
	perAddressPerHour,
	recipient = null,
	config
}: {
	action: string;
	clientAddress: string;
	perAddressPerHour: number;
	recipient?: string | null;
	config: Pick<Config, 'limitMailsPerRecipientPerHour'>;
}): RateLimitRule[] {
	const rules: RateLimitRule[] = [
		{
			key: rateLimitKey.address(action, clientAddress),
			limit: perAddressPerHour,
			windowSeconds: HOUR_SECONDS
		}
	];
	if (recipient) {
		rules.push({
			key: rateLimitKey.recipient(recipient),
			limit: config.limitMailsPerRecipientPerHour,
			windowSeconds: HOUR_SECONDS
		});
	}
	return rules;
}

/**
 * Records one hit for every rule, or none when one of them is already at its limit (then says
 * which, and when to retry). Runs in its own transaction, or in a savepoint of the caller's
 * transaction: then the hits (and the locks) last until the caller commits, and vanish if it
 * rolls back, so only what was really done counts.
 */
export async function takeRateLimits(
	{ rules }: { rules: RateLimitRule[] },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<RateLimitOutcome> {
	// Always lock in the same order, so two requests sharing keys cannot deadlock.
	const sorted = [...rules].sort((a, b) => a.key.localeCompare(b.key));
	if (sorted.length === 0) return { isAllowed: true };
	return db.transaction(async (tx) => {
		for (const rule of sorted) {
			await lockRateLimitKey({ db: tx, key: rule.key });
			const since = new Date(now.getTime() - rule.windowSeconds * 1000);
			await deleteHitsBefore({ db: tx, key: rule.key, before: since });
			const { hits, oldestAt } = await countHitsSince({ db: tx, key: rule.key, since });
			if (hits >= rule.limit) {
				const freeAt = (oldestAt ?? now).getTime() + rule.windowSeconds * 1000;
				const retryAfterMinutes = Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000));
				// The key names an address or an e-mail: log only its kind.
				log.info({ limit: rule.key.split(':')[0], retryAfterMinutes }, 'Rate limit reached');
				return { isAllowed: false as const, key: rule.key, retryAfterMinutes };
			}
		}
		for (const rule of sorted) await insertHit({ db: tx, key: rule.key, at: now });
		return { isAllowed: true as const };
	});
}

/** Like `takeRateLimits`, but a refusal throws `rate_limit.exceeded` (429 with retryAfterMinutes). */
export async function consumeRateLimits(
	{ rules }: { rules: RateLimitRule[] },
	deps: { db: Db; now?: Date }
): Promise<void> {
	const outcome = await takeRateLimits({ rules }, deps);
	if (!outcome.isAllowed) throw rateLimitExceeded({ retryAfterMinutes: outcome.retryAfterMinutes });
}

/** No window is longer than a day (SOHO_SIGNIN_WINDOW_MINUTES ≤ 1440): older hits count for nothing. */
export const RATE_LIMIT_KEEP_HOURS = 48;

/** Deletes the hits no window can count any more (keys that were never hit again). */
export async function purgeRateLimitHits(
	_input: Record<string, never>,
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ deleted: number }> {
	const deleted = await deleteAllHitsBefore({
		db,
		before: new Date(now.getTime() - RATE_LIMIT_KEEP_HOURS * 3600_000)
	});
	return { deleted };
}
