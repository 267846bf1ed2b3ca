import type { Proportion } from '../../../domain/stats/descriptive.ts';

/*
 * Statistical disclosure control (pure): no figure shown to anyone but programme staff may
 * describe fewer than k households (k = the programme's minimum cell size, default 5).
 *
 * - Primary suppression: a count c with 0 < c < k is hidden.
 * - Complementary suppression: in a group of cells that add up to a shown total (a column of a
 *   table, the values of a dimension), a single hidden cell could be recovered as the total minus
 *   the others; when exactly one cell of the group is hidden, the next smallest is hidden too.
 *   A total that itself describes fewer than k households is hidden, and with it the whole group.
 * - Statistics of fewer than k households (medians, means, rates, curves) are hidden.
 *
 * A hidden number is `HIDDEN` (NaN): the section keeps its types, arithmetic on a hidden count
 * stays hidden (a share of it is NaN), JSON answers it as null, and the pages and files render it
 * as "< k" (`formatCount`, exports). Staff never get hidden figures.
 */

/** The minimum cell size when the programme set none. */
export const DEFAULT_MIN_CELL_SIZE = 5;
/** Bounds of the programme setting (1 disables suppression; above 50 most figures vanish). */
export const MIN_CELL_SIZE_MIN = 1;
export const MIN_CELL_SIZE_MAX = 50;

/** A figure hidden because it describes fewer than k households. */
export const HIDDEN = Number.NaN;

export const isHidden = (value: number | null | undefined): boolean =>
	typeof value === 'number' && Number.isNaN(value);

/** True when a count is shown as it is: 0, or at least k. */
export const isDisclosable = (count: number, k: number): boolean => count === 0 || count >= k;

/** A count, or HIDDEN when it describes fewer than k households (primary suppression). */
export const hideSmall = (count: number, k: number): number =>
	isHidden(count) || isDisclosable(count, k) ? count : HIDDEN;

/**
 * Counts of nested groups in order (a funnel: each step a subset of the one before). Beyond each
 * count's own rule, a count is hidden when it differs from the last one shown by 1 to k−1: the
 * difference (the households who stopped between the two) would otherwise describe fewer than k.
 */
export function hideSmallDifferences(counts: number[], k: number): number[] {
	let lastShown: number | null = null;
	return counts.map((raw) => {
		const count = hideSmall(raw, k);
		if (isHidden(count)) return count;
		if (lastShown !== null && !isDisclosable(lastShown - count, k)) return HIDDEN;
		lastShown = count;
		return count;
	});
}

/**
 * Which cells of an additive group to hide. `cells` add up to `total` (when given; else to their
 * sum). Returns one flag per cell and whether the total must be hidden too.
 * Rules: primary suppression of every cell with 0 < c < k; then, while exactly one cell is hidden
 * and the total is shown, the smallest other cell (non-zero first: hiding a zero protects nothing
 * when the hidden cell's value is then the only unknown) is hidden with it. A total below k is
 * hidden with every non-zero cell.
 */
export function suppressGroup(
	cells: readonly number[],
	k: number,
	total: number = cells.reduce((sum, c) => sum + c, 0)
): { hidden: boolean[]; totalHidden: boolean } {
	if (k <= 1) return { hidden: cells.map(() => false), totalHidden: false };
	if (total > 0 && total < k) return { hidden: cells.map((c) => c !== 0), totalHidden: true };
	const hidden = cells.map((c) => c > 0 && c < k);
	const count = hidden.filter(Boolean).length;
	if (count === 1) {
		// The hidden cell is the total minus the others: hide the next smallest cell with it.
		const candidates = cells
			.map((c, i) => ({ c, i }))
			.filter(({ i }) => !hidden[i])
			.sort((a, b) => Number(a.c === 0) - Number(b.c === 0) || a.c - b.c || a.i - b.i);
		// A group of one cell: the total is the cell, so the total goes.
		if (candidates.length === 0) return { hidden, totalHidden: true };
		hidden[candidates[0].i] = true;
	}
	return { hidden, totalHidden: false };
}

/** The cells of a group with the hidden ones replaced by HIDDEN, and the total (hidden or not). */
export function disclosedGroup(
	cells: readonly number[],
	k: number,
	total?: number
): { cells: number[]; total: number; hidden: boolean[] } {
	const sum = total ?? cells.reduce((s, c) => s + c, 0);
	const { hidden, totalHidden } = suppressGroup(cells, k, sum);
	return {
		cells: cells.map((c, i) => (hidden[i] ? HIDDEN : c)),
		total: totalHidden ? HIDDEN : sum,
		hidden
	};
}

/**
 * Applies suppressGroup to one numeric field of a list of records (a column) and returns the
 * flags, writing HIDDEN into the hidden records' field. The records are copies owned by the caller.
 */
export function suppressColumn<T>(
	rows: T[],
	field: { [K in keyof T]: T[K] extends number ? K : never }[keyof T],
	k: number,
	total?: number
): { hidden: boolean[]; totalHidden: boolean } {
	const values = rows.map((row) => row[field] as unknown as number);
	const result = suppressGroup(values, k, total);
	rows.forEach((row, i) => {
		if (result.hidden[i]) (row[field] as unknown as number) = HIDDEN;
	});
	return result;
}

/**
 * A proportion shown only when its base, its successes and its failures are each 0 or ≥ k (a
 * rate of 1 household in 20, or of 19 in 20, describes one household).
 */
export function discloseProportion(p: Proportion, k: number): Proportion {
	const failures = p.total - p.successes;
	if (isDisclosable(p.total, k) && isDisclosable(p.successes, k) && isDisclosable(failures, k)) return p;
	return {
		...p,
		successes: HIDDEN,
		total: hideSmall(p.total, k),
		proportion: HIDDEN,
		lower: HIDDEN,
		upper: HIDDEN
	};
}

/** Keeps a statistic (median, mean…) of `n` households only when n ≥ k. */
export const statisticOf = (value: number | null, n: number, k: number): number | null =>
	n > 0 && n < k ? HIDDEN : value;

/** A deep copy of JSON-like section data (Dates kept), so that disclosure never edits the original. */
export function copyOf<T>(data: T): T {
	return structuredClone(data);
}

/**
 * The section answer when the filters themselves select fewer than k households: no figure at
 * all, since every statistic (median, curve, survey rate) would describe one of them.
 */
export type WithheldSection = {
	withheld: 'too_few_households';
	/** The programme's minimum cell size. */
	minCellSize: number;
};

export const isWithheldSection = (data: unknown): data is WithheldSection =>
	typeof data === 'object' &&
	data !== null &&
	(data as { withheld?: unknown }).withheld === 'too_few_households';

/** True when a reader other than staff must get the withheld answer for this many households. */
export const isSelectionTooSmall = (households: number, k: number): boolean =>
	households > 0 && households < k;

/** Every number in a value (deep), with its path: the property tests read responses with it. */
export function numbersOf(value: unknown, path = ''): { path: string; value: number }[] {
	if (typeof value === 'number') return [{ path, value }];
	if (Array.isArray(value)) return value.flatMap((item, i) => numbersOf(item, `${path}[${i}]`));
	if (value && typeof value === 'object' && !(value instanceof Date))
		return Object.entries(value).flatMap(([key, inner]) => numbersOf(inner, path ? `${path}.${key}` : key));
	return [];
}
