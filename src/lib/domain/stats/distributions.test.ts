import { describe, expect, test } from 'vitest';
import {
	betaQuantile,
	binomialCdf,
	binomialPmf,
	binomialSurvival,
	chiSquareCdf,
	chiSquareSurvival,
	kolmogorovPValue,
	kolmogorovSurvival,
	logGamma,
	normalCdf,
	normalQuantile,
	regularizedBeta,
	regularizedGammaP,
	regularizedGammaQ,
	smirnovExactPValue
} from './distributions.ts';

/** Relative closeness, for values spanning many orders of magnitude. */
function expectRelativelyClose(actual: number, expected: number, tolerance = 1e-10): void {
	const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
	expect(Math.abs(actual - expected) / scale).toBeLessThan(tolerance);
}

// Reference values computed with mpmath (30 significant digits) and SciPy 1.17
// (scipy.stats.chi2, binom, beta, kstwobign), which agree with R's lgamma, pchisq, pbeta, pnorm,
// qnorm, pbinom and qbeta to the digits shown.
describe('special functions', () => {
	test('log-gamma matches high-precision values from small to large arguments', () => {
		const cases: [number, number][] = [
			[0.1, 2.252712651734206],
			[0.5, 0.5723649429247001],
			[3.7, 1.428072326665388],
			[10, 12.801827480081469],
			[100.5, 361.4355404677776],
			[1000, 5905.220423209181]
		];
		for (const [x, expected] of cases) expectRelativelyClose(logGamma(x), expected, 1e-13);
		expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
		expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
		expect(() => logGamma(0)).toThrow(/pole/);
		expect(() => logGamma(-2)).toThrow(/pole/);
	});

	test('regularized incomplete gamma P and Q are complementary and match mpmath', () => {
		expectRelativelyClose(regularizedGammaP(2.5, 3), 0.6937810815867216, 1e-12);
		expectRelativelyClose(regularizedGammaP(0.5, 0.01), 0.1124629160182849, 1e-12);
		expectRelativelyClose(regularizedGammaP(50, 45), 0.24680203440017026, 1e-11);
		expect(regularizedGammaP(3, 0)).toBe(0);
		expect(regularizedGammaQ(3, 0)).toBe(1);
		expect(regularizedGammaP(3, 7) + regularizedGammaQ(3, 7)).toBeCloseTo(1, 14);
		expect(() => regularizedGammaP(0, 1)).toThrow(/a must be > 0/);
	});

	test('chi-square survival gives R pchisq upper tails, including very small p-values', () => {
		expectRelativelyClose(chiSquareSurvival(9.9901, 4), 0.040594776784784084, 1e-11);
		expectRelativelyClose(chiSquareSurvival(3.84, 1), 0.05004352124870519, 1e-11);
		expectRelativelyClose(chiSquareSurvival(100, 10), 5.4497019829205215e-17, 1e-9);
		expectRelativelyClose(chiSquareSurvival(0.5, 3), 0.9188914116546758, 1e-12);
		expect(chiSquareCdf(0.5, 3)).toBeCloseTo(1 - 0.9188914116546758, 12);
		expect(chiSquareSurvival(0, 2)).toBe(1);
	});

	test('regularized incomplete beta matches mpmath, also for large binomial parameters', () => {
		expectRelativelyClose(regularizedBeta(0.4, 2, 3), 0.5248, 1e-12);
		expectRelativelyClose(regularizedBeta(0.75, 682, 244), 0.8240891223524226, 1e-10);
		expectRelativelyClose(regularizedBeta(0.2, 0.5, 0.5), 0.2951672353008666, 1e-12);
		expect(regularizedBeta(0, 2, 3)).toBe(0);
		expect(regularizedBeta(1, 2, 3)).toBe(1);
	});

	test('binomial distribution functions match R dbinom and pbinom for n = 925, p = 0.75', () => {
		expectRelativelyClose(binomialCdf(682, 925, 0.75), 0.19600926705388308, 1e-10);
		expectRelativelyClose(binomialSurvival(682, 925, 0.75), 0.8039907329461169, 1e-10);
		expectRelativelyClose(binomialPmf(682, 925, 0.75), 0.020098389406305924, 1e-10);
		expect(binomialCdf(-1, 10, 0.3)).toBe(0);
		expect(binomialCdf(10, 10, 0.3)).toBe(1);
		expect(binomialPmf(0, 5, 0)).toBe(1);
	});

	test('beta quantiles give the Clopper–Pearson bounds of R binom.test(682, 925)', () => {
		expectRelativelyClose(betaQuantile(0.025, 682, 244), 0.707668264079039, 1e-10);
		expectRelativelyClose(betaQuantile(0.975, 683, 243), 0.7654065582415253, 1e-10);
	});

	test('the normal distribution function is accurate in both tails', () => {
		const cases: [number, number][] = [
			[-10, 7.619853024160525e-24],
			[-3, 0.0013498980316300946],
			[-1.96, 0.024997895148220435],
			[0, 0.5],
			[0.5, 0.6914624612740131],
			[1.96, 0.9750021048517795],
			[5, 0.9999997133484281]
		];
		for (const [x, expected] of cases) expectRelativelyClose(normalCdf(x), expected, 1e-12);
	});

	test('the normal quantile inverts the distribution function to machine precision', () => {
		const cases: [number, number][] = [
			[1e-12, -7.034483825301132],
			[0.001, -3.0902323061678136],
			[0.025, -1.9599639845400543],
			[0.3, -0.5244005127080408],
			[0.975, 1.959963984540054],
			[0.999999, 4.753424308817087]
		];
		for (const [p, expected] of cases) expectRelativelyClose(normalQuantile(p), expected, 1e-12);
		expect(normalQuantile(0.5)).toBe(0);
		expect(normalQuantile(0)).toBe(-Infinity);
		expect(() => normalQuantile(1.5)).toThrow(/\[0, 1\]/);
	});
});

