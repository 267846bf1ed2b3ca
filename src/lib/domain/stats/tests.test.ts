import { describe, expect, test } from 'vitest';
import { binomialTest, chiSquareGoodnessOfFit, effectMagnitude, ksTwoSample, verdict } from './tests.ts';

describe('chi-square goodness of fit', () => {
	test('matches R chisq.test(c(89,37,30,28,2), p = c(40,20,20,15,5)/100)', () => {
		// R: X-squared = 9.9901, df = 4, p-value = 0.04059 (scipy.stats.chisquare: 9.990143369175627,
		// p = 0.040594043344781214). N = 186, expected = 74.4, 37.2, 37.2, 27.9, 9.3.
		const result = chiSquareGoodnessOfFit([89, 37, 30, 28, 2], [0.4, 0.2, 0.2, 0.15, 0.05]);
		expect(result.statistic).toBeCloseTo(9.990143369175627, 10);
		expect(result.df).toBe(4);
		expect(result.pValue).toBeCloseTo(0.040594043344781214, 10);
		expect(result.expected[0]).toBeCloseTo(74.4, 10);
		expect(result.residuals[4]).toBeCloseTo((2 - 9.3) / Math.sqrt(9.3), 12);
		expect(result.cohenW).toBeCloseTo(Math.sqrt(9.990143369175627 / 186), 12);
		expect(result.cramerV).toBeCloseTo(result.cohenW / 2, 12);
		expect(result.warnings).toEqual([]);
	});

	test('warns when an expected count is below 5, and rescales weights on request', () => {
		const result = chiSquareGoodnessOfFit([3, 5, 2], [1, 2, 1], { rescale: true });
		expect(result.expected).toEqual([2.5, 5, 2.5]);
		expect(result.warnings).toEqual(['expected_below_5']);
		expect(result.minExpected).toBe(2.5);
	});

	test('invalid input throws a clear error; impossible categories give p = 0', () => {
		expect(() => chiSquareGoodnessOfFit([1], [1])).toThrow(/two categories/);
		expect(() => chiSquareGoodnessOfFit([1, 2], [0.5, 0.6])).toThrow(/sum to 1/);
		expect(() => chiSquareGoodnessOfFit([0, 0], [0.5, 0.5])).toThrow(/no observations/);
		expect(() => chiSquareGoodnessOfFit([1, -2], [0.5, 0.5])).toThrow(/≥ 0/);
		const impossible = chiSquareGoodnessOfFit([3, 1], [1, 0]);
		expect(impossible.statistic).toBe(Infinity);
		expect(impossible.pValue).toBe(0);
	});
});

describe('two-sample Kolmogorov–Smirnov', () => {
	test('fully separated samples of 3: D = 1, exact p = 2/20 = 0.1 (R ks.test(1:3, 4:6))', () => {
		const result = ksTwoSample([1, 2, 3], [4, 5, 6]);
		expect(result).toMatchObject({ statistic: 1, dPlus: 1, dMinus: 0, method: 'exact' });
		expect(result.pValue).toBeCloseTo(0.1, 12);
	});

	test('x = (1, 2, 4), y = (3, 5, 6): D = 2/3, exact p = 12/20 = 0.6, derived by hand', () => {
		// Of the C(6,3) = 20 orderings, the paths with |i − j| ≤ 1 throughout take one x and one y in
		// each pair of positions: 2³ = 8; the other 12 reach |Fx − Fy| ≥ 2/3. R: D = 0.66667, p = 0.6.
		const result = ksTwoSample([1, 2, 4], [3, 5, 6]);
		expect(result.statistic).toBeCloseTo(2 / 3, 12);
		expect(result.pValue).toBeCloseTo(0.6, 12);
	});

	test('25 vs 20 values: exact p as scipy ks_2samp(method="exact"), asymptotic as R exact = FALSE', () => {
		const x = [
			0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77,
			1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47
		];
		const y = [
			2.2, 1.66, 1.38, 0.2, 0.36, 0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, 0.38, 0.7,
			0.52, -0.71
		];
		const exact = ksTwoSample(x, y);
		expect(exact.statistic).toBeCloseTo(0.23, 12);
		expect(exact.dPlus).toBeCloseTo(0.23, 12); // x tends to be smaller
		expect(exact.pValue).toBeCloseTo(0.5286364448145011, 10);
		expect(exact.ties).toBe(false);
		// Q_KS(√(500/45)·0.23) = scipy.stats.kstwobign.sf(...) = 0.5991955719698889
		const plain = ksTwoSample(x, y, { exact: false, correction: 'none' });
		expect(plain.method).toBe('asymptotic');
		expect(plain.pValue).toBeCloseTo(0.5991955719698889, 10);
		// Stephens: Q_KS((√ne + 0.12 + 0.11/√ne)·D) = 0.5411245537216747
		expect(ksTwoSample(x, y, { exact: false }).pValue).toBeCloseTo(0.5411245537216747, 10);
	});

	test('large samples use the asymptotic law; empty samples throw', () => {
		const x = Array.from({ length: 120 }, (_, i) => i);
		const y = Array.from({ length: 100 }, (_, i) => i + 30.5);
		const result = ksTwoSample(x, y);
		expect(result.method).toBe('asymptotic');
		expect(result.statistic).toBeCloseTo(31 / 120, 12); // at 30: Fx = 31/120, Fy = 0
		expect(result.pValue).toBeGreaterThan(0);
		expect(result.pValue).toBeLessThan(0.01);
		expect(() => ksTwoSample([], [1])).toThrow(/at least one observation/);
	});
});

