import {
	discloseProportion,
	hideSmallDifferences,
	isHidden,
	isSelectionTooSmall,
	statisticOf
} from './disclosure.rules.ts';
import { computeDurability } from './durability.rules.ts';
import { computeFunnel } from './flows.rules.ts';
import { inPeriod, type ObservatoryPeriod } from './observatory.rules.ts';
import type { ObservatoryCase } from './observatory.types.ts';
import { discloseDurability } from './section-disclosure.rules.ts';
import { certaintyOf, type CertaintyLevel } from './summary.rules.ts';

/*
 * The comparison of programmes (pure): the same indicators for every programme that opted in,
 * each defined once, here, on the definitions the observatory's sections already use:
 *
 * - applications: households whose first contact falls in the period (the funnel's first step);
 * - installations: those of them who were installed (the funnel's last step);
 * - conversion: installations / applications, with its Wilson 95 % interval (the funnel's rate);
 * - time to installation: median days from first contact to installation of those installed,
 *   with the quartiles (the funnel's duration contact → installed);
 * - retention at 12 and 36 months: the durability page's Kaplan–Meier curve of the households
 *   installed in the period ("still living in the territory"), read at 1 and 3 years with its
 *   log-log 95 % interval; "not yet observable" when nobody was followed that long;
 * - cost per installation: the budgets entered for the period's years divided by the
 *   installations; absent when no budget is entered for any of those years.
 *
 * Small cells: every programme's figures go through the observatory's disclosure rules with that
 * programme's own k (programme settings), whoever reads them, its own staff included: a figure
 * resting on fewer than k households is withheld, never shown as a number (disclosure.rules.ts:
 * applications and installations as nested counts, `hideSmallDifferences`, so the households not
 * installed are not told by subtraction either; the conversion by `discloseProportion` (successes
 * and failures ≥ k); the median by `statisticOf`; retention by `discloseDurability`, survival
 * where fewer than k remain at risk). Only the funnel's two ends are shown here, so the
 * differences are those between them, not between the funnel page's intermediate steps. A
 * programme with fewer than k households in all is withheld whole.
 */

export const COMPARISON_INDICATORS = [
	'applications',
	'installations',
	'conversion',
	'time_to_installation',
	'retention_12',
	'retention_36',
	'cost_per_installation'
] as const;
export type ComparisonIndicator = (typeof COMPARISON_INDICATORS)[number];

/** Retention is read off the durability curve at these times (years). */
export const RETENTION_YEARS: Record<'retention_12' | 'retention_36', number> = {
	retention_12: 1,
	retention_36: 3
};

/**
 * - shown: a number;
 * - withheld: it would rest on fewer than k households;
 * - not_observable: nobody was followed long enough (retention) or nobody to measure (no
 *   application, no installation);
 * - no_budget: no budget entered for any year of the period (cost per installation).
 */
export type ComparisonState = 'shown' | 'withheld' | 'not_observable' | 'no_budget';

/**
 * One indicator of one programme. `value` is a count, a share (0–1), days or euro cents;
 * `lower`/`upper` its 95 % interval (shares) or its quartiles (days); `households` what it rests
 * on. Every number is null unless the state is 'shown'.
 */
export type ComparisonFigure = {
	state: ComparisonState;
	value: number | null;
	lower: number | null;
	upper: number | null;
	households: number | null;
	/** "How sure", as on the observatory's summary (by households and interval width). */
	certainty: CertaintyLevel | null;
};

export type ComparisonBudget = { year: number; amountCents: number };

export type ProgrammeComparison = {
	/** The programme's minimum cell size k, the rule its figures were disclosed with. */
	minCellSize: number;
	/** The programme has fewer than k households: every figure is withheld. */
	isWithheld: boolean;
	/** Years of the period with a budget entered, and without. */
	budgetYears: number[];
	missingBudgetYears: number[];
	figures: Record<ComparisonIndicator, ComparisonFigure>;
};

