import {
	kaplanMeier,
	kaplanMeierByGroup,
	logRankTest,
	survivalAt,
	type ConfidenceType,
	type KaplanMeierResult
} from '../../../domain/stats/survival.ts';
import { PERSON_STATUSES } from '../../db/schema/index.ts';
import type { ObservatoryCase } from './observatory.types.ts';

/** What the durability analyses read of a household (the comparison passes only these). */
export type DurabilityCase = Pick<
	ObservatoryCase,
	| 'id'
	| 'stageEntries'
	| 'installedOn'
	| 'leftOn'
	| 'lastSignOfLifeAt'
	| 'businessCreatedOn'
	| 'businessClosedOn'
	| 'candidate'
>;
import { inPeriod, yearOfDay, type ObservatoryPeriod } from './observatory.rules.ts';

/**
 * Durability: how long installed households stay in the territory, and how long the businesses
 * they create stay active, as Kaplan–Meier curves (src/lib/domain/stats/survival.ts).
 *
 * Conventions, stated on the page and in the definitions:
 * - time in years of 365.25 days, counted in whole calendar days (UTC) from the start date;
 * - 95 % pointwise confidence intervals on the log(−log) scale ("log-log", Kalbfleisch & Prentice),
 *   which stay inside [0, 1]; R: `survfit(..., conf.type = "log-log")`;
 * - censoring at the last date the household is known to be there: see {@link residenceObservation}.
 */
export const DURABILITY_CONF_TYPE: ConfidenceType = 'log-log';
export const DURABILITY_CONF_LEVEL = 0.95;
/** The rates read off the curves, in years since the start. */
export const DURABILITY_YEARS = [1, 3, 5] as const;
/** Groups (cohorts, statuses) smaller than this are pooled with others before comparing curves. */
export const MIN_GROUP_SIZE = 5;
/** At most this many cohort groups on a chart: longer histories are grouped in periods of years. */
export const MAX_COHORT_GROUPS = 6;
/** The threshold of the log-rank test's verdict. */
export const DURABILITY_ALPHA = 0.05;
export const DAYS_PER_YEAR = 365.25;

/** How an observation ends: the event, a sign of life (censored), or the start itself (no follow-up). */
export type ObservationEnd = 'event' | 'sign_of_life' | 'start';

/** One household (or business) on a survival curve. */
export type DurabilityObservation = {
	caseId: string;
	/** Start day (installation, business creation), YYYY-MM-DD. */
	start: string;
	/** Day of the event or of censoring. */
	end: string;
	/** Years from start to end (whole days / 365.25). */
	time: number;
	event: boolean;
	endsAt: ObservationEnd;
	/** Year of the start: the cohort. */
	cohort: number;
	status: string | null;
};

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
/** Days since 1970-01-01 of a YYYY-MM-DD day, without parsing a Date (100,000 cases per page). */
const dayNumber = (day: string): number =>
	Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
const wholeDays = (start: string, end: string): number => dayNumber(end) - dayNumber(start);
const dayString = (days: number): string => isoDay(new Date(days * 86_400_000));

/**
 * Shared rule of both curves. The event counts when its day is known and not after today; otherwise
 * the observation is censored at the last day the household is known to be there: its last sign
 * of life (survey answer, event attendance, advisor's note), capped at today, or — without a sign
 * of life after the start — the start day itself (time 0: it adds to the households followed but
 * to nobody's time at risk). Never at "now" without a sign of life that recent.
 * Returns null without a start (not installed, no business) or when the start is after today;
 * 'inconsistent' when the event precedes the start (a data error, counted apart).
 */
function observation(
	kase: DurabilityCase,
	startDay: string | null,
	eventDay: string | null,
	now: Date | string
): DurabilityObservation | 'inconsistent' | null {
	if (!startDay) return null;
	const today = typeof now === 'string' ? now : isoDay(now);
	if (startDay > today) return null;
	const status = kase.candidate?.status ?? null;
	const cohort = yearOfDay(startDay);
	if (eventDay && eventDay <= today) {
		if (eventDay < startDay) return 'inconsistent';
		const time = wholeDays(startDay, eventDay) / DAYS_PER_YEAR;
		return {
			caseId: kase.id,
			start: startDay,
			end: eventDay,
			time,
			event: true,
			endsAt: 'event',
			cohort,
			status
		};
	}
	// Day numbers rather than ISO strings: this runs for every installed household.
	const start = dayNumber(startDay);
	const seen = kase.lastSignOfLifeAt ? Math.floor(kase.lastSignOfLifeAt.getTime() / 86_400_000) : null;
	const lastSeen = seen === null ? null : Math.min(seen, dayNumber(today));
	const isSeen = lastSeen !== null && lastSeen > start;
	return {
		caseId: kase.id,
		start: startDay,
		end: isSeen ? dayString(lastSeen) : startDay,
		time: isSeen ? (lastSeen - start) / DAYS_PER_YEAR : 0,
		event: false,
		endsAt: isSeen ? 'sign_of_life' : 'start',
		cohort,
		status
	};
}

