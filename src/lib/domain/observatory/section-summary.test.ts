import { expect, test } from 'vitest';
import { summariseSection } from './section-summary.ts';

test('a section is summarised by its scalar values and the length of its lists', () => {
	const lines = summariseSection({
		period: { from: 2024, to: 2025 },
		years: [{ year: 2024 }, { year: 2025 }],
		totals: { contacts: 12, rate: Number.NaN, label: 'x'.repeat(80) },
		isSmall: false,
		createdAt: new Date('2025-01-01T00:00:00Z'),
		missing: null
	});
	expect(lines).toEqual([
		{ path: 'period.from', value: 2024 },
		{ path: 'period.to', value: 2025 },
		{ path: 'years[]', value: 2 },
		{ path: 'totals.contacts', value: 12 },
		{ path: 'totals.rate', value: null },
		{ path: 'isSmall', value: false },
		{ path: 'createdAt', value: '2025-01-01T00:00:00.000Z' },
		{ path: 'missing', value: null }
	]);
});

test('deep values and long summaries are cut', () => {
	expect(summariseSection({ a: { b: { c: { d: 1 } } } })).toEqual([]);
	expect(summariseSection({ a: { b: { c: 1 } } })).toEqual([{ path: 'a.b.c', value: 1 }]);
	const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
	expect(summariseSection(many, { maxLines: 5 })).toHaveLength(5);
});
