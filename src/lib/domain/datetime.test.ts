import { expect, test } from 'vitest';
import { fromLocalInput, toLocalInput, todayIso } from './datetime.ts';

test("today is the programme's day: late evening UTC is already tomorrow in Paris", () => {
	expect(todayIso(new Date('2026-06-14T22:30:00Z'))).toBe('2026-06-15');
	expect(todayIso(new Date('2026-01-14T22:30:00Z'))).toBe('2026-01-14');
});

test('a time typed in a datetime-local field is read in Paris time, summer and winter', () => {
	expect(fromLocalInput('2026-07-01T09:30')).toBe('2026-07-01T07:30:00.000Z');
	expect(fromLocalInput('2026-12-01T09:30')).toBe('2026-12-01T08:30:00.000Z');
});

test('anything but a datetime-local value is passed on unchanged for the service to judge', () => {
	expect(fromLocalInput('')).toBe('');
	expect(fromLocalInput('yesterday')).toBe('yesterday');
	expect(fromLocalInput('2026-07-01')).toBe('2026-07-01');
});

test('a moment is written back as the datetime-local value it was typed as', () => {
	expect(toLocalInput(new Date('2026-07-01T07:30:00Z'))).toBe('2026-07-01T09:30');
	expect(toLocalInput(new Date(fromLocalInput('2026-03-29T03:15')))).toBe('2026-03-29T03:15');
});
