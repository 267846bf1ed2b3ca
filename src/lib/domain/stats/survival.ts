/**
 * Survival analysis: Kaplan–Meier estimator with Greenwood variance and confidence intervals,
 * survival at chosen times with the number at risk, median survival, and the k-group log-rank test.
 *
 * Conventions follow R's `survival` package (Therneau), so results can be compared with
 * `survfit(Surv(time, status) ~ 1, conf.type = ...)` and `survdiff(Surv(time, status) ~ group)`:
 * - ties: at a time where both events and censorings occur, the events happen first (censored
 *   subjects are still at risk at that time);
 * - Greenwood: Var(log Ŝ(t)) = Σ_{tᵢ ≤ t} dᵢ / (nᵢ (nᵢ − dᵢ));
 * - confidence intervals ("log-log" recommended, Kalbfleisch & Prentice 1980; "log", R's default;
 *   "plain"), see {@link confidenceBounds}.
 * References: Kaplan & Meier (1958); Greenwood (1926); Collett, Modelling Survival Data in Medical
 * Research, 3rd ed. (2015), §2.1–2.6; Mantel (1966) and Peto & Peto (1972) for the log-rank test.
 */
import { chiSquareSurvival, normalQuantile } from './distributions.ts';

/** How the pointwise confidence interval of Ŝ(t) is built (R `survfit` `conf.type`). */
export type ConfidenceType = 'log-log' | 'log' | 'plain';

export type KaplanMeierOptions = {
	/** Confidence level, default 0.95. */
	confLevel?: number;
	/** Default 'log-log'. */
	confType?: ConfidenceType;
};

/** One row of the Kaplan–Meier table, at a distinct observed time (event or censoring). */
export type KaplanMeierStep = {
	time: number;
	/** Subjects with time ≥ this time. */
	nRisk: number;
	nEvent: number;
	nCensor: number;
	/** Ŝ(t) just after this time. */
	survival: number;
	/** Greenwood standard error of Ŝ(t) (R `summary(fit)$std.err`); null once Ŝ reaches 0. */
	stdErr: number | null;
	/** Pointwise confidence bounds; null where the transform is undefined (see confidenceBounds). */
	lower: number | null;
	upper: number | null;
};

export type KaplanMeierResult = {
	n: number;
	nEvents: number;
	confLevel: number;
	confType: ConfidenceType;
	/** One row per distinct time, ascending, including times with only censorings. */
	steps: KaplanMeierStep[];
	/** Median survival time (R's rule, see {@link survivalQuantile}); null if Ŝ never reaches ½. */
	median: number | null;
	/** Confidence interval of the median from the pointwise bounds (Brookmeyer & Crowley 1982 as in R). */
	medianLower: number | null;
	medianUpper: number | null;
};

function checkSample(times: readonly number[], events: readonly boolean[]): void {
	if (times.length !== events.length) {
		throw new Error(`survival: ${times.length} times but ${events.length} event flags`);
	}
	for (const t of times) {
		if (!Number.isFinite(t)) throw new Error(`survival: times must be finite numbers, got ${t}`);
	}
}

/**
 * Pointwise confidence bounds of Ŝ given Greenwood's `varLog` = Var(log Ŝ) and z = Φ⁻¹(1 − α/2):
 * - "log-log" (R `conf.type = "log-log"`): CI of log(−log S) is log(−log Ŝ) ± z·√varLog / |log Ŝ|,
 *   hence lower = Ŝ^exp(−z·se/log Ŝ), upper = Ŝ^exp(z·se/log Ŝ); undefined (null) when Ŝ is 0 or 1;
 * - "log": exp(log Ŝ ± z·se), upper capped at 1; null when Ŝ = 0;
 * - "plain": Ŝ ± z·Ŝ·se, clipped to [0, 1]; null when Ŝ = 0.
 */
export function confidenceBounds(
	survival: number,
	varLog: number,
	z: number,
	type: ConfidenceType
): { lower: number | null; upper: number | null } {
	if (survival <= 0 || !Number.isFinite(varLog)) return { lower: null, upper: null };
	const se = Math.sqrt(varLog);
	if (type === 'plain') {
		return {
			lower: Math.max(0, survival - z * survival * se),
			upper: Math.min(1, survival + z * survival * se)
		};
	}
	if (type === 'log') {
		return {
			lower: Math.exp(Math.log(survival) - z * se),
			upper: Math.min(1, Math.exp(Math.log(survival) + z * se))
		};
	}
	if (survival >= 1) return { lower: null, upper: null };
	const logS = Math.log(survival);
	return {
		lower: survival ** Math.exp((-z * se) / logS),
		upper: survival ** Math.exp((z * se) / logS)
	};
}

