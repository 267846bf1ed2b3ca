/**
 * Hypothesis tests used to compare the observatory's distributions with baselines, and a
 * structured plain-language verdict (codes and numbers; the sentence is written by the UI).
 *
 * Each test follows the R function named in its documentation, so results can be checked against
 * R: `chisq.test(x, p = ...)`, `ks.test(x, y)`, `binom.test(x, n, p)`.
 * Effect-size conventions: J. Cohen, Statistical Power Analysis for the Behavioral Sciences,
 * 2nd ed. (1988) — w (ch. 7), h (ch. 6), d (ch. 2), r (ch. 3).
 */
import {
	binomialCdf,
	binomialPmf,
	binomialSurvival,
	betaQuantile,
	chiSquareSurvival,
	kolmogorovPValue,
	smirnovExactPValue
} from './distributions.ts';

export type Alternative = 'two-sided' | 'less' | 'greater';

/** Effect-size measures the verdict knows how to label. */
export type EffectMeasure = 'cohen_w' | 'cohen_h' | 'cohen_d' | 'cramer_v' | 'r' | 'ks_d';

export type EffectSize = {
	measure: EffectMeasure;
	value: number;
	/** For Cramér's V: min(rows − 1, columns − 1), or k − 1 for a goodness-of-fit test. */
	df?: number;
};

/** Warning codes a test may attach to its result (translated by the UI). */
export type TestWarning = 'expected_below_5' | 'ties';

export type ChiSquareGoodnessOfFitResult = {
	statistic: number;
	df: number;
	pValue: number;
	/** Total count N. */
	n: number;
	expected: number[];
	/** Pearson residuals (O − E)/√E, to see which categories drive the difference. */
	residuals: number[];
	/** Cohen's w = √(X²/N). */
	cohenW: number;
	/** Cramér's V = √(X²/(N (k − 1))) = w/√(k − 1). */
	cramerV: number;
	effect: EffectSize;
	minExpected: number;
	/** 'expected_below_5' when some expected count is below 5 (R warns "approximation may be incorrect"). */
	warnings: TestWarning[];
};

/**
 * Pearson chi-square goodness-of-fit test of observed counts against expected proportions
 * (R: `chisq.test(observed, p = proportions)`): X² = Σ (Oᵢ − Eᵢ)²/Eᵢ with Eᵢ = N·pᵢ, compared with a
 * chi-square on k − 1 df. Assumes independent observations and expected counts large enough
 * (rule of thumb Eᵢ ≥ 5, otherwise a warning). Proportions must sum to 1 (within 1e-8) unless
 * `rescale` is set (R `rescale.p = TRUE`). A category with Eᵢ = 0 but Oᵢ > 0 gives X² = ∞, p = 0;
 * categories with Eᵢ = Oᵢ = 0 contribute nothing.
 */
export function chiSquareGoodnessOfFit(
	observed: readonly number[],
	proportions: readonly number[],
	options: { rescale?: boolean } = {}
): ChiSquareGoodnessOfFitResult {
	const k = observed.length;
	if (k < 2) throw new Error('chiSquareGoodnessOfFit: at least two categories are needed');
	if (proportions.length !== k) {
		throw new Error(`chiSquareGoodnessOfFit: ${k} counts but ${proportions.length} proportions`);
	}
	for (const o of observed) {
		if (!(o >= 0) || !Number.isFinite(o)) {
			throw new Error(`chiSquareGoodnessOfFit: counts must be finite and ≥ 0, got ${o}`);
		}
	}
	for (const p of proportions) {
		if (!(p >= 0) || !Number.isFinite(p)) {
			throw new Error(`chiSquareGoodnessOfFit: proportions must be finite and ≥ 0, got ${p}`);
		}
	}
	const total = proportions.reduce((a, b) => a + b, 0);
	if (options.rescale) {
		if (!(total > 0)) throw new Error('chiSquareGoodnessOfFit: proportions sum to 0');
	} else if (Math.abs(total - 1) > 1e-8) {
		throw new Error(`chiSquareGoodnessOfFit: proportions must sum to 1, got ${total}`);
	}
	const n = observed.reduce((a, b) => a + b, 0);
	if (n === 0) throw new Error('chiSquareGoodnessOfFit: no observations');
	const expected = proportions.map((p) => (n * p) / total);
	let statistic = 0;
	const residuals = observed.map((o, i) => {
		const e = expected[i];
		if (e === 0) {
			if (o > 0) statistic = Infinity;
			return o > 0 ? Infinity : 0;
		}
		statistic += (o - e) ** 2 / e;
		return (o - e) / Math.sqrt(e);
	});
	const df = k - 1;
	const cohenW = Math.sqrt(statistic / n);
	const minExpected = Math.min(...expected);
	return {
		statistic,
		df,
		pValue: statistic === Infinity ? 0 : chiSquareSurvival(statistic, df),
		n,
		expected,
		residuals,
		cohenW,
		cramerV: cohenW / Math.sqrt(df),
		effect: { measure: 'cohen_w', value: cohenW },
		minExpected,
		warnings: minExpected < 5 ? ['expected_below_5'] : []
	};
}

