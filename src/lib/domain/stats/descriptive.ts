/**
 * Descriptive statistics for the observatory: quantiles (R type 7, PostgreSQL `percentile_cont`),
 * median, mean, proportions with Wilson intervals, funnel conversion and cumulative counts per year.
 * Empty inputs give null rather than NaN so results serialise cleanly.
 */
import { normalQuantile } from './distributions.ts';

function checkFinite(values: readonly number[], name: string): void {
	for (const v of values) {
		if (!Number.isFinite(v)) throw new Error(`${name}: values must be finite numbers, got ${v}`);
	}
}

function quantileOfSorted(sorted: readonly number[], p: number): number {
	const h = (sorted.length - 1) * p;
	const low = Math.floor(h);
	const high = Math.min(low + 1, sorted.length - 1);
	return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
}

/**
 * Sample quantiles by linear interpolation between order statistics, Hyndman & Fan (1996) type 7
 * — the default of R `quantile()`, NumPy and PostgreSQL `percentile_cont`: with x₍₁₎ ≤ … ≤ x₍ₙ₎
 * and h = (n − 1)·p, Q(p) = x₍⌊h⌋+1₎ + (h − ⌊h⌋)(x₍⌊h⌋+2₎ − x₍⌊h⌋+1₎).
 * Returns one value per requested probability (each in [0, 1]); null for an empty sample.
 */
export function quantiles(values: readonly number[], probabilities: readonly number[]): (number | null)[] {
	checkFinite(values, 'quantiles');
	for (const p of probabilities) {
		if (!(p >= 0 && p <= 1)) throw new Error(`quantiles: probabilities must be in [0, 1], got ${p}`);
	}
	if (values.length === 0) return probabilities.map(() => null);
	const sorted = [...values].sort((a, b) => a - b);
	return probabilities.map((p) => quantileOfSorted(sorted, p));
}

/** One type-7 quantile (see {@link quantiles}); null for an empty sample. */
export function quantile(values: readonly number[], p: number): number | null {
	return quantiles(values, [p])[0];
}

/** Median (type-7 quantile ½: the middle value, or the mean of the two middle values); null if empty. */
export function median(values: readonly number[]): number | null {
	return quantile(values, 0.5);
}

/** Arithmetic mean Σx/n; null for an empty sample. */
export function mean(values: readonly number[]): number | null {
	checkFinite(values, 'mean');
	if (values.length === 0) return null;
	let sum = 0;
	for (const v of values) sum += v;
	return sum / values.length;
}

export type Proportion = {
	successes: number;
	total: number;
	/** successes/total; null when total = 0. */
	proportion: number | null;
	/** Wilson score interval; null when total = 0. */
	lower: number | null;
	upper: number | null;
	confLevel: number;
};

/**
 * A proportion with its Wilson (1927) score interval, without continuity correction
 * (R: `prop.test(x, n, correct = FALSE)$conf.int`): with p̂ = x/n and z = Φ⁻¹(1 − α/2),
 * centre = (p̂ + z²/2n)/(1 + z²/n), half-width = z·√(p̂(1 − p̂)/n + z²/4n²)/(1 + z²/n).
 * Good coverage even for small n or p̂ near 0 or 1 (Brown, Cai & DasGupta 2001).
 */
export function proportion(
	successes: number,
	total: number,
	options: { confLevel?: number } = {}
): Proportion {
	const confLevel = options.confLevel ?? 0.95;
	if (!(confLevel > 0 && confLevel < 1)) {
		throw new Error(`proportion: confLevel must be in (0, 1), got ${confLevel}`);
	}
	if (!Number.isInteger(total) || total < 0) {
		throw new Error(`proportion: total must be a non-negative integer, got ${total}`);
	}
	if (!Number.isInteger(successes) || successes < 0 || successes > total) {
		throw new Error(`proportion: successes must be an integer in [0, ${total}], got ${successes}`);
	}
	if (total === 0) {
		return { successes, total, proportion: null, lower: null, upper: null, confLevel };
	}
	const z = normalQuantile(1 - (1 - confLevel) / 2);
	const p = successes / total;
	const z2 = z * z;
	const denominator = 1 + z2 / total;
	const centre = (p + z2 / (2 * total)) / denominator;
	const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denominator;
	return {
		successes,
		total,
		proportion: p,
		lower: Math.max(0, centre - half),
		upper: Math.min(1, centre + half),
		confLevel
	};
}

export type FunnelStage<K> = {
	key: K;
	count: number;
	/** count / previous stage's count, with Wilson interval (null for the first stage). */
	fromPrevious: Proportion | null;
	/** count / first stage's count, with Wilson interval. */
	fromFirst: Proportion;
};

/**
 * Conversion through an ordered funnel (e.g. contact → application → committee → installed):
 * each stage's count as a proportion of the previous stage and of the first, with Wilson
 * intervals. Counts must not increase along the funnel (each stage is a subset of the previous).
 */
export function funnel<K>(stages: readonly { key: K; count: number }[]): FunnelStage<K>[] {
	if (stages.length === 0) return [];
	for (let i = 1; i < stages.length; i++) {
		if (stages[i].count > stages[i - 1].count) {
			throw new Error(`funnel: stage ${i} has more entries than the stage before it`);
		}
	}
	const first = stages[0].count;
	return stages.map((stage, i) => ({
		key: stage.key,
		count: stage.count,
		fromPrevious: i === 0 ? null : proportion(stage.count, stages[i - 1].count),
		fromFirst: proportion(stage.count, first)
	}));
}

export type YearCount = { year: number; count: number; cumulative: number };

function yearOf(value: number | string | Date): number {
	if (typeof value === 'number') {
		if (!Number.isInteger(value)) throw new Error(`cumulativeCountsPerYear: ${value} is not a year`);
		return value;
	}
	if (value instanceof Date) {
		const year = value.getUTCFullYear();
		if (Number.isNaN(year)) throw new Error('cumulativeCountsPerYear: invalid Date');
		return year;
	}
	const match = /^(\d{4})/.exec(value);
	if (!match) throw new Error(`cumulativeCountsPerYear: "${value}" is not an ISO date`);
	return Number(match[1]);
}

/**
 * Counts per calendar year and running totals, for every year of the range (years without
 * entries appear with count 0). Entries are years (numbers), ISO dates ('2024-05-01…', year read
 * from the text, no time-zone shift) or Date objects (UTC year). The range defaults to the first
 * and last years present; entries before `from` are included in the first cumulative total,
 * entries after `to` are ignored. Empty input without a range gives [].
 */
export function cumulativeCountsPerYear(
	entries: readonly (number | string | Date)[],
	range: { from?: number; to?: number } = {}
): YearCount[] {
	const years = entries.map(yearOf);
	if (years.length === 0 && (range.from === undefined || range.to === undefined)) return [];
	const from = range.from ?? Math.min(...years);
	const to = range.to ?? Math.max(...years);
	if (from > to) return [];
	const counts = new Map<number, number>();
	let before = 0;
	for (const year of years) {
		if (year < from) before++;
		else if (year <= to) counts.set(year, (counts.get(year) ?? 0) + 1);
	}
	const result: YearCount[] = [];
	let cumulative = before;
	for (let year = from; year <= to; year++) {
		const count = counts.get(year) ?? 0;
		cumulative += count;
		result.push({ year, count, cumulative });
	}
	return result;
}