/**
 * Kaplan–Meier estimate Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ) of the survival function.
 *
 * @param times follow-up times (e.g. years since installation): time of the event, or of the last
 *   known sign of life for censored subjects.
 * @param events true when the event was observed (departure, business closed), false when censored.
 * Assumes independent (non-informative) censoring. Empty input gives an empty table; all censored
 * gives Ŝ = 1 throughout and no median.
 */
export function kaplanMeier(
	times: readonly number[],
	events: readonly boolean[],
	options: KaplanMeierOptions = {}
): KaplanMeierResult {
	checkSample(times, events);
	const confLevel = options.confLevel ?? 0.95;
	const confType = options.confType ?? 'log-log';
	if (!(confLevel > 0 && confLevel < 1)) {
		throw new Error(`kaplanMeier: confLevel must be in (0, 1), got ${confLevel}`);
	}
	const z = normalQuantile(1 - (1 - confLevel) / 2);
	const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
	const steps: KaplanMeierStep[] = [];
	let atRisk = times.length;
	let survival = 1;
	let greenwood = 0;
	let nEvents = 0;
	for (let k = 0; k < order.length;) {
		const time = times[order[k]];
		let nEvent = 0;
		let nCensor = 0;
		while (k < order.length && times[order[k]] === time) {
			if (events[order[k]]) nEvent++;
			else nCensor++;
			k++;
		}
		if (nEvent > 0) {
			survival *= 1 - nEvent / atRisk;
			greenwood += nEvent === atRisk ? Infinity : nEvent / (atRisk * (atRisk - nEvent));
		}
		const { lower, upper } = confidenceBounds(survival, greenwood, z, confType);
		steps.push({
			time,
			nRisk: atRisk,
			nEvent,
			nCensor,
			survival,
			stdErr: Number.isFinite(greenwood) ? survival * Math.sqrt(greenwood) : null,
			lower,
			upper
		});
		nEvents += nEvent;
		atRisk -= nEvent + nCensor;
	}
	// Undefined bounds occur only at Ŝ = 0 or Ŝ = 1: the lower curve then takes Ŝ itself, the upper
	// curve stays at 1 (unknown), so an upper median limit needs a defined upper bound below ½ (R).
	const lowerCurve = steps.map((step) => step.lower ?? step.survival);
	const upperCurve = steps.map((step) => step.upper ?? 1);
	const stepTimes = steps.map((step) => step.time);
	return {
		n: times.length,
		nEvents,
		confLevel,
		confType,
		steps,
		median: survivalQuantile(
			stepTimes,
			steps.map((step) => step.survival),
			0.5
		),
		// The lower bound curve crosses ½ first: it gives the lower limit of the median.
		medianLower: survivalQuantile(stepTimes, lowerCurve, 0.5),
		medianUpper: survivalQuantile(stepTimes, upperCurve, 0.5)
	};
}

/**
 * The time at which a step survival curve first drops to `level` or below (R `quantile.survfit`
 * with probability 1 − level): the smallest tᵢ with S(tᵢ) ≤ level, except that when S equals the
 * level exactly (within 1.5e-8) on a flat stretch, the midpoint between tᵢ and the next time at
 * which the curve drops is returned, as R does. Null when the curve never reaches the level.
 */
export function survivalQuantile(
	times: readonly number[],
	curve: readonly number[],
	level: number
): number | null {
	const tolerance = 1.5e-8;
	for (let i = 0; i < curve.length; i++) {
		if (Math.abs(curve[i] - level) < tolerance) {
			for (let j = i + 1; j < curve.length; j++) {
				if (curve[j] < curve[i] - tolerance) return (times[i] + times[j]) / 2;
			}
			return times[i];
		}
		if (curve[i] < level) return times[i];
	}
	return null;
}

/** Survival, confidence bounds and risk set at one requested time. */
export type SurvivalAtTime = {
	time: number;
	/** Ŝ(time); null when time is beyond the last observed time (no information). */
	survival: number | null;
	lower: number | null;
	upper: number | null;
	stdErr: number | null;
	/** Subjects still under observation at `time` (time ≥ requested time): the risk table. */
	nRisk: number;
	/** Events observed up to and including `time`. */
	cumulativeEvents: number;
	/** Censorings up to and including `time`. */
	cumulativeCensored: number;
};

/**
 * Reads a Kaplan–Meier result at chosen times (e.g. 1, 3 and 5 years), like R's
 * `summary(fit, times = c(1, 3, 5))`: Ŝ and its bounds are those of the last step at or before
 * the time (Ŝ = 1 before the first event). Times after the largest observed time get null values
 * (R drops them) but still a risk-set count (0).
 */