export type KsTwoSampleResult = {
	/** D = sup |F_x − F_y|. */
	statistic: number;
	/** D⁺ = sup (F_x − F_y): large when x tends to be smaller than y. */
	dPlus: number;
	/** D⁻ = sup (F_y − F_x): large when x tends to be larger than y. */
	dMinus: number;
	pValue: number;
	method: 'exact' | 'asymptotic';
	nX: number;
	nY: number;
	/** True when some value occurs in both samples or twice (the exact p-value conditions on them). */
	ties: boolean;
	effect: EffectSize;
	warnings: TestWarning[];
};

/**
 * Two-sided two-sample Kolmogorov–Smirnov test (R: `ks.test(x, y)`): D = sup_t |F_x(t) − F_y(t)|.
 * The p-value is exact (Smirnov distribution by lattice-path counting, conditional on ties as
 * R ≥ 4.2 `psmirnov`) when nX·nY < 10 000 like R's default, or when `exact` is true; otherwise the
 * asymptotic Kolmogorov law with effective size nX·nY/(nX + nY) and, by default, the Stephens
 * small-sample correction (`correction: 'none'` reproduces R's `exact = FALSE`).
 * Assumes continuous distributions; with ties only the exact method is strictly valid.
 */
export function ksTwoSample(
	x: readonly number[],
	y: readonly number[],
	options: { exact?: boolean; correction?: 'stephens' | 'none' } = {}
): KsTwoSampleResult {
	if (x.length === 0 || y.length === 0) {
		throw new Error('ksTwoSample: each sample needs at least one observation');
	}
	for (const v of [...x, ...y]) {
		if (!Number.isFinite(v)) throw new Error(`ksTwoSample: values must be finite, got ${v}`);
	}
	const sx = [...x].sort((a, b) => a - b);
	const sy = [...y].sort((a, b) => a - b);
	const nX = sx.length;
	const nY = sy.length;
	let i = 0;
	let j = 0;
	let dPlus = 0;
	let dMinus = 0;
	while (i < nX || j < nY) {
		const value = Math.min(i < nX ? sx[i] : Infinity, j < nY ? sy[j] : Infinity);
		while (i < nX && sx[i] === value) i++;
		while (j < nY && sy[j] === value) j++;
		const difference = i / nX - j / nY;
		dPlus = Math.max(dPlus, difference);
		dMinus = Math.max(dMinus, -difference);
	}
	const statistic = Math.max(dPlus, dMinus);
	const pooled = [...sx, ...sy].sort((a, b) => a - b);
	const ties = pooled.some((v, k) => k > 0 && pooled[k - 1] === v);
	const exact = options.exact ?? nX * nY < 10_000;
	const pValue = exact
		? smirnovExactPValue(statistic, nX, nY, ties ? pooled : undefined)
		: kolmogorovPValue(statistic, (nX * nY) / (nX + nY), options.correction ?? 'stephens');
	return {
		statistic,
		dPlus,
		dMinus,
		pValue,
		method: exact ? 'exact' : 'asymptotic',
		nX,
		nY,
		ties,
		effect: { measure: 'ks_d', value: statistic },
		warnings: ties && !exact ? ['ties'] : []
	};
}

