import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 6 digits, 30-second steps, the step before
 * and after accepted for clock drift. Pure functions: the service keeps the last used step
 * so that a code is accepted once only.
 */

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted on either side of the current one (clock drift of the phone). */
export const TOTP_DRIFT_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function encodeBase32(bytes: Uint8Array): string {
	let bits = 0;
	let value = 0;
	let out = '';
	for (const byte of bytes) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
	return out;
}

export function decodeBase32(text: string): Buffer {
	const clean = text.replace(/[\s=-]/g, '').toUpperCase();
	let bits = 0;
	let value = 0;
	const out: number[] = [];
	for (const char of clean) {
		const index = BASE32_ALPHABET.indexOf(char);
		if (index < 0) throw new Error('Invalid base32 character');
		value = (value << 5) | index;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 255);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

/** A new random secret (160 bits, as RFC 4226 recommends), in base32. */
export function generateTotpSecret(): string {
	return encodeBase32(randomBytes(20));
}

/** The 30-second step a moment falls in. */
export function totpStep(now: Date): number {
	return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code of one step (HOTP with the step as counter). */
export function totpCode(secret: string, step: number): string {
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(step));
	const hmac = createHmac('sha1', decodeBase32(secret)).update(counter).digest();
	const offset = hmac[hmac.length - 1] & 0xf;
	const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
	return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

/**
 * The step whose code this is, within the drift window around `now`, or null. Steps at or
 * before `lastUsedStep` are refused: a code (or an older one) cannot be replayed.
 */
export function matchTotpStep({
	secret,
	code,
	now,
	lastUsedStep
}: {
	secret: string;
	code: string;
	now: Date;
	lastUsedStep: number | null;
}): number | null {
	const typed = code.replace(/\s/g, '');
	if (!/^\d{6}$/.test(typed)) return null;
	const current = totpStep(now);
	for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
		if (lastUsedStep !== null && step <= lastUsedStep) continue;
		if (timingSafeEqual(Buffer.from(totpCode(secret, step)), Buffer.from(typed))) return step;
	}
	return null;
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function otpauthUri({ secret, issuer, account }: { secret: string; issuer: string; account: string }) {
	const label = encodeURIComponent(`${issuer}:${account}`);
	const query = new URLSearchParams({
		secret,
		issuer,
		algorithm: 'SHA1',
		digits: String(TOTP_DIGITS),
		period: String(TOTP_PERIOD_SECONDS)
	});
	return `otpauth://totp/${label}?${query}`;
}

/** Ten one-time recovery codes, `xxxxx-xxxxx` in base32 (50 bits each). */
export function generateRecoveryCodes(): string[] {
	return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
		const text = encodeBase32(randomBytes(7)).slice(0, 10).toLowerCase();
		return `${text.slice(0, 5)}-${text.slice(5)}`;
	});
}

/** Recovery codes are compared by their SHA-256, typed in any case, with or without the dash. */
export function hashRecoveryCode(code: string): string {
	const normalised = code.replace(/[\s-]/g, '').toLowerCase();
	return createHash('sha256').update(normalised).digest('hex');
}

/** Whether what was typed looks like a recovery code rather than a 6-digit TOTP. */
export function isRecoveryCodeShape(code: string): boolean {
	return /^[a-z2-7]{5}-?[a-z2-7]{5}$/i.test(code.trim());
}