export function survivalAt(km: KaplanMeierResult, at: readonly number[]): SurvivalAtTime[] {
	const lastTime = km.steps.length > 0 ? km.steps[km.steps.length - 1].time : -Infinity;
	const z = normalQuantile(1 - (1 - km.confLevel) / 2);
	return at.map((time) => {
		let current: Pick<KaplanMeierStep, 'survival' | 'stdErr' | 'lower' | 'upper'> = {
			survival: 1,
			stdErr: 0,
			...confidenceBounds(1, 0, z, km.confType)
		};
		let cumulativeEvents = 0;
		let cumulativeCensored = 0;
		let nRisk = 0;
		for (const step of km.steps) {
			if (step.time <= time) {
				current = step;
				cumulativeEvents += step.nEvent;
				cumulativeCensored += step.nCensor;
			}
			// Subjects whose time equals the requested time are still at risk at that time.
			if (step.time >= time) {
				nRisk = step.nRisk;
				break;
			}
		}
		if (time > lastTime) {
			return {
				time,
				survival: null,
				lower: null,
				upper: null,
				stdErr: null,
				nRisk: 0,
				cumulativeEvents,
				cumulativeCensored
			};
		}
		const { survival, stdErr, lower, upper } = current;
		return { time, survival, lower, upper, stdErr, nRisk, cumulativeEvents, cumulativeCensored };
	});
}

/** Per-group line of the log-rank test (R `survdiff` table). */
export type LogRankGroup<G> = {
	group: G;
	n: number;
	observed: number;
	expected: number;
	/** (O − E)² / E */
	chiSquareContribution: number;
	/** (O − E)² / V, V the group's own variance */
	varianceContribution: number;
};

export type LogRankResult<G> = {
	groups: LogRankGroup<G>[];
	statistic: number;
	/** Rank of the variance matrix: k − 1 for k groups that all have subjects at risk at event times. */
	df: number;
	pValue: number;
};

/**
 * Log-rank (Mantel–Haenszel) test that k groups share the same survival function.
 *
 * At each distinct event time t with n at risk and d events, group g with n_g at risk gets
 * E_g += d·n_g/n and the hypergeometric covariance V_gh += d (n − d)/(n − 1) · n_g/n · (δ_gh − n_h/n).
 * Statistic X² = Uᵀ V⁻ U with U = O − E and V⁻ a generalized inverse (rank k − 1), compared with a
 * chi-square on rank(V) degrees of freedom — the same as R `survdiff(Surv(time, status) ~ group)`.
 * Groups are listed in order of first appearance. No events at all gives X² = 0, df = 0, p = 1.
 */
export function logRankTest<G>(
	times: readonly number[],
	events: readonly boolean[],
	groups: readonly G[]
): LogRankResult<G> {
	checkSample(times, events);
	if (groups.length !== times.length) {
		throw new Error(`logRankTest: ${times.length} times but ${groups.length} group labels`);
	}
	const labels: G[] = [];
	const index = new Map<G, number>();
	const groupOf = groups.map((g) => {
		let i = index.get(g);
		if (i === undefined) {
			i = labels.length;
			index.set(g, i);
			labels.push(g);
		}
		return i;
	});
	const k = labels.length;
	if (k < 2) throw new Error('logRankTest: at least two groups are needed');
	const atRisk = new Array<number>(k).fill(0);
	for (const g of groupOf) atRisk[g]++;
	const sizes = [...atRisk];
	const observed = new Array<number>(k).fill(0);
	const expected = new Array<number>(k).fill(0);
	const variance = Array.from({ length: k }, () => new Array<number>(k).fill(0));
	const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
	for (let p = 0; p < order.length;) {
		const time = times[order[p]];
		const deaths = new Array<number>(k).fill(0);
		const leaving = new Array<number>(k).fill(0);
		while (p < order.length && times[order[p]] === time) {
			const i = order[p];
			if (events[i]) deaths[groupOf[i]]++;
			leaving[groupOf[i]]++;
			p++;
		}
		const d = deaths.reduce((a, b) => a + b, 0);
		const n = atRisk.reduce((a, b) => a + b, 0);
		if (d > 0) {
			const factor = n > 1 ? (d * (n - d)) / (n - 1) : 0;
			for (let g = 0; g < k; g++) {
				observed[g] += deaths[g];
				expected[g] += (d * atRisk[g]) / n;
				for (let h = 0; h < k; h++) {
					const share = atRisk[g] / n;
					variance[g][h] += factor * share * ((g === h ? 1 : 0) - atRisk[h] / n);
				}
			}
		}
		for (let g = 0; g < k; g++) atRisk[g] -= leaving[g];
	}
	const u = observed.map((o, g) => o - expected[g]);
	const { value: statistic, rank: df } = quadraticFormPseudoInverse(variance, u);
	return {
		groups: labels.map((group, g) => ({
			group,
			n: sizes[g],
			observed: observed[g],
			expected: expected[g],
			chiSquareContribution: expected[g] > 0 ? u[g] ** 2 / expected[g] : 0,
			varianceContribution: variance[g][g] > 0 ? u[g] ** 2 / variance[g][g] : 0
		})),
		statistic,
		df,
		pValue: df > 0 ? chiSquareSurvival(statistic, df) : 1
	};
}