export type BinomialTestResult = {
	successes: number;
	trials: number;
	/** Observed proportion successes/trials. */
	estimate: number;
	nullProportion: number;
	/** estimate − nullProportion. */
	difference: number;
	alternative: Alternative;
	pValue: number;
	confLevel: number;
	/** Clopper–Pearson ("exact") confidence interval of the proportion. */
	lower: number;
	upper: number;
	/** Cohen's h = 2 asin √p̂ − 2 asin √p₀. */
	cohenH: number;
	effect: EffectSize;
};

/**
 * Exact binomial test (R: `binom.test(x, n, p, alternative, conf.level)`).
 * Two-sided p-value as R: the probability of all outcomes no more likely than the observed one,
 * P = Σ_{k : f(k) ≤ f(x)·(1 + 1e-7)} f(k) with f the Bin(n, p) mass. Confidence interval of
 * Clopper & Pearson (1934) from beta quantiles: [B(α/2; x, n−x+1), B(1−α/2; x+1, n−x)] (one-sided
 * versions for 'less'/'greater'). Assumes independent trials with a common probability.
 */
export function binomialTest(
	successes: number,
	trials: number,
	options: { p?: number; alternative?: Alternative; confLevel?: number } = {}
): BinomialTestResult {
	const p = options.p ?? 0.5;
	const alternative = options.alternative ?? 'two-sided';
	const confLevel = options.confLevel ?? 0.95;
	if (!Number.isInteger(trials) || trials < 1) {
		throw new Error(`binomialTest: trials must be a positive integer, got ${trials}`);
	}
	if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
		throw new Error(`binomialTest: successes must be an integer in [0, ${trials}], got ${successes}`);
	}
	if (!(p >= 0 && p <= 1)) throw new Error(`binomialTest: p must be in [0, 1], got ${p}`);
	if (!(confLevel > 0 && confLevel < 1)) {
		throw new Error(`binomialTest: confLevel must be in (0, 1), got ${confLevel}`);
	}
	const x = successes;
	const n = trials;
	let pValue: number;
	if (alternative === 'less') pValue = binomialCdf(x, n, p);
	else if (alternative === 'greater') pValue = binomialSurvival(x - 1, n, p);
	else pValue = twoSidedBinomialPValue(x, n, p);
	const alpha = 1 - confLevel;
	let lower: number;
	let upper: number;
	if (alternative === 'less') {
		lower = 0;
		upper = x === n ? 1 : betaQuantile(confLevel, x + 1, n - x);
	} else if (alternative === 'greater') {
		lower = x === 0 ? 0 : betaQuantile(alpha, x, n - x + 1);
		upper = 1;
	} else {
		lower = x === 0 ? 0 : betaQuantile(alpha / 2, x, n - x + 1);
		upper = x === n ? 1 : betaQuantile(1 - alpha / 2, x + 1, n - x);
	}
	const estimate = x / n;
	const cohenH = 2 * Math.asin(Math.sqrt(estimate)) - 2 * Math.asin(Math.sqrt(p));
	return {
		successes: x,
		trials: n,
		estimate,
		nullProportion: p,
		difference: estimate - p,
		alternative,
		pValue: Math.min(1, pValue),
		confLevel,
		lower,
		upper,
		cohenH,
		effect: { measure: 'cohen_h', value: cohenH }
	};
}

/** R `binom.test` two-sided rule (relative tolerance 1 + 1e-7 on the probability mass). */
function twoSidedBinomialPValue(x: number, n: number, p: number): number {
	const relErr = 1 + 1e-7;
	const d = binomialPmf(x, n, p);
	const m = n * p;
	if (x === m) return 1;
	if (x < m) {
		let y = 0;
		for (let i = Math.ceil(m); i <= n; i++) if (binomialPmf(i, n, p) <= d * relErr) y++;
		return Math.min(1, binomialCdf(x, n, p) + binomialSurvival(n - y, n, p));
	}
	let y = 0;
	for (let i = 0; i <= Math.floor(m); i++) if (binomialPmf(i, n, p) <= d * relErr) y++;
	return Math.min(1, binomialCdf(y - 1, n, p) + binomialSurvival(x - 1, n, p));
}

