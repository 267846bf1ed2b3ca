import { describe, expect, test } from 'vitest';
import { chooseActorProgramme, signInLockedUntil } from './account.rules.ts';

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

describe('chooseActorProgramme', () => {
	const a = { programmeId: 'prg_a', role: 'advisor' };
	const b = { programmeId: 'prg_b', role: 'admin' };
	const choose = (
		memberships: (typeof a)[],
		programmeOfHost: string | null,
		chosenProgrammeId: string | null
	) => chooseActorProgramme({ memberships, programmeOfHost, chosenProgrammeId });

	test('the programme of the host name wins when the person is a member there', () => {
		expect(choose([a, b], 'prg_b', 'prg_a')).toEqual({ outcome: 'act', membership: b });
	});

	test('a host of a programme they are not a member of falls back to their choice, then their only one', () => {
		expect(choose([a, b], 'prg_c', 'prg_a')).toEqual({ outcome: 'act', membership: a });
		expect(choose([a], 'prg_c', null)).toEqual({ outcome: 'act', membership: a });
	});

	test('the chosen programme counts only when they hold a membership there (a forged id gives nothing)', () => {
		expect(choose([a, b], null, 'prg_b')).toEqual({ outcome: 'act', membership: b });
		expect(choose([a, b], null, 'prg_forged')).toEqual({ outcome: 'choose' });
		expect(choose([a], null, 'prg_b')).toEqual({ outcome: 'act', membership: a });
		expect(choose([], null, 'prg_b')).toEqual({ outcome: 'none' });
	});

	test('several memberships and no choice: the person picks one', () => {
		expect(choose([a, b], null, null)).toEqual({ outcome: 'choose' });
	});
});
