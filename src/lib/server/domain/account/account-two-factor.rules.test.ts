import { expect, test } from 'vitest';
import {
	decodeBase32,
	encodeBase32,
	generateRecoveryCodes,
	hashRecoveryCode,
	isRecoveryCodeShape,
	matchTotpStep,
	otpauthUri,
	totpCode,
	totpStep
} from './account-two-factor.rules.ts';

// RFC 6238 appendix B: the SHA-1 secret is the ASCII "12345678901234567890".
const RFC_SECRET = encodeBase32(Buffer.from('12345678901234567890'));

test('codes match the RFC 6238 test vectors (last six digits)', () => {
	expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
	expect(decodeBase32(RFC_SECRET).toString()).toBe('12345678901234567890');
	expect(totpCode(RFC_SECRET, totpStep(new Date(59_000)))).toBe('287082');
	expect(totpCode(RFC_SECRET, totpStep(new Date(1111111109_000)))).toBe('081804');
	expect(totpCode(RFC_SECRET, totpStep(new Date(1234567890_000)))).toBe('005924');
	expect(totpCode(RFC_SECRET, totpStep(new Date(2000000000_000)))).toBe('279037');
});

test('a code is accepted one step either side of now, not two, and never at or before the last used step', () => {
	const now = new Date(1234567890_000);
	const step = totpStep(now);
	const at = (s: number) => totpCode(RFC_SECRET, s);
	expect(matchTotpStep({ secret: RFC_SECRET, code: at(step), now, lastUsedStep: null })).toBe(step);
	expect(matchTotpStep({ secret: RFC_SECRET, code: at(step - 1), now, lastUsedStep: null })).toBe(step - 1);
	expect(matchTotpStep({ secret: RFC_SECRET, code: at(step + 1), now, lastUsedStep: null })).toBe(step + 1);
	expect(matchTotpStep({ secret: RFC_SECRET, code: at(step - 2), now, lastUsedStep: null })).toBeNull();
	expect(matchTotpStep({ secret: RFC_SECRET, code: at(step), now, lastUsedStep: step })).toBeNull();
	expect(matchTotpStep({ secret: RFC_SECRET, code: at(step - 1), now, lastUsedStep: step - 1 })).toBeNull();
	expect(matchTotpStep({ secret: RFC_SECRET, code: 'abcdef', now, lastUsedStep: null })).toBeNull();
});

test('recovery codes are ten distinct codes, recognised in any case with or without the dash', () => {
	const codes = generateRecoveryCodes();
	expect(codes).toHaveLength(10);
	expect(new Set(codes).size).toBe(10);
	for (const code of codes) expect(isRecoveryCodeShape(code)).toBe(true);
	expect(hashRecoveryCode(codes[0].toUpperCase().replace('-', ''))).toBe(hashRecoveryCode(codes[0]));
	expect(isRecoveryCodeShape('123456')).toBe(false);
});

test('the otpauth URI names the issuer, the account and the secret', () => {
	expect(otpauthUri({ secret: 'ABC', issuer: 'soho', account: 'a@b.fr' })).toBe(
		'otpauth://totp/soho%3Aa%40b.fr?secret=ABC&issuer=soho&algorithm=SHA1&digits=6&period=30'
	);
});
