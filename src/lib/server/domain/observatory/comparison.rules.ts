import {
	discloseProportion,
	hideSmallDifferences,
	isHidden,
	isSelectionTooSmall,
	statisticOf
} from './disclosure.rules.ts';
import { proportion } from '../../../domain/stats/descriptive.ts';
import {
	computeDurability,
	residenceCurve,
	type DurabilityCase,
	type SurvivalCurve
} from './durability.rules.ts';
import { computeFunnel, summariseDurations, type DurationSummary } from './flows.rules.ts';
import {
	DAY_MS,
	inPeriod,
	installationDate,
	isInstallation,
	yearOfDate,
	type ObservatoryPeriod
} from './observatory.rules.ts';
import type { ObservatoryCase } from './observatory.types.ts';
import { discloseCurve } from './section-disclosure.rules.ts';
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
 * What the indicators of one programme rest on, before any small-cell rule: the counts of the
 * funnel's two ends, the durations from contact to installation and the durability analysis of
 * the households installed in the period (its residence curve gives the retention).
 */
export type ComparisonMeasures = {
	/** Households of the programme, every year (a programme with fewer than k is withheld whole). */
	caseCount: number;
	/** Households whose first contact falls in the period. */
	applications: number;
	/** Those of them who were installed. */
	installations: number;
	contactToInstallation: DurationSummary;
	/** The durability page's "still living in the territory" curve of the households installed in the period. */
	residence: SurvivalCurve;
};

/**
 * What the comparison reads of one programme (comparison.repository.ts reads it in SQL for every
 * opted-in programme at once): the households per UTC year of first contact and only the
 * households with an installation date, each with the fields the durations and the residence
 * curve read (contact, installation day or entry, departure, last sign of life).
 */
export type ComparisonInputs = {
	caseCount: number;
	contactsByYear: ReadonlyMap<number, number>;
	installed: readonly ComparisonInstalledCase[];
};

/** What the comparison reads of a household with an installation date. */
export type ComparisonInstalledCase = Pick<
	ObservatoryCase,
	'id' | 'contactAt' | 'stageEntries' | 'installedOn' | 'leftOn' | 'lastSignOfLifeAt'
>;

/** The comparison reads the residence curve alone: no business curve, no groups by status. */
const asDurabilityCase = (kase: ComparisonInstalledCase): DurabilityCase => ({
	// Written out rather than spread: a spread costs ten times more here (100,000 households).
	id: kase.id,
	stageEntries: kase.stageEntries,
	installedOn: kase.installedOn,
	leftOn: kase.leftOn,
	lastSignOfLifeAt: kase.lastSignOfLifeAt,
	businessCreatedOn: null,
	businessClosedOn: null,
	candidate: null
});

/** The inputs of `cases` (every case of a programme, as the observatory loads them). */
export function comparisonInputsOf(cases: readonly ObservatoryCase[]): ComparisonInputs {
	const contactsByYear = new Map<number, number>();
	for (const kase of cases) {
		const year = yearOfDate(kase.contactAt);
		contactsByYear.set(year, (contactsByYear.get(year) ?? 0) + 1);
	}
	const installed = cases
		.filter(isInstallation)
		.map(
			({ id, contactAt, stageEntries, installedOn, leftOn, lastSignOfLifeAt }): ComparisonInstalledCase => ({
				id,
				contactAt,
				stageEntries: stageEntries.installed
					? { installed: stageEntries.installed }
					: ({} as Record<string, Date>),
				installedOn,
				leftOn,
				lastSignOfLifeAt
			})
		);
	return { caseCount: cases.length, contactsByYear, installed };
}

/**
 * The measures by the observatory's own definitions: the funnel of the period's contacts
 * (`stages`: the pipeline's stages from the first up to 'installed') and the durability page.
 * The reference `measuresOfInputs` is tested against.
 */