/** Cohen's labels; 'negligible' below the "small" threshold. */
export type EffectMagnitude = 'negligible' | 'small' | 'medium' | 'large';

/** Cohen (1988) thresholds [small, medium, large] by measure. */
const COHEN_THRESHOLDS: Record<Exclude<EffectMeasure, 'ks_d' | 'cramer_v'>, [number, number, number]> = {
	cohen_w: [0.1, 0.3, 0.5],
	r: [0.1, 0.3, 0.5],
	cohen_h: [0.2, 0.5, 0.8],
	cohen_d: [0.2, 0.5, 0.8]
};

/**
 * Cohen's label for an effect size (absolute value): w and r 0.1/0.3/0.5, h and d 0.2/0.5/0.8;
 * Cramér's V uses the w thresholds divided by √df (Cohen: w = V·√df, df = min(r−1, c−1), 1 if
 * absent). The KS distance D has no conventional thresholds: null.
 */
export function effectMagnitude(effect: EffectSize): EffectMagnitude | null {
	if (!Number.isFinite(effect.value)) return Number.isNaN(effect.value) ? null : 'large';
	if (effect.measure === 'ks_d') return null;
	const value = Math.abs(effect.value);
	let thresholds: [number, number, number];
	if (effect.measure === 'cramer_v') {
		const root = Math.sqrt(Math.max(1, effect.df ?? 1));
		thresholds = [0.1 / root, 0.3 / root, 0.5 / root];
	} else {
		thresholds = COHEN_THRESHOLDS[effect.measure];
	}
	if (value >= thresholds[2]) return 'large';
	if (value >= thresholds[1]) return 'medium';
	if (value >= thresholds[0]) return 'small';
	return 'negligible';
}

export type VerdictCode =
	'significantly_higher' | 'significantly_lower' | 'significantly_different' | 'no_significant_difference';

export type Verdict = {
	/** The message key for the UI. */
	code: VerdictCode;
	significant: boolean;
	alpha: number;
	pValue: number;
	/** Observed direction of the difference, whether significant or not. */
	direction: 'higher' | 'lower' | 'equal' | 'unspecified';
	effect: EffectSize & { magnitude: EffectMagnitude | null };
};

/**
 * Structured plain-language verdict of a test: significant when p < alpha (default 0.05);
 * direction from the sign of `difference` (observed − reference, e.g. the binomial result's
 * `difference`), 'unspecified' when omitted (e.g. a goodness-of-fit test of a whole distribution);
 * effect size labelled per Cohen. Returns codes and numbers only: the sentence is the UI's.
 */
export function verdict(input: {
	pValue: number;
	effect: EffectSize;
	difference?: number;
	alpha?: number;
}): Verdict {
	const alpha = input.alpha ?? 0.05;
	if (!(alpha > 0 && alpha < 1)) throw new Error(`verdict: alpha must be in (0, 1), got ${alpha}`);
	if (!(input.pValue >= 0 && input.pValue <= 1)) {
		throw new Error(`verdict: pValue must be in [0, 1], got ${input.pValue}`);
	}
	const significant = input.pValue < alpha;
	const direction =
		input.difference === undefined || Number.isNaN(input.difference)
			? 'unspecified'
			: input.difference > 0
				? 'higher'
				: input.difference < 0
					? 'lower'
					: 'equal';
	let code: VerdictCode = 'no_significant_difference';
	if (significant) {
		code =
			direction === 'higher'
				? 'significantly_higher'
				: direction === 'lower'
					? 'significantly_lower'
					: 'significantly_different';
	}
	return {
		code,
		significant,
		alpha,
		pValue: input.pValue,
		direction,
		effect: { ...input.effect, magnitude: effectMagnitude(input.effect) }
	};
}