/** "Still living in the territory": from the installation day to the departure (event) or the last sign of life. */
export function residenceObservation(
	kase: DurabilityCase,
	now: Date | string
): DurabilityObservation | 'inconsistent' | null {
	const installed =
		kase.installedOn ?? (kase.stageEntries.installed ? isoDay(kase.stageEntries.installed) : null);
	return observation(kase, installed, kase.leftOn, now);
}

/** "Business still active": from the creation day to the closure (event) or the household's last sign of life. */
export function businessObservation(
	kase: DurabilityCase,
	now: Date | string
): DurabilityObservation | 'inconsistent' | null {
	return observation(kase, kase.businessCreatedOn, kase.businessClosedOn, now);
}

/** A point of a curve (JSON-safe: bounds are null where undefined). */
export type CurveStep = {
	time: number;
	nRisk: number;
	nEvent: number;
	nCensor: number;
	survival: number;
	stdErr: number | null;
	lower: number | null;
	upper: number | null;
};

/** Ŝ at 1, 3 and 5 years: null (with the reason) when nobody was followed that long. */
export type SurvivalRate = {
	years: number;
	survival: number | null;
	lower: number | null;
	upper: number | null;
	/** Households still followed (at risk) at that time. */
	nRisk: number;
	/** Events up to that time. */
	events: number;
};

export type SurvivalCurve = {
	n: number;
	events: number;
	censored: number;
	/** Censored at the start: no sign of life after it (followed 0 days). */
	withoutFollowUp: number;
	/** Longest observed time, in years; null when empty. */
	maxTime: number | null;
	steps: CurveStep[];
	rates: SurvivalRate[];
	/** Ŝ at each whole year of follow-up (1, 2… up to the longest time): the table of long curves. */
	yearly: SurvivalRate[];
	/** Median time in years, with its 95 % interval; null when the curve (or bound) never reaches ½. */
	median: number | null;
	medianLower: number | null;
	medianUpper: number | null;
	/** 'empty': nobody; 'no_events': everyone censored (Ŝ stays 1); null otherwise. */
	note: 'empty' | 'no_events' | null;
};

function curveOf(km: KaplanMeierResult, observations: readonly DurabilityObservation[]): SurvivalCurve {
	const rateAt = (times: readonly number[]): SurvivalRate[] =>
		survivalAt(km, times).map((at) => ({
			years: at.time,
			survival: at.survival,
			lower: at.lower,
			upper: at.upper,
			nRisk: at.nRisk,
			events: at.cumulativeEvents
		}));
	const rates = rateAt(DURABILITY_YEARS);
	const maxTime = km.steps.length ? km.steps[km.steps.length - 1].time : null;
	const yearly = rateAt(Array.from({ length: Math.floor(maxTime ?? 0) }, (_, i) => i + 1));
	return {
		n: km.n,
		events: km.nEvents,
		censored: km.n - km.nEvents,
		withoutFollowUp: observations.filter((o) => o.endsAt === 'start').length,
		maxTime,
		steps: km.steps,
		rates,
		yearly,
		median: km.median,
		medianLower: km.medianLower,
		medianUpper: km.medianUpper,
		note: km.n === 0 ? 'empty' : km.nEvents === 0 ? 'no_events' : null
	};
}

const kmOptions = { confType: DURABILITY_CONF_TYPE, confLevel: DURABILITY_CONF_LEVEL };

/** The Kaplan–Meier curve of a set of observations, with the 1-, 3- and 5-year rates and the median. */
export function survivalCurve(observations: readonly DurabilityObservation[]): SurvivalCurve {
	const km = kaplanMeier(
		observations.map((o) => o.time),
		observations.map((o) => o.event),
		kmOptions
	);
	return curveOf(km, observations);
}

/** Keys of the groups compared: a cohort ('2021' or pooled '2019–2020'), a status, 'unknown' or 'pooled'. */
export type DurabilityGroup = {
	key: string;
	/** Cohorts: first and last year pooled in the group. */
	fromYear?: number;
	toYear?: number;
	curve: SurvivalCurve;
};

export type LogRankSummary = {
	chiSquare: number;
	df: number;
	pValue: number;
	/** p < 0.05: the curves differ more than chance would explain. */
	significant: boolean;
	groups: { key: string; n: number; observed: number; expected: number }[];
};

