import { createHash, randomBytes } from 'node:crypto';

/** Tokens read `soho_obs_` + 43 base64url characters (32 random bytes): recognisable in a leak scan. */
export const OBSERVATORY_TOKEN_PREFIX = 'soho_obs_';

/** A new secret token (shown once) and the hash stored in its place. */
export function newObservatoryToken(): { token: string; tokenHash: string } {
	const token = OBSERVATORY_TOKEN_PREFIX + randomBytes(32).toString('base64url');
	return { token, tokenHash: hashObservatoryToken(token) };
}

/** Hex SHA-256 of a token: what is stored and looked up (the token itself never is). */
export function hashObservatoryToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A plausible token (the lookup is skipped for anything else). */
export function isWellFormedObservatoryToken(token: string): boolean {
	return new RegExp(`^${OBSERVATORY_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`).test(token);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
	return match ? match[1] : null;
}

/**
 * `last_used_at` is written at most once a minute per token, so that a funder's script calling
 * every section in a loop does not write on each call.
 */
export function shouldTouchLastUse(lastUsedAt: Date | null, now: Date): boolean {
	return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= 60_000;
}
