/**
 * Special functions and distribution functions used by the observatory's statistics.
 *
 * Pure numeric code (no I/O, safe in the browser). Accuracy targets are about 1e-12 relative
 * for the gamma/beta family in the ranges the observatory uses (counts up to a few thousands),
 * and about 1e-15 absolute for the normal distribution.
 *
 * References:
 * - Abramowitz & Stegun (1964) 6.1.40 — Stirling series for log-gamma.
 * - W. H. Press et al., Numerical Recipes, 3rd ed. (2007), §6.2 (incomplete gamma: series and
 *   Legendre continued fraction), §6.4 (incomplete beta: continued fraction, modified Lentz),
 *   §6.14 (Kolmogorov–Smirnov distribution, small-sample correction of Stephens 1970).
 * - P. J. Acklam (2003), rational approximation of the normal quantile, refined by one Halley step.
 * - Marsaglia, Tsang & Wang (2003) / R's `psmirnov` — exact two-sample Smirnov distribution by
 *   counting lattice paths (Hodges 1957), with ties handled as in R ≥ 4.2.
 */

const EPSILON = 1e-15;
const MAX_ITERATIONS = 100_000;
const TINY = 1e-300;

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Coefficients B_2k / (2k (2k − 1)) of the Stirling series, k = 1…8. */
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

/**
 * Natural logarithm of the gamma function, ln Γ(x), for x > 0 (and by reflection for
 * non-integer x < 0: ln|Γ(x)| = ln π − ln|sin πx| − ln Γ(1 − x)).
 * Stirling's asymptotic series with 8 Bernoulli terms for x ≥ 15 (truncation error < 1e-20),
 * and the recurrence ln Γ(x) = ln Γ(x + k) − ln(x (x+1) … (x+k−1)) below; relative error
 * about 1e-15 (Abramowitz & Stegun 6.1.40). Throws for x = 0 or a negative integer (poles).
 */