export type GroupComparison = {
	groups: DurabilityGroup[];
	/** True when small groups were pooled (cohorts with neighbours, statuses into 'pooled'). */
	pooled: boolean;
	test: LogRankSummary | null;
	/** Why there is no test: fewer than two groups, or no event at all. */
	testNote: 'single_group' | 'no_events' | null;
};

/**
 * Cohort groups: single years when the observations span at most MAX_COHORT_GROUPS years, else
 * periods of 2, 3… years (from the first year) so that there are at most that many; then each
 * group smaller than MIN_GROUP_SIZE is pooled with the following ones (a small last group joins
 * the one before).
 */
export function cohortGroupsOf(
	observations: readonly DurabilityObservation[]
): Map<number, { key: string; fromYear: number; toYear: number }> {
	const sizes = new Map<number, number>();
	for (const o of observations) sizes.set(o.cohort, (sizes.get(o.cohort) ?? 0) + 1);
	const years = [...sizes.keys()].sort((a, b) => a - b);
	const first = years[0] ?? 0;
	const width = Math.max(1, Math.ceil(((years.at(-1) ?? first) - first + 1) / MAX_COHORT_GROUPS));
	const bins: { years: number[]; size: number }[] = [];
	for (const year of years) {
		const index = Math.floor((year - first) / width);
		const last = bins.at(-1);
		if (last && Math.floor((last.years[0] - first) / width) === index) {
			last.years.push(year);
			last.size += sizes.get(year)!;
		} else bins.push({ years: [year], size: sizes.get(year)! });
	}
	const groups: { years: number[]; size: number }[] = [];
	let current: { years: number[]; size: number } | null = null;
	for (const bin of bins) {
		current ??= { years: [], size: 0 };
		current.years.push(...bin.years);
		current.size += bin.size;
		if (current.size >= MIN_GROUP_SIZE) {
			groups.push(current);
			current = null;
		}
	}
	if (current) {
		const previous = groups.at(-1);
		if (previous) {
			previous.years.push(...current.years);
			previous.size += current.size;
		} else groups.push(current);
	}
	const byYear = new Map<number, { key: string; fromYear: number; toYear: number }>();
	for (const group of groups) {
		const fromYear = group.years[0];
		const toYear = group.years[group.years.length - 1];
		const label = { key: fromYear === toYear ? String(fromYear) : `${fromYear}–${toYear}`, fromYear, toYear };
		for (const year of group.years) byYear.set(year, label);
	}
	return byYear;
}

/** Status groups: statuses with fewer than MIN_GROUP_SIZE households are pooled ('pooled'); no status is 'unknown'. */
export function statusGroupsOf(observations: readonly DurabilityObservation[]): Map<string, string> {
	const sizes = new Map<string, number>();
	for (const o of observations) {
		const key = o.status ?? 'unknown';
		sizes.set(key, (sizes.get(key) ?? 0) + 1);
	}
	const small = [...sizes].filter(([, size]) => size < MIN_GROUP_SIZE).map(([key]) => key);
	const result = new Map<string, string>();
	for (const key of sizes.keys()) {
		// Pooling a single small group with nothing else would only rename it.
		result.set(key, small.length > 1 && small.includes(key) ? 'pooled' : key);
	}
	return result;
}

const STATUS_ORDER = [...PERSON_STATUSES, 'unknown', 'pooled'];

/** Curves per group and the log-rank test between them (R `survdiff`). */
export function compareGroups(
	observations: readonly DurabilityObservation[],
	groupOf: (o: DurabilityObservation) => { key: string; fromYear?: number; toYear?: number },
	order: (a: string, b: string) => number,
	pooled: boolean
): GroupComparison {
	const labels = observations.map(groupOf);
	const keys = labels.map((label) => label.key);
	const details = new Map(labels.map((label) => [label.key, label]));
	const byGroup = kaplanMeierByGroup(
		observations.map((o) => o.time),
		observations.map((o) => o.event),
		keys,
		kmOptions
	);
	const membersOf = new Map<string, DurabilityObservation[]>();
	observations.forEach((o, i) => {
		const list = membersOf.get(keys[i]);
		if (list) list.push(o);
		else membersOf.set(keys[i], [o]);
	});
	const groups = byGroup
		.map(({ group, km }) => {
			const members = membersOf.get(group)!;
			const detail = details.get(group)!;
			return {
				key: group,
				...(detail.fromYear !== undefined ? { fromYear: detail.fromYear, toYear: detail.toYear } : {}),
				curve: curveOf(km, members)
			};
		})
		.sort((a, b) => order(a.key, b.key));
	if (groups.length < 2) return { groups, pooled, test: null, testNote: 'single_group' };
	if (observations.every((o) => !o.event)) return { groups, pooled, test: null, testNote: 'no_events' };
	const result = logRankTest(
		observations.map((o) => o.time),
		observations.map((o) => o.event),
		keys
	);
	return {
		groups,
		pooled,
		test: {
			chiSquare: result.statistic,
			df: result.df,
			pValue: result.pValue,
			significant: result.df > 0 && result.pValue < DURABILITY_ALPHA,
			groups: result.groups
				.map((g) => ({ key: g.group, n: g.n, observed: g.observed, expected: g.expected }))
				.sort((a, b) => order(a.key, b.key))
		},
		testNote: null
	};
}

