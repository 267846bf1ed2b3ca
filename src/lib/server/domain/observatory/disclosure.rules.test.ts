import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { proportion } from '../../../domain/stats/descriptive.ts';
import {
	discloseProportion,
	disclosedGroup,
	hideSmall,
	hideSmallDifferences,
	isHidden,
	isSelectionTooSmall,
	numbersOf,
	statisticOf,
	suppressGroup
} from './disclosure.rules.ts';

describe('minimum cell size', () => {
	test('a count of 1 to k−1 is hidden; 0 and k or more are shown', () => {
		expect(hideSmall(0, 5)).toBe(0);
		expect(isHidden(hideSmall(1, 5))).toBe(true);
		expect(isHidden(hideSmall(4, 5))).toBe(true);
		expect(hideSmall(5, 5)).toBe(5);
		expect(hideSmall(3, 1)).toBe(3);
	});

	test('in nested counts (a funnel), a step that differs from the last shown by 1 to k−1 is hidden', () => {
		// 40 contacts, 38 qualified: showing both tells that 2 households stopped there.
		const shown = hideSmallDifferences([40, 38, 20, 18, 17, 3, 0], 5);
		expect(shown.map((count) => (isHidden(count) ? 'hidden' : count))).toEqual([
			40,
			'hidden',
			20,
			'hidden',
			'hidden',
			'hidden',
			0
		]);
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 8 }),
				fc.integer({ min: 1, max: 10 }),
				(raw, k) => {
					const nested = [...raw].sort((a, b) => b - a);
					const visible = hideSmallDifferences(nested, k).filter((count) => !isHidden(count));
					for (let i = 1; i < visible.length; i++) {
						const drop = visible[i - 1] - visible[i];
						expect(drop === 0 || drop >= k).toBe(true);
					}
					for (const count of visible) expect(count === 0 || count >= k).toBe(true);
				}
			)
		);
	});

	test('a single hidden cell takes the next smallest with it, so the total minus the others gives nothing', () => {
		// 2 households from Japan among 40: hiding 2 alone, 40 − 30 − 8 would give it back.
		const group = disclosedGroup([30, 8, 2], 5);
		expect(group.cells[0]).toBe(30);
		expect(isHidden(group.cells[1])).toBe(true);
		expect(isHidden(group.cells[2])).toBe(true);
		expect(group.total).toBe(40);
	});

	test('the complementary cell is a non-zero one when there is one', () => {
		const { hidden } = suppressGroup([0, 12, 3, 9], 5);
		expect(hidden).toEqual([false, false, true, true]);
	});

	test('two small cells protect each other: nothing more is hidden', () => {
		const { hidden } = suppressGroup([20, 3, 2], 5);
		expect(hidden).toEqual([false, true, true]);
	});

	test('a total of fewer than k households is hidden with every non-zero cell', () => {
		const group = disclosedGroup([3, 0, 1], 5);
		expect(isHidden(group.total)).toBe(true);
		expect(group.cells.map(isHidden)).toEqual([true, false, true]);
	});

	test('a group of one small cell beside a larger total (unknowns outside) hides the total', () => {
		const { hidden, totalHidden } = suppressGroup([2], 5, 12);
		expect(hidden).toEqual([true]);
		expect(totalHidden).toBe(true);
	});

	test('a rate of 1 in 20 (or 19 in 20) describes one household and is hidden; 10 in 20 is shown', () => {
		expect(isHidden(discloseProportion(proportion(1, 20), 5).proportion)).toBe(true);
		expect(isHidden(discloseProportion(proportion(19, 20), 5).proportion)).toBe(true);
		expect(discloseProportion(proportion(10, 20), 5).proportion).toBe(0.5);
		expect(discloseProportion(proportion(0, 20), 5).proportion).toBe(0);
		expect(discloseProportion(proportion(20, 20), 5).total).toBe(20);
	});

	test('a statistic of fewer than k households is hidden', () => {
		expect(isHidden(statisticOf(42, 3, 5))).toBe(true);
		expect(statisticOf(42, 5, 5)).toBe(42);
		expect(statisticOf(null, 0, 5)).toBe(null);
	});

	test('filters selecting 1 to k−1 households withhold the section; none or k and more do not', () => {
		expect(isSelectionTooSmall(0, 5)).toBe(false);
		expect(isSelectionTooSmall(1, 5)).toBe(true);
		expect(isSelectionTooSmall(5, 5)).toBe(false);
	});

	test('numbersOf lists every number of a section with its path', () => {
		expect(numbersOf({ a: 1, b: [{ c: 2 }], d: 'x', e: null })).toEqual([
			{ path: 'a', value: 1 },
			{ path: 'b[0].c', value: 2 }
		]);
	});
});

describe('minimum cell size, on random groups (fast-check)', () => {
	const groups = fc.record({
		cells: fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 8 }),
		outside: fc.nat({ max: 10 }),
		k: fc.integer({ min: 2, max: 11 })
	});

	test('every shown cell is 0 or at least k, and a shown total never gives back a single hidden cell', () => {
		fc.assert(
			fc.property(groups, ({ cells, outside, k }) => {
				// `outside`: households counted in the total but in no cell (unknowns), hidden or shown with it.
				const total = cells.reduce((sum, c) => sum + c, 0) + outside;
				const group = disclosedGroup([...cells, outside], k, total);
				for (const cell of group.cells) expect(isHidden(cell) || cell === 0 || cell >= k).toBe(true);
				expect(isHidden(group.total) || group.total === 0 || group.total >= k).toBe(true);
				const hiddenCells = group.cells.filter(isHidden).length;
				// A total shown with exactly one hidden cell would give that cell back by subtraction.
				if (!isHidden(group.total)) expect(hiddenCells === 1).toBe(false);
			})
		);
	});

	test('with k = 1 nothing is hidden', () => {
		fc.assert(
			fc.property(fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 8 }), (cells) => {
				expect(suppressGroup(cells, 1).hidden.some(Boolean)).toBe(false);
			})
		);
	});
});