export function logGamma(x: number): number {
	if (!Number.isFinite(x)) throw new Error(`logGamma: x must be finite, got ${x}`);
	if (x <= 0 && Number.isInteger(x)) throw new Error(`logGamma: pole at x = ${x}`);
	if (x < 0) {
		return Math.log(Math.PI) - Math.log(Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
	}
	if (x === 1 || x === 2) return 0;
	let shift = 0;
	let product = 1;
	let z = x;
	while (z < 15) {
		product *= z;
		z += 1;
		shift++;
	}
	const inverse = 1 / z;
	const inverse2 = inverse * inverse;
	let series = 0;
	for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inverse2 + STIRLING[k];
	const value = (z - 0.5) * Math.log(z) - z + LOG_SQRT_2PI + series * inverse;
	return shift === 0 ? value : value - Math.log(product);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
	return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * ln C(n, k), the logarithm of the binomial coefficient, for integers 0 ≤ k ≤ n.
 */
export function logChoose(n: number, k: number): number {
	if (k < 0 || k > n) return -Infinity;
	if (k === 0 || k === n) return 0;
	return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

function checkGammaArguments(a: number, x: number): void {
	if (!(a > 0) || !Number.isFinite(a)) throw new Error(`incomplete gamma: a must be > 0, got ${a}`);
	if (!(x >= 0)) throw new Error(`incomplete gamma: x must be ≥ 0, got ${x}`);
}

/** Series for P(a, x), good for x < a + 1 (Numerical Recipes `gser`). */
function gammaSeries(a: number, x: number): number {
	let term = 1 / a;
	let sum = term;
	for (let n = 1; n < MAX_ITERATIONS; n++) {
		term *= x / (a + n);
		sum += term;
		if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
	}
	return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Continued fraction for Q(a, x), good for x ≥ a + 1 (Numerical Recipes `gcf`, modified Lentz). */
function gammaContinuedFraction(a: number, x: number): number {
	let b = x + 1 - a;
	let c = 1 / TINY;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < MAX_ITERATIONS; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < TINY) d = TINY;
		c = b + an / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const delta = d * c;
		h *= delta;
		if (Math.abs(delta - 1) < EPSILON) break;
	}
	return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0.
 * Series when x < a + 1, otherwise 1 − Q from the continued fraction (Numerical Recipes §6.2).
 */
export function regularizedGammaP(a: number, x: number): number {
	checkGammaArguments(a, x);
	if (x === 0) return 0;
	if (x === Infinity) return 1;
	return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/**
 * Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a) = 1 − P(a, x), computed directly
 * (no cancellation) in the upper tail so that tiny p-values keep their relative accuracy.
 */
export function regularizedGammaQ(a: number, x: number): number {
	checkGammaArguments(a, x);
	if (x === 0) return 1;
	if (x === Infinity) return 0;
	return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** Chi-square cumulative distribution P(X ≤ x) with `df` > 0 degrees of freedom: P(df/2, x/2). */
export function chiSquareCdf(x: number, df: number): number {
	if (!(df > 0)) throw new Error(`chiSquareCdf: df must be > 0, got ${df}`);
	if (x <= 0) return 0;
	return regularizedGammaP(df / 2, x / 2);
}

/** Chi-square survival function P(X > x) (the p-value of a chi-square statistic): Q(df/2, x/2). */
export function chiSquareSurvival(x: number, df: number): number {
	if (!(df > 0)) throw new Error(`chiSquareSurvival: df must be > 0, got ${df}`);
	if (x <= 0) return 1;
	return regularizedGammaQ(df / 2, x / 2);
}

/** Continued fraction of the incomplete beta (Numerical Recipes `betacf`, modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
	const qab = a + b;
	const qap = a + 1;
	const qam = a - 1;
	let c = 1;
	let d = 1 - (qab * x) / qap;
	if (Math.abs(d) < TINY) d = TINY;
	d = 1 / d;
	let h = d;
	for (let m = 1; m < MAX_ITERATIONS; m++) {
		const m2 = 2 * m;
		let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < TINY) d = TINY;
		c = 1 + aa / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		h *= d * c;
		aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < TINY) d = TINY;
		c = 1 + aa / c;
		if (Math.abs(c) < TINY) c = TINY;
		d = 1 / d;
		const delta = d * c;
		h *= delta;
		if (Math.abs(delta - 1) < EPSILON) break;
	}
	return h;
}

/**
 * Regularized incomplete beta I_x(a, b) = B(x; a, b) / B(a, b), for a, b > 0 and 0 ≤ x ≤ 1.
 * Continued fraction on whichever of I_x(a, b) and 1 − I_{1−x}(b, a) converges fast
 * (x < (a + 1) / (a + b + 2)), as in Numerical Recipes §6.4.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
	if (!(a > 0) || !(b > 0)) throw new Error(`regularizedBeta: a and b must be > 0, got ${a}, ${b}`);
	if (!(x >= 0 && x <= 1)) throw new Error(`regularizedBeta: x must be in [0, 1], got ${x}`);
	if (x === 0) return 0;
	if (x === 1) return 1;
	const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
	if (x < (a + 1) / (a + b + 2)) {
		return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
	}
	return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * Quantile of the Beta(a, b) distribution: the x with I_x(a, b) = p. Bisection on the
 * monotone regularizedBeta (up to 200 halvings, i.e. to machine precision); used for the
 * Clopper–Pearson interval (R: `qbeta`).
 */
export function betaQuantile(p: number, a: number, b: number): number {
	if (!(p >= 0 && p <= 1)) throw new Error(`betaQuantile: p must be in [0, 1], got ${p}`);
	if (p === 0) return 0;
	if (p === 1) return 1;
	let low = 0;
	let high = 1;
	for (let i = 0; i < 200; i++) {
		const mid = (low + high) / 2;
		if (mid === low || mid === high) break;
		if (regularizedBeta(mid, a, b) < p) low = mid;
		else high = mid;
	}
	return (low + high) / 2;
}

/** Binomial probability mass P(X = k) for X ~ Bin(n, p), computed on the log scale. */
export function binomialPmf(k: number, n: number, p: number): number {
	checkBinomial(n, p);
	if (!Number.isInteger(k) || k < 0 || k > n) return 0;
	if (p === 0) return k === 0 ? 1 : 0;
	if (p === 1) return k === n ? 1 : 0;
	return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** Binomial cumulative distribution P(X ≤ k) = I_{1−p}(n − k, k + 1) (R: `pbinom(k, n, p)`). */
export function binomialCdf(k: number, n: number, p: number): number {
	checkBinomial(n, p);
	const kk = Math.floor(k);
	if (kk < 0) return 0;
	if (kk >= n) return 1;
	if (p === 0) return 1;
	if (p === 1) return 0;
	return regularizedBeta(1 - p, n - kk, kk + 1);
}

/** Binomial upper tail P(X > k) = I_p(k + 1, n − k) (R: `pbinom(k, n, p, lower.tail = FALSE)`). */
export function binomialSurvival(k: number, n: number, p: number): number {
	checkBinomial(n, p);
	const kk = Math.floor(k);
	if (kk < 0) return 1;
	if (kk >= n) return 0;
	if (p === 0) return 0;
	if (p === 1) return 1;
	return regularizedBeta(p, kk + 1, n - kk);
}

function checkBinomial(n: number, p: number): void {
	if (!Number.isInteger(n) || n < 0) throw new Error(`binomial: n must be a non-negative integer, got ${n}`);
	if (!(p >= 0 && p <= 1)) throw new Error(`binomial: p must be in [0, 1], got ${p}`);
}

/**
 * Standard normal cumulative distribution Φ(x) = ½ erfc(−x/√2), with erfc(t) = Q(½, t²) for
 * t ≥ 0, so both tails keep full relative accuracy (Φ(−10) ≈ 7.62e-24 is exact to ~1e-14).
 */
export function normalCdf(x: number): number {
	if (Number.isNaN(x)) throw new Error('normalCdf: x is NaN');
	if (x === -Infinity) return 0;
	if (x === Infinity) return 1;
	const t = x / Math.SQRT2;
	if (t < 0) return 0.5 * regularizedGammaQ(0.5, t * t);
	return 0.5 + 0.5 * regularizedGammaP(0.5, t * t);
}

/** Standard normal upper tail 1 − Φ(x), accurate in the far right tail. */
export function normalSurvival(x: number): number {
	return normalCdf(-x);
}

const ACKLAM_A = [
	-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
	2.506628277459239
];
const ACKLAM_B = [
	-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1
];
const ACKLAM_C = [
	-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
	2.938163982698783
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Acklam's rational approximation for the lower half (p ≤ ½), relative error < 1.15e-9. */
function acklamLower(p: number): number {
	const [a0, a1, a2, a3, a4, a5] = ACKLAM_A;
	const [b0, b1, b2, b3, b4] = ACKLAM_B;
	const [c0, c1, c2, c3, c4, c5] = ACKLAM_C;
	const [d0, d1, d2, d3] = ACKLAM_D;
	if (p < 0.02425) {
		const q = Math.sqrt(-2 * Math.log(p));
		return (
			(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
			((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
		);
	}
	const q = p - 0.5;
	const r = q * q;
	return (
		((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
		(((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
	);
}

/**
 * Standard normal quantile Φ⁻¹(p) (R: `qnorm`). Acklam's approximation followed by Halley
 * refinement steps against {@link normalCdf}, giving about 1e-15 relative accuracy; computed on
 * the lower half and mirrored (Φ⁻¹(p) = −Φ⁻¹(1 − p)) so the upper tail is exact too.
 */
export function normalQuantile(p: number): number {
	if (!(p >= 0 && p <= 1)) throw new Error(`normalQuantile: p must be in [0, 1], got ${p}`);
	if (p === 0) return -Infinity;
	if (p === 1) return Infinity;
	if (p > 0.5) return -normalQuantile(1 - p);
	let x = acklamLower(p);
	for (let i = 0; i < 2; i++) {
		const e = normalCdf(x) - p;
		const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
		if (!Number.isFinite(u)) break; // p below ~1e-300: keep Acklam's value
		x = x - u / (1 + (x * u) / 2);
	}
	return x;
}

/**
 * Survival function of the Kolmogorov distribution (the limit law of √n·D):
 * Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²) = P(K > λ).
 * For λ < 1 the alternating series converges slowly, so the complementary Jacobi form
 * P(K ≤ λ) = √(2π)/λ · Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)) is used instead (Numerical Recipes §6.14).
 */
export function kolmogorovSurvival(lambda: number): number {
	if (Number.isNaN(lambda)) throw new Error('kolmogorovSurvival: lambda is NaN');
	if (lambda <= 0) return 1;
	if (lambda < 1) {
		if (lambda < 0.04) return 1; // P(K ≤ λ) < 1e-300
		const factor = -(Math.PI * Math.PI) / (8 * lambda * lambda);
		let sum = 0;
		for (let k = 1; k < 100; k++) {
			const term = Math.exp(factor * (2 * k - 1) * (2 * k - 1));
			sum += term;
			if (term < sum * 1e-17) break;
		}
		return 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum;
	}
	let sum = 0;
	let sign = 1;
	for (let k = 1; k < 100; k++) {
		const term = Math.exp(-2 * k * k * lambda * lambda);
		sum += sign * term;
		if (term < 1e-17 * Math.abs(sum) || term === 0) break;
		sign = -sign;
	}
	return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * Asymptotic p-value of a Kolmogorov–Smirnov statistic D with effective size `ne`
 * (ne = n for one sample, m·n/(m + n) for two samples):
 * - `correction: 'stephens'` (default): Q_KS((√ne + 0.12 + 0.11/√ne)·D), the small-sample
 *   correction of Stephens (1970) quoted in Numerical Recipes §14.3;
 * - `correction: 'none'`: Q_KS(√ne·D), what R's `ks.test(..., exact = FALSE)` reports.
 */
export function kolmogorovPValue(
	d: number,
	ne: number,
	correction: 'stephens' | 'none' = 'stephens'
): number {
	if (!(ne > 0)) throw new Error(`kolmogorovPValue: effective size must be > 0, got ${ne}`);
	if (!(d >= 0 && d <= 1)) throw new Error(`kolmogorovPValue: D must be in [0, 1], got ${d}`);
	const root = Math.sqrt(ne);
	const lambda = correction === 'stephens' ? (root + 0.12 + 0.11 / root) * d : root * d;
	return kolmogorovSurvival(lambda);
}

/**
 * Exact p-value P(D ≥ d) of the two-sided two-sample Smirnov statistic under the null hypothesis,
 * for samples of sizes m and n, conditional on the pooled sample (so ties are handled).
 *
 * Method (Hodges 1957; R ≥ 4.2 `psmirnov(exact = TRUE)`): all C(m+n, m) orderings of the pooled
 * sample are equally likely; each is a lattice path from (0, 0) to (m, n). A path "stays below"
 * d when |i/m − j/n| < d at every point where the pooled sorted sample changes value (inside a
 * run of ties the empirical distribution functions do not jump separately). Paths are counted by
 * dynamic programming; p = 1 − (paths that stay below) / C(m+n, m).
 *
 * `pooled`: the pooled sorted values (length m + n), used only to find the ties; omit it when
 * there are no ties. Costs O(m·n) time and O(n) memory; counts are kept in doubles, exact up to
 * C(m+n, m) < 2^53 and accurate to ~1e-15 relative beyond (R uses it while m·n < 10 000).
 */
export function smirnovExactPValue(d: number, m: number, n: number, pooled?: readonly number[]): number {
	if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 1) {
		throw new Error(`smirnovExactPValue: sizes must be positive integers, got ${m}, ${n}`);
	}
	if (pooled && pooled.length !== m + n) {
		throw new Error('smirnovExactPValue: the pooled sample must have m + n values');
	}
	if (d <= 0) return 1;
	// |i/m − j/n| ≥ d  ⟺  |i·n − j·m| ≥ d·m·n; the statistic is a multiple of 1/(m·n) up to rounding.
	const threshold = d * m * n - 1e-7 * Math.max(1, d * m * n);
	const checkAt = (step: number): boolean =>
		!pooled || step === m + n || step === 0 || pooled[step - 1] !== pooled[step];
	const stays = (i: number, j: number): boolean => !checkAt(i + j) || Math.abs(i * n - j * m) < threshold;
	// u[j] = number of admissible paths reaching (i, j); advance row by row.
	const u = new Float64Array(n + 1);
	u[0] = 1;
	for (let j = 1; j <= n; j++) u[j] = stays(0, j) ? u[j - 1] : 0;
	for (let i = 1; i <= m; i++) {
		u[0] = stays(i, 0) ? u[0] : 0;
		for (let j = 1; j <= n; j++) u[j] = stays(i, j) ? u[j] + u[j - 1] : 0;
	}
	let total = 1; // C(m + n, m) as a running product, exact while it fits in 2^53
	for (let i = 1; i <= m; i++) total = (total * (n + i)) / i;
	const p = 1 - u[n] / total;
	return Math.min(1, Math.max(0, p));
}
