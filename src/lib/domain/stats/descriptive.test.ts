import { describe, expect, test } from 'vitest';
import {
	cumulativeCountsPerYear,
	funnel,
	mean,
	median,
	proportion,
	quantile,
	quantiles
} from './descriptive.ts';

describe('quantiles, median and mean', () => {
	test('type 7 quantiles as R quantile(1:10, c(0, .1, .25, .5, .9, 1))', () => {
		// R: 1.00 1.90 3.25 5.50 9.10 10.00 (same as PostgreSQL percentile_cont and numpy.quantile)
		const values = [10, 3, 1, 2, 4, 5, 6, 7, 8, 9];
		const result = quantiles(values, [0, 0.1, 0.25, 0.5, 0.9, 1]);
		[1, 1.9, 3.25, 5.5, 9.1, 10].forEach((expected, i) => expect(result[i]).toBeCloseTo(expected, 12));
		expect(quantile([7], 0.3)).toBe(7);
	});

	test('median and mean of odd and even samples', () => {
		expect(median([5, 1, 3])).toBe(3);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(mean([1, 2, 3, 4])).toBe(2.5);
	});

	test('empty samples give null; invalid values throw', () => {
		expect(median([])).toBeNull();
		expect(mean([])).toBeNull();
		expect(quantiles([], [0.5, 0.9])).toEqual([null, null]);
		expect(() => quantile([1, Number.NaN], 0.5)).toThrow(/finite/);
		expect(() => quantile([1, 2], 1.5)).toThrow(/\[0, 1\]/);
	});
});

describe('proportions with Wilson intervals', () => {
	test('as R prop.test(682, 925, correct = FALSE)$conf.int', () => {
		// R: 0.7079960 0.7646358 (scipy binomtest(...).proportion_ci(method="wilson") agrees).
		const result = proportion(682, 925);
		expect(result.proportion).toBeCloseTo(682 / 925, 14);
		expect(result.lower).toBeCloseTo(0.7079959876196206, 10);
		expect(result.upper).toBeCloseTo(0.764635800971489, 10);
	});

	test('stays inside [0, 1] at the boundaries; empty denominators give null', () => {
		const none = proportion(0, 10);
		expect(none.lower).toBe(0);
		expect(none.upper).toBeCloseTo(0.2775327998628892, 10);
		expect(proportion(0, 0)).toMatchObject({ proportion: null, lower: null, upper: null });
		expect(() => proportion(3, 2)).toThrow(/successes/);
	});

	test('funnel conversion from the previous and the first stage', () => {
		const stages = funnel([
			{ key: 'contact', count: 200 },
			{ key: 'application', count: 80 },
			{ key: 'installed', count: 20 }
		]);
		expect(stages[0].fromPrevious).toBeNull();
		expect(stages[1].fromPrevious?.proportion).toBeCloseTo(0.4, 14);
		expect(stages[2].fromPrevious?.proportion).toBeCloseTo(0.25, 14);
		expect(stages[2].fromFirst.proportion).toBeCloseTo(0.1, 14);
		expect(funnel([])).toEqual([]);
		expect(() =>
			funnel([
				{ key: 'a', count: 1 },
				{ key: 'b', count: 2 }
			])
		).toThrow(/more entries/);
	});
});

describe('cumulative counts per year', () => {
	test('fills missing years and accepts years, ISO dates and Dates', () => {
		const result = cumulativeCountsPerYear([
			2021,
			'2023-03-01',
			'2023-12-31T23:30:00+01:00',
			new Date(Date.UTC(2024, 0, 1))
		]);
		expect(result).toEqual([
			{ year: 2021, count: 1, cumulative: 1 },
			{ year: 2022, count: 0, cumulative: 1 },
			{ year: 2023, count: 2, cumulative: 3 },
			{ year: 2024, count: 1, cumulative: 4 }
		]);
	});

	test('entries before the range start the running total, entries after it are ignored', () => {
		expect(cumulativeCountsPerYear([2019, 2020, 2021, 2025], { from: 2020, to: 2022 })).toEqual([
			{ year: 2020, count: 1, cumulative: 2 },
			{ year: 2021, count: 1, cumulative: 3 },
			{ year: 2022, count: 0, cumulative: 3 }
		]);
		expect(cumulativeCountsPerYear([])).toEqual([]);
		expect(() => cumulativeCountsPerYear(['soon'])).toThrow(/ISO date/);
	});
});
