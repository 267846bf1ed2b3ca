import { expect, test } from 'vitest';
import { signInLockedUntil } from './account.rules.ts';

const last = new Date('2026-03-01T10:00:00Z');
const lock = (failures: number) =>
	signInLockedUntil({ failures, lastFailureAt: last, limit: 5, firstLockMinutes: 15, maxLockMinutes: 1440 });
const minutesAfterLast = (date: Date | null) => (date ? (date.getTime() - last.getTime()) / 60_000 : null);

test('sign-in stays open below the limit, then each further failure doubles the lock up to its cap', () => {
	expect(lock(4)).toBeNull();
	expect(minutesAfterLast(lock(5))).toBe(15);
	expect(minutesAfterLast(lock(6))).toBe(30);
	expect(minutesAfterLast(lock(8))).toBe(120);
	expect(minutesAfterLast(lock(12))).toBe(1440);
	expect(minutesAfterLast(lock(500))).toBe(1440);
});