const withheld: ComparisonFigure = {
	state: 'withheld',
	value: null,
	lower: null,
	upper: null,
	households: null,
	certainty: null
};
const absent = (state: 'not_observable' | 'no_budget'): ComparisonFigure => ({ ...withheld, state });
const shown = (
	value: number,
	households: number,
	bounds: { lower: number | null; upper: number | null } | null = null
): ComparisonFigure => ({
	state: 'shown',
	value,
	lower: bounds?.lower ?? null,
	upper: bounds?.upper ?? null,
	households,
	certainty: certaintyOf(households, bounds).level
});
const isNumber = (value: number | null | undefined): value is number =>
	typeof value === 'number' && !isHidden(value);

/** The years of a period, in order. */
export const periodYears = (period: ObservatoryPeriod): number[] =>
	Array.from({ length: period.to - period.from + 1 }, (_, i) => period.from + i);

/**
 * Every indicator of one programme for the period, with the programme's small-cell rules applied.
 * `stages` are the programme's pipeline stages from the first up to 'installed' (the funnel's).
 */
export function computeProgrammeComparison({
	cases,
	stages,
	period,
	now,
	budgets,
	minCellSize: k
}: {
	cases: readonly ObservatoryCase[];
	stages: readonly string[];
	period: ObservatoryPeriod;
	now: Date;
	budgets: readonly ComparisonBudget[];
	minCellSize: number;
}): ProgrammeComparison {
	const years = periodYears(period);
	const periodBudgets = budgets.filter((b) => inPeriod(b.year, period));
	const budgetYears = periodBudgets.map((b) => b.year).sort((a, b) => a - b);
	const missingBudgetYears = years.filter((year) => !budgetYears.includes(year));
	const base = { minCellSize: k, budgetYears, missingBudgetYears };
	if (isSelectionTooSmall(cases.length, k)) {
		const figures = Object.fromEntries(COMPARISON_INDICATORS.map((key) => [key, withheld])) as Record<
			ComparisonIndicator,
			ComparisonFigure
		>;
		return { ...base, isWithheld: true, figures };
	}

	const funnel = computeFunnel({ cases, stages, period });
	const last = funnel.steps[funnel.steps.length - 1];
	const [applications, installations] = hideSmallDifferences(
		[funnel.steps[0]?.count ?? 0, last?.count ?? 0],
		k
	);
	const countFigure = (count: number): ComparisonFigure => (isNumber(count) ? shown(count, count) : withheld);

	const rate = last ? discloseProportion(last.fromContact, k) : null;
	const conversion: ComparisonFigure =
		!rate || rate.total === 0
			? absent('not_observable')
			: isNumber(rate.proportion) && isNumber(installations)
				? shown(rate.proportion, rate.total, rate)
				: withheld;

	const duration = funnel.durations.find((d) => d.from === 'contact' && d.to === 'installed')?.summary;
	const median = duration ? statisticOf(duration.medianDays, duration.n, k) : null;
	const timeToInstallation: ComparisonFigure =
		!duration || duration.n === 0
			? absent('not_observable')
			: isNumber(median)
				? { ...shown(median, duration.n), lower: duration.p25Days, upper: duration.p75Days }
				: withheld;

	const durability = computeDurability({ cases, period, now });
	const raw = durability.residence.overall;
	const curve = discloseDurability(durability, k).residence.overall;
	const retention = (years: number): ComparisonFigure => {
		const at = curve.rates.find((r) => r.years === years);
		// Nobody installed, or nobody followed that long: not a small cell, nothing to measure yet.
		if (!at || raw.n === 0 || raw.rates.find((r) => r.years === years)?.survival == null)
			return absent('not_observable');
		if (isHidden(curve.n) || !isNumber(at.survival)) return withheld;
		return shown(at.survival, curve.n, at);
	};

	const budgetCents = periodBudgets.reduce((sum, b) => sum + b.amountCents, 0);
	const cost: ComparisonFigure =
		periodBudgets.length === 0
			? absent('no_budget')
			: !isNumber(installations)
				? withheld
				: installations === 0
					? absent('not_observable')
					: shown(Math.round(budgetCents / installations), installations);

	return {
		...base,
		isWithheld: false,
		figures: {
			applications: countFigure(applications),
			installations: countFigure(installations),
			conversion,
			time_to_installation: timeToInstallation,
			retention_12: retention(RETENTION_YEARS.retention_12),
			retention_36: retention(RETENTION_YEARS.retention_36),
			cost_per_installation: cost
		}
	};
}