describe('exact binomial test', () => {
	test('matches R binom.test(682, 925, p = 0.75): p = 0.3825, CI 0.7076683 0.7654066', () => {
		// scipy.stats.binomtest(682, 925, 0.75): p = 0.3824915595748517,
		// CI (0.707668264079039, 0.7654065582414781).
		const result = binomialTest(682, 925, { p: 0.75 });
		expect(result.pValue).toBeCloseTo(0.3824915595748517, 10);
		expect(result.lower).toBeCloseTo(0.7076683, 7);
		expect(result.upper).toBeCloseTo(0.7654066, 7);
		expect(result.estimate).toBeCloseTo(0.7372973, 7);
		expect(result.cohenH).toBeCloseTo(
			2 * Math.asin(Math.sqrt(682 / 925)) - 2 * Math.asin(Math.sqrt(0.75)),
			14
		);
		expect(result.difference).toBeLessThan(0);
	});

	test('one-sided alternatives and boundary counts match scipy binomtest', () => {
		const two = binomialTest(7, 20);
		expect(two.pValue).toBeCloseTo(0.26317596435546875, 12);
		expect(two.lower).toBeCloseTo(0.1539092047845412, 10);
		expect(two.upper).toBeCloseTo(0.5921885345328283, 10);
		const less = binomialTest(7, 20, { alternative: 'less' });
		expect(less.pValue).toBeCloseTo(0.13158798217773438, 12);
		expect(less.lower).toBe(0);
		expect(less.upper).toBeCloseTo(0.5580345113154888, 10);
		const greater = binomialTest(7, 20, { alternative: 'greater' });
		expect(greater.pValue).toBeCloseTo(0.9423408508300781, 12);
		expect(greater.lower).toBeCloseTo(0.1773109175744692, 10);
		const none = binomialTest(0, 10, { p: 0.3 });
		expect(none.pValue).toBeCloseTo(0.0388396033, 9);
		expect(none.lower).toBe(0);
		expect(none.upper).toBeCloseTo(0.30849710781876294, 10);
		expect(binomialTest(5, 10).pValue).toBe(1);
	});

	test('invalid counts throw', () => {
		expect(() => binomialTest(3, 0)).toThrow(/trials/);
		expect(() => binomialTest(11, 10)).toThrow(/successes/);
		expect(() => binomialTest(1.5, 10)).toThrow(/successes/);
		expect(() => binomialTest(1, 10, { p: 2 })).toThrow(/p must be/);
	});
});

describe('verdict', () => {
	test('labels effect sizes with Cohen’s thresholds', () => {
		expect(effectMagnitude({ measure: 'cohen_w', value: 0.05 })).toBe('negligible');
		expect(effectMagnitude({ measure: 'cohen_w', value: 0.1 })).toBe('small');
		expect(effectMagnitude({ measure: 'cohen_w', value: 0.3 })).toBe('medium');
		expect(effectMagnitude({ measure: 'cohen_h', value: -0.85 })).toBe('large');
		expect(effectMagnitude({ measure: 'cohen_h', value: 0.3 })).toBe('small');
		expect(effectMagnitude({ measure: 'cramer_v', value: 0.2, df: 4 })).toBe('medium');
		expect(effectMagnitude({ measure: 'ks_d', value: 0.4 })).toBeNull();
	});

	test('a significant binomial result below the baseline reads "significantly lower"', () => {
		const result = binomialTest(40, 100, { p: 0.6 });
		const v = verdict({ pValue: result.pValue, effect: result.effect, difference: result.difference });
		expect(v).toMatchObject({ code: 'significantly_lower', significant: true, direction: 'lower' });
		// h = 2 asin √0.4 − 2 asin √0.6 = −0.4027: small (0.2 ≤ |h| < 0.5)
		expect(v.effect).toMatchObject({ measure: 'cohen_h', magnitude: 'small' });
		expect(v.effect.value).toBeCloseTo(-0.4027, 4);
	});

	test('the R chi-square example is significant at 5 % with a small effect, direction unspecified', () => {
		const result = chiSquareGoodnessOfFit([89, 37, 30, 28, 2], [0.4, 0.2, 0.2, 0.15, 0.05]);
		const v = verdict({ pValue: result.pValue, effect: result.effect });
		expect(v).toMatchObject({
			code: 'significantly_different',
			direction: 'unspecified',
			effect: { magnitude: 'small' }
		});
		expect(v.effect.value).toBeCloseTo(0.2318, 4);
	});

	test('not significant keeps the observed direction but says no significant difference', () => {
		const v = verdict({ pValue: 0.38, effect: { measure: 'cohen_h', value: -0.03 }, difference: -0.01 });
		expect(v).toMatchObject({ code: 'no_significant_difference', direction: 'lower', significant: false });
		expect(v.effect.magnitude).toBe('negligible');
		expect(() => verdict({ pValue: 2, effect: { measure: 'r', value: 0 } })).toThrow(/pValue/);
	});
});