export function measuresOfCases({
	cases,
	stages,
	period,
	now
}: {
	cases: readonly ObservatoryCase[];
	stages: readonly string[];
	period: ObservatoryPeriod;
	now: Date;
}): ComparisonMeasures {
	const funnel = computeFunnel({ cases, stages, period });
	const contactToInstallation = funnel.durations.find((d) => d.from === 'contact' && d.to === 'installed');
	return {
		caseCount: cases.length,
		applications: funnel.steps[0]?.count ?? 0,
		installations: funnel.steps[funnel.steps.length - 1]?.count ?? 0,
		contactToInstallation: contactToInstallation?.summary ?? summariseDurations([]),
		residence: computeDurability({ cases, period, now }).residence.overall
	};
}

/**
 * The same measures from the comparison's inputs alone: the funnel's first step is every contact
 * of the period and its last those with an installation date (a stage skipped on the way counts
 * as reached), the durations are whole UTC days from contact to installation, and the durability
 * curve reads only installed households. Equal to `measuresOfCases` (comparison.rules.test.ts).
 */
export function measuresOfInputs({
	inputs,
	period,
	now
}: {
	inputs: ComparisonInputs;
	period: ObservatoryPeriod;
	now: Date;
}): ComparisonMeasures {
	let applications = 0;
	for (const [year, count] of inputs.contactsByYear) if (inPeriod(year, period)) applications += count;
	const days: number[] = [];
	let installations = 0;
	for (const kase of inputs.installed) {
		if (!inPeriod(yearOfDate(kase.contactAt), period)) continue;
		installations++;
		const start = Math.floor(kase.contactAt.getTime() / DAY_MS);
		const end = Math.floor(installationDate(kase)!.getTime() / DAY_MS);
		if (end >= start) days.push(end - start);
	}
	return {
		caseCount: inputs.caseCount,
		applications,
		installations,
		contactToInstallation: summariseDurations(days),
		residence: residenceCurve({ cases: inputs.installed.map(asDurabilityCase), period, now })
	};
}

/**
 * Every indicator of one programme for the period, with the programme's small-cell rules applied,
 * from its measures (`measuresOfInputs`, or `measuresOfCases` on the observatory's cases).
 */
export function computeProgrammeComparison({
	measures,
	period,
	budgets,
	minCellSize: k
}: {
	measures: ComparisonMeasures;
	period: ObservatoryPeriod;
	budgets: readonly ComparisonBudget[];
	minCellSize: number;
}): ProgrammeComparison {
	const years = periodYears(period);
	const periodBudgets = budgets.filter((b) => inPeriod(b.year, period));
	const budgetYears = periodBudgets.map((b) => b.year).sort((a, b) => a - b);
	const missingBudgetYears = years.filter((year) => !budgetYears.includes(year));
	const base = { minCellSize: k, budgetYears, missingBudgetYears };
	if (isSelectionTooSmall(measures.caseCount, k)) {
		const figures = Object.fromEntries(COMPARISON_INDICATORS.map((key) => [key, withheld])) as Record<
			ComparisonIndicator,
			ComparisonFigure
		>;
		return { ...base, isWithheld: true, figures };
	}

	const [applications, installations] = hideSmallDifferences(
		[measures.applications, measures.installations],
		k
	);
	const countFigure = (count: number): ComparisonFigure => (isNumber(count) ? shown(count, count) : withheld);

	const rate = discloseProportion(proportion(measures.installations, measures.applications), k);
	const conversion: ComparisonFigure =
		rate.total === 0
			? absent('not_observable')
			: isNumber(rate.proportion) && isNumber(installations)
				? shown(rate.proportion, rate.total, rate)
				: withheld;

	const duration = measures.contactToInstallation;
	const median = statisticOf(duration.medianDays, duration.n, k);
	const timeToInstallation: ComparisonFigure =
		duration.n === 0
			? absent('not_observable')
			: isNumber(median)
				? { ...shown(median, duration.n), lower: duration.p25Days, upper: duration.p75Days }
				: withheld;

	const raw = measures.residence;
	const curve = discloseCurve(raw, k);
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