describe('Kolmogorov–Smirnov distributions', () => {
	test('the asymptotic Kolmogorov survival function matches scipy kstwobign on both series', () => {
		const cases: [number, number][] = [
			[0.3, 0.9999906941986655],
			[0.5, 0.9639452436648751],
			[0.8, 0.5441424115741981],
			[1.0, 0.26999967167735456],
			[1.36, 0.049485876755377876],
			[2.0, 0.0006709252557796953]
		];
		for (const [lambda, expected] of cases) {
			expectRelativelyClose(kolmogorovSurvival(lambda), expected, 1e-10);
		}
		expect(kolmogorovSurvival(0)).toBe(1);
	});

	test('the asymptotic p-value applies the Stephens correction unless asked for R’s plain form', () => {
		// D = 0.23 with m = 25, n = 20: ne = 500/45.
		expectRelativelyClose(kolmogorovPValue(0.23, 500 / 45, 'none'), 0.5991955719698889, 1e-10);
		expectRelativelyClose(kolmogorovPValue(0.23, 500 / 45), 0.5411245537216747, 1e-10);
	});

	test('the exact Smirnov p-value is 2/C(6,3) = 0.1 when two samples of 3 are fully separated', () => {
		// Only 2 of the 20 equally likely orderings reach D = 1 (all x first, or all y first).
		expect(smirnovExactPValue(1, 3, 3)).toBeCloseTo(0.1, 14);
		expect(smirnovExactPValue(0, 3, 3)).toBe(1);
	});

	test('the exact Smirnov p-value matches scipy ks_2samp(method="exact") without ties', () => {
		expectRelativelyClose(smirnovExactPValue(0.23, 25, 20), 0.5286364448145011, 1e-10);
	});

	test('with ties the exact p-value equals a brute-force enumeration of all relabellings', () => {
		const x = [1, 2, 2, 3, 5];
		const y = [2, 3, 4, 4, 6, 7, 7];
		const pooled = [...x, ...y].sort((a, b) => a - b);
		const statistic = (a: number[], b: number[]): number => {
			let d = 0;
			for (const v of pooled) {
				const fa = a.filter((t) => t <= v).length / a.length;
				const fb = b.filter((t) => t <= v).length / b.length;
				d = Math.max(d, Math.abs(fa - fb));
			}
			return d;
		};
		const observed = statistic(x, y);
		let extreme = 0;
		let total = 0;
		const size = pooled.length;
		for (let mask = 0; mask < 1 << size; mask++) {
			let bits = 0;
			for (let i = 0; i < size; i++) if (mask & (1 << i)) bits++;
			if (bits !== x.length) continue;
			const a = pooled.filter((_, i) => mask & (1 << i));
			const b = pooled.filter((_, i) => !(mask & (1 << i)));
			total++;
			if (statistic(a, b) >= observed - 1e-12) extreme++;
		}
		expect(total).toBe(792);
		expect(smirnovExactPValue(observed, x.length, y.length, pooled)).toBeCloseTo(extreme / total, 12);
	});
});
