import type { ImpactAssumptionValues } from '../../db/schema/index.ts';
import type { ObservatoryCase } from './observatory.types.ts';
import {
	dayToDate,
	inPeriod,
	installationDate,
	yearOfDate,
	type ObservatoryPeriod
} from './observatory.rules.ts';

/** The assumptions of the calculator, in the order of the page; each has its own source. */
export const IMPACT_ASSUMPTION_KEYS = [
	'incomeBands',
	'localSpendingPercent',
	'localMultiplier',
	'jobsPerBusiness',
	'jobsPerHousehold'
] as const;
export type ImpactAssumptionKey = (typeof IMPACT_ASSUMPTION_KEYS)[number];

/** At most this many income bands. */
export const MAX_INCOME_BANDS = 8;

/**
 * ILLUSTRATIVE defaults, used while a programme has not entered its own: round figures of the
 * right order of magnitude for rural France, not measurements. The page says so, and each default's
 * source text (messages `observatory_impact_default_source_<key>`) explains where an admin finds
 * the real figure (INSEE Filosofi for incomes, a local-multiplier study such as the LM3 method).
 */
export const DEFAULT_IMPACT_ASSUMPTIONS: ImpactAssumptionValues = {
	incomeBands: [
		{ label: '< 20 000 €', sharePercent: 25, annualIncome: 15_000 },
		{ label: '20 000 – 35 000 €', sharePercent: 40, annualIncome: 27_500 },
		{ label: '35 000 – 50 000 €', sharePercent: 25, annualIncome: 42_500 },
		{ label: '≥ 50 000 €', sharePercent: 10, annualIncome: 60_000 }
	],
	localSpendingPercent: 40,
	localMultiplier: 1.3,
	jobsPerBusiness: 1,
	jobsPerHousehold: 0.1,
	sources: {}
};

/** Figures of one cohort (or of all), at the reference date. */
export type ImpactFigures = {
	/** Households of the cohort installed and not known to have left by the reference date. */
	households: number;
	/** Persons of those households. */
	persons: number;
	/** Businesses of those households created by the reference date and not closed by then. */
	activeBusinesses: number;
	/** households × mean household income (€ per year). */
	annualIncome: number;
	/** annualIncome × local spending share (€ per year). */
	localSpending: number;
	/** localSpending × local multiplier (€ per year). */
	localActivity: number;
	/** activeBusinesses × jobs per business. */
	jobsFromBusinesses: number;
	/** households × jobs per household. */
	jobsFromHouseholds: number;
	jobs: number;
};

export type ImpactCohort = ImpactFigures & { cohort: number };

export type ImpactResult = {
	/** The day the households and businesses are counted: the end of the period, or today if earlier. */
	referenceDate: string;
	/** Σ share × income of the bands (€ per household per year). */
	meanHouseholdIncome: number;
	/** One line per year of installation of the period with at least one installation. */
	cohorts: ImpactCohort[];
	total: ImpactFigures;
};

const cents = (value: number) => Math.round(value * 100) / 100;

/** Mean annual income of a household: the bands' incomes weighted by their shares. */
export function meanHouseholdIncome(assumptions: Pick<ImpactAssumptionValues, 'incomeBands'>): number {
	return cents(
		assumptions.incomeBands.reduce((sum, band) => sum + (band.sharePercent / 100) * band.annualIncome, 0)
	);
}

/** The formula applied to counts of households, persons and businesses. */
export function impactFigures(
	counts: { households: number; persons: number; activeBusinesses: number },
	assumptions: ImpactAssumptionValues
): ImpactFigures {
	const income = meanHouseholdIncome(assumptions);
	const annualIncome = counts.households * income;
	const localSpending = annualIncome * (assumptions.localSpendingPercent / 100);
	const localActivity = localSpending * assumptions.localMultiplier;
	const jobsFromBusinesses = counts.activeBusinesses * assumptions.jobsPerBusiness;
	const jobsFromHouseholds = counts.households * assumptions.jobsPerHousehold;
	return {
		...counts,
		annualIncome: cents(annualIncome),
		localSpending: cents(localSpending),
		localActivity: cents(localActivity),
		jobsFromBusinesses: cents(jobsFromBusinesses),
		jobsFromHouseholds: cents(jobsFromHouseholds),
		jobs: cents(jobsFromBusinesses + jobsFromHouseholds)
	};
}

/** The last day of the period, or today when the period runs into the future. */
export function impactReferenceDate(period: ObservatoryPeriod, now: Date): Date {
	const end = dayToDate(`${period.to}-12-31`);
	const today = dayToDate(now.toISOString().slice(0, 10));
	return end.getTime() < today.getTime() ? end : today;
}

/**
 * The economic footprint of the households the programme installed during the period, per
 * cohort (year of installation) and in total, at the reference date:
 *   income = households × Σ(share × income of the band)
 *   local spending = income × local share
 *   local activity = local spending × local multiplier
 *   jobs = active businesses × jobs per business + households × jobs per household
 * These are estimates from the assumptions, not measurements: the page shows the formula and the
 * source of each assumption next to the result.
 */
export function computeImpact({
	cases,
	period,
	now,
	assumptions
}: {
	cases: readonly ObservatoryCase[];
	period: ObservatoryPeriod;
	now: Date;
	assumptions: ImpactAssumptionValues;
}): ImpactResult {
	const reference = impactReferenceDate(period, now);
	const isAfter = (day: string | null) => day === null || dayToDate(day).getTime() > reference.getTime();
	const byCohort = new Map<number, { households: number; persons: number; activeBusinesses: number }>();
	for (const kase of cases) {
		const installed = installationDate(kase);
		if (!installed || installed.getTime() > reference.getTime()) continue;
		const cohort = yearOfDate(installed);
		if (!inPeriod(cohort, period)) continue;
		const counts = byCohort.get(cohort) ?? { households: 0, persons: 0, activeBusinesses: 0 };
		byCohort.set(cohort, counts);
		if (!isAfter(kase.leftOn)) continue;
		counts.households += 1;
		counts.persons += kase.householdSize;
		if (kase.businessCreatedOn && !isAfter(kase.businessCreatedOn) && isAfter(kase.businessClosedOn))
			counts.activeBusinesses += 1;
	}
	const cohorts = [...byCohort.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([cohort, counts]) => ({ cohort, ...impactFigures(counts, assumptions) }));
	const totalCounts = { households: 0, persons: 0, activeBusinesses: 0 };
	for (const line of cohorts) {
		totalCounts.households += line.households;
		totalCounts.persons += line.persons;
		totalCounts.activeBusinesses += line.activeBusinesses;
	}
	return {
		referenceDate: reference.toISOString().slice(0, 10),
		meanHouseholdIncome: meanHouseholdIncome(assumptions),
		cohorts,
		total: impactFigures(totalCounts, assumptions)
	};
}

/**
 * Which assumptions differ from the defaults: each of those needs a source of its own (a default's
 * source says it is illustrative, which would no longer be true).
 */
export function changedAssumptions(values: ImpactAssumptionValues): ImpactAssumptionKey[] {
	const defaults = DEFAULT_IMPACT_ASSUMPTIONS;
	return IMPACT_ASSUMPTION_KEYS.filter((key) =>
		key === 'incomeBands'
			? JSON.stringify(values.incomeBands) !== JSON.stringify(defaults.incomeBands)
			: values[key] !== defaults[key]
	);
}