/**
 * uᵀ A⁻ u for a symmetric positive semi-definite A, by symmetric Gaussian elimination with
 * diagonal pivoting (pivots below 1e-10 × the largest diagonal are treated as zero); also returns
 * the numerical rank. Equivalent to R's use of a generalized inverse (`survival:::survdiff.fit`).
 */
export function quadraticFormPseudoInverse(
	matrix: readonly (readonly number[])[],
	vector: readonly number[]
): { value: number; rank: number } {
	const k = vector.length;
	const a = matrix.map((row) => [...row]);
	const u = [...vector];
	const used = new Array<boolean>(k).fill(false);
	const tolerance = 1e-10 * Math.max(0, ...a.map((row, i) => row[i]));
	let value = 0;
	let rank = 0;
	for (;;) {
		let pivot = -1;
		for (let i = 0; i < k; i++) {
			if (!used[i] && (pivot < 0 || a[i][i] > a[pivot][pivot])) pivot = i;
		}
		if (pivot < 0 || !(a[pivot][pivot] > tolerance)) break;
		used[pivot] = true;
		rank++;
		const diagonal = a[pivot][pivot];
		value += (u[pivot] * u[pivot]) / diagonal;
		for (let j = 0; j < k; j++) {
			if (used[j]) continue;
			const factor = a[j][pivot] / diagonal;
			u[j] -= factor * u[pivot];
			for (let l = 0; l < k; l++) if (!used[l]) a[j][l] -= factor * a[pivot][l];
		}
	}
	return { value, rank };
}

/**
 * Kaplan–Meier curves per group (cohort year, status…), groups in order of first appearance.
 * Pair it with {@link logRankTest} on the same arrays to compare the curves.
 */
export function kaplanMeierByGroup<G>(
	times: readonly number[],
	events: readonly boolean[],
	groups: readonly G[],
	options: KaplanMeierOptions = {}
): { group: G; km: KaplanMeierResult }[] {
	checkSample(times, events);
	if (groups.length !== times.length) {
		throw new Error(`kaplanMeierByGroup: ${times.length} times but ${groups.length} group labels`);
	}
	const members = new Map<G, number[]>();
	groups.forEach((group, i) => {
		const list = members.get(group);
		if (list) list.push(i);
		else members.set(group, [i]);
	});
	return [...members].map(([group, indices]) => ({
		group,
		km: kaplanMeier(
			indices.map((i) => times[i]),
			indices.map((i) => events[i]),
			options
		)
	}));
}

const MS_PER_DAY = 86_400_000;

function toMillis(value: string | Date, name: string): number {
	const ms = value instanceof Date ? value.getTime() : Date.parse(value);
	if (Number.isNaN(ms)) throw new Error(`survivalObservation: ${name} is not a valid date`);
	return ms;
}

/**
 * Turns dates into one survival observation: the time from `start` (installation, business
 * creation) to the event date when the event occurred (left the territory, business closed),
 * otherwise to `lastSeen`, the last known sign of life (right-censored). Times are in days or in
 * years of 365.25 days. Dates are ISO strings (a bare 'YYYY-MM-DD' is read as UTC midnight) or Dates.
 * Throws when the end precedes the start.
 */
export function survivalObservation(
	input: { start: string | Date; event: string | Date | null; lastSeen: string | Date },
	unit: 'years' | 'days' = 'years'
): { time: number; event: boolean } {
	const start = toMillis(input.start, 'start');
	const end = input.event === null ? toMillis(input.lastSeen, 'lastSeen') : toMillis(input.event, 'event');
	if (end < start) throw new Error('survivalObservation: the end date precedes the start date');
	const days = (end - start) / MS_PER_DAY;
	return { time: unit === 'days' ? days : days / 365.25, event: input.event !== null };
}