export type DurabilityAnalysis = {
	overall: SurvivalCurve;
	/**
	 * Households on the curve that answered a survey that they left, the departure not yet
	 * confirmed by an advisor: until it is, they count as present up to their last sign of life.
	 */
	pendingDepartures: number;
	/** Cases whose event precedes the start (data to correct), left out of the curves. */
	inconsistent: number;
	byCohort: GroupComparison;
	byStatus: GroupComparison;
};

function analyse(
	observations: readonly DurabilityObservation[],
	inconsistent: number,
	pendingDepartures: ReadonlySet<string> = new Set()
): DurabilityAnalysis {
	const cohorts = cohortGroupsOf(observations);
	const statuses = statusGroupsOf(observations);
	const cohortPooled = [...cohorts].some(([year, group]) => group.fromYear !== year || group.toYear !== year);
	const statusPooled = [...statuses.values()].includes('pooled');
	return {
		overall: survivalCurve(observations),
		pendingDepartures: observations.filter((o) => !o.event && pendingDepartures.has(o.caseId)).length,
		inconsistent,
		byCohort: compareGroups(
			observations,
			(o) => cohorts.get(o.cohort)!,
			(a, b) => a.localeCompare(b),
			cohortPooled
		),
		byStatus: compareGroups(
			observations,
			(o) => ({ key: statuses.get(o.status ?? 'unknown')! }),
			(a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b),
			statusPooled
		)
	};
}

export type Durability = {
	confType: ConfidenceType;
	confLevel: number;
	years: readonly number[];
	minGroupSize: number;
	maxCohortGroups: number;
	/** Still living in the territory, since installation (installations of the period). */
	residence: DurabilityAnalysis;
	/** Business still active, since its creation (businesses created in the period). */
	business: DurabilityAnalysis;
};

function observationsOf(
	cases: readonly DurabilityCase[],
	observe: (kase: DurabilityCase, today: string) => DurabilityObservation | 'inconsistent' | null,
	period: ObservatoryPeriod,
	now: Date
): { observations: DurabilityObservation[]; inconsistent: number } {
	const observations: DurabilityObservation[] = [];
	const today = isoDay(now);
	let inconsistent = 0;
	for (const kase of cases) {
		const o = observe(kase, today);
		if (o === 'inconsistent') inconsistent++;
		else if (o && inPeriod(o.cohort, period)) observations.push(o);
	}
	return { observations, inconsistent };
}

/**
 * The overall "still living in the territory" curve alone (the residence analysis's `overall`),
 * without the groups and tests: what the comparison of programmes reads.
 */
export function residenceCurve({
	cases,
	period,
	now
}: {
	cases: readonly DurabilityCase[];
	period: ObservatoryPeriod;
	now: Date;
}): SurvivalCurve {
	return survivalCurve(observationsOf(cases, residenceObservation, period, now).observations);
}

/**
 * Both durability analyses of the selected households: installations (resp. business creations)
 * whose start falls in the period, overall, by cohort and by status, with log-rank tests.
 */
export function computeDurability({
	cases,
	period,
	now,
	pendingDepartures
}: {
	cases: readonly DurabilityCase[];
	period: ObservatoryPeriod;
	now: Date;
	/** Cases with a reported departure awaiting an advisor's confirmation (counted, see DurabilityAnalysis). */
	pendingDepartures?: ReadonlySet<string>;
}): Durability {
	const residence = observationsOf(cases, residenceObservation, period, now);
	const business = observationsOf(cases, businessObservation, period, now);
	return {
		confType: DURABILITY_CONF_TYPE,
		confLevel: DURABILITY_CONF_LEVEL,
		years: DURABILITY_YEARS,
		minGroupSize: MIN_GROUP_SIZE,
		maxCohortGroups: MAX_COHORT_GROUPS,
		residence: analyse(residence.observations, residence.inconsistent, pendingDepartures),
		business: analyse(business.observations, business.inconsistent)
	};
}
