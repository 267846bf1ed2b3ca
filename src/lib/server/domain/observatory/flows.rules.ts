import { proportion, quantiles, type Proportion } from '../../../domain/stats/descriptive.ts';
import type { ObservatoryCase } from './observatory.types.ts';
import {
	DAY_MS,
	dayToDate,
	inPeriod,
	installationDate,
	yearOfDate,
	yearOfDay,
	type ObservatoryPeriod
} from './observatory.rules.ts';

/** Counts of one calendar year; `cumulative*` run from the programme's first record, not from the period. */
export type FlowYear = {
	year: number;
	contacts: number;
	qualified: number;
	discoveryVisits: number;
	installations: number;
	personsInstalled: number;
	members: number;
	departures: number;
	abandonments: number;
	businessesCreated: number;
	cumulativeContacts: number;
	cumulativeInstallations: number;
	cumulativePersonsInstalled: number;
	cumulativeDepartures: number;
	/** Households installed by the 31st of December and not known to have left by then. */
	householdsPresentAtYearEnd: number;
	/** Businesses created by the 31st of December and not closed by then. */
	businessesActiveAtYearEnd: number;
};

export type Flows = {
	period: ObservatoryPeriod;
	years: FlowYear[];
	/** Sums over the period. */
	totals: Omit<
		FlowYear,
		'year' | `cumulative${string}` | 'householdsPresentAtYearEnd' | 'businessesActiveAtYearEnd'
	>;
	/** Installed households (and persons) in the territory today, and businesses active today. */
	today: { households: number; persons: number; activeBusinesses: number };
};

/**
 * Contacts, qualified projects, discovery visits, installations, persons installed (whole
 * households), new members, departures, abandonments and businesses created per calendar year of
 * the period, with cumulative totals since the first record and the stock at each year end.
 * A stage reached counts once per case, at its first entry.
 */
export function computeFlows({
	cases,
	memberJoins,
	period,
	now,
	countUnlinkedMembers
}: {
	cases: readonly ObservatoryCase[];
	memberJoins: readonly { caseId: string | null; joinedAt: Date }[];
	countUnlinkedMembers: boolean;
	period: ObservatoryPeriod;
	now: Date;
}): Flows {
	// The selected households' ids, built only when a member came through a case.
	let selected: Set<string> | null = null;
	// Sums per year, counted as the cases are read (100,000 cases, see bench/observatory.ts: no
	// event object per case and stage), then running totals.
	const series = {
		contacts: new Map<number, number>(),
		qualified: new Map<number, number>(),
		discoveryVisits: new Map<number, number>(),
		installations: new Map<number, number>(),
		personsInstalled: new Map<number, number>(),
		members: new Map<number, number>(),
		departures: new Map<number, number>(),
		abandonments: new Map<number, number>(),
		businessesCreated: new Map<number, number>()
	};
	const add = (sums: Map<number, number>, year: number, weight = 1) =>
		sums.set(year, (sums.get(year) ?? 0) + weight);
	for (const kase of cases) {
		add(series.contacts, yearOfDate(kase.contactAt));
		if (kase.stageEntries.qualified) add(series.qualified, yearOfDate(kase.stageEntries.qualified));
		if (kase.stageEntries.discovery_visit)
			add(series.discoveryVisits, yearOfDate(kase.stageEntries.discovery_visit));
		const installed = installationDate(kase);
		if (installed) {
			add(series.installations, yearOfDate(installed));
			add(series.personsInstalled, yearOfDate(installed), kase.householdSize);
		}
		if (kase.leftOn) add(series.departures, yearOfDay(kase.leftOn));
		if (kase.stageEntries.abandoned) add(series.abandonments, yearOfDate(kase.stageEntries.abandoned));
		if (kase.businessCreatedOn) add(series.businessesCreated, yearOfDay(kase.businessCreatedOn));
	}
	// Members who came through a case count with that case's filters; members without a case
	// (invited directly) only when no filter selects households.
	for (const join of memberJoins) {
		let counts = countUnlinkedMembers;
		if (join.caseId) {
			selected ??= new Set(cases.map((kase) => kase.id));
			counts = selected.has(join.caseId);
		}
		if (counts) add(series.members, yearOfDate(join.joinedAt));
	}
	const count = (sums: Map<number, number>, year: number) => sums.get(year) ?? 0;
	const upTo = (sums: Map<number, number>, year: number) => {
		let total = 0;
		for (const [y, sum] of sums) if (y <= year) total += sum;
		return total;
	};
	// Presence and business life as [start, end) in milliseconds, computed once per case.
	const presence = cases.flatMap((kase) => {
		const installed = installationDate(kase);
		if (!installed) return [];
		return [[installed.getTime(), kase.leftOn ? dayToDate(kase.leftOn).getTime() : Infinity] as const];
	});
	const business = cases.flatMap((kase) =>
		kase.businessCreatedOn
			? [
					[
						dayToDate(kase.businessCreatedOn).getTime(),
						kase.businessClosedOn ? dayToDate(kase.businessClosedOn).getTime() : Infinity
					] as const
				]
			: []
	);
	const aliveAt = (spans: readonly (readonly [number, number])[], at: number) =>
		spans.reduce((total, [start, end]) => (start <= at && end > at ? total + 1 : total), 0);

	const years: FlowYear[] = [];
	for (let year = period.from; year <= period.to; year++) {
		const yearEnd = dayToDate(`${year}-12-31`);
		years.push({
			year,
			contacts: count(series.contacts, year),
			qualified: count(series.qualified, year),
			discoveryVisits: count(series.discoveryVisits, year),
			installations: count(series.installations, year),
			personsInstalled: count(series.personsInstalled, year),
			members: count(series.members, year),
			departures: count(series.departures, year),
			abandonments: count(series.abandonments, year),
			businessesCreated: count(series.businessesCreated, year),
			cumulativeContacts: upTo(series.contacts, year),
			cumulativeInstallations: upTo(series.installations, year),
			cumulativePersonsInstalled: upTo(series.personsInstalled, year),
			cumulativeDepartures: upTo(series.departures, year),
			householdsPresentAtYearEnd: aliveAt(presence, yearEnd.getTime()),
			businessesActiveAtYearEnd: aliveAt(business, yearEnd.getTime())
		});
	}
	const sum = (key: keyof Flows['totals']) => years.reduce((total, y) => total + y[key], 0);
	const present = cases.filter((kase) => isPresentAt(kase, now));
	return {
		period,
		years,
		totals: {
			contacts: sum('contacts'),
			qualified: sum('qualified'),
			discoveryVisits: sum('discoveryVisits'),
			installations: sum('installations'),
			personsInstalled: sum('personsInstalled'),
			members: sum('members'),
			departures: sum('departures'),
			abandonments: sum('abandonments'),
			businessesCreated: sum('businessesCreated')
		},
		today: {
			households: present.length,
			persons: present.reduce((total, kase) => total + kase.householdSize, 0),
			activeBusinesses: cases.filter((kase) => isBusinessActiveAt(kase, now)).length
		}
	};
}

/** Installed on or before `at` and not known to have left by then. */
export function isPresentAt(kase: ObservatoryCase, at: Date): boolean {
	const installed = installationDate(kase);
	if (!installed || installed > at) return false;
	return !kase.leftOn || dayToDate(kase.leftOn) > at;
}

/** Created on or before `at` and not closed by then. */
export function isBusinessActiveAt(kase: ObservatoryCase, at: Date): boolean {
	if (!kase.businessCreatedOn || dayToDate(kase.businessCreatedOn) > at) return false;
	return !kase.businessClosedOn || dayToDate(kase.businessClosedOn) > at;
}

export type DurationSummary = {
	n: number;
	medianDays: number | null;
	p25Days: number | null;
	p75Days: number | null;
};

export function summariseDurations(days: readonly number[]): DurationSummary {
	const rounded = days.map((d) => Math.max(0, d));
	// One sort for the three quantiles (the median is the quantile ½).
	const [medianDays, p25Days, p75Days] = quantiles(rounded, [0.5, 0.25, 0.75]);
	return {
		n: rounded.length,
		medianDays: roundOrNull(medianDays),
		p25Days: roundOrNull(p25Days),
		p75Days: roundOrNull(p75Days)
	};
}

const roundOrNull = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

export type FunnelStep = {
	stage: string;
	/** Contacts of the period that reached this stage (or a later one). */
	count: number;
	fromPrevious: Proportion | null;
	fromContact: Proportion;
};

export type ConversionLine = {
	key: string;
	contacts: number;
	qualified: Proportion;
	installed: Proportion;
	contactToInstallation: DurationSummary;
};

export type Funnel = {
	period: ObservatoryPeriod;
	/** Contacts of the period, followed through the pipeline up to installation. */
	steps: FunnelStep[];
	/** Median durations between milestones, for the contacts of the period that reached both. */
	durations: { from: string; to: string; summary: DurationSummary }[];
	bySource: ConversionLine[];
	/** Advisor ids (null: cases nobody holds); the service replaces them by names for staff. */
	byAdvisor: (ConversionLine & { advisorId: string | null })[];
	/** Cases abandoned in the period, by reason (reasons as typed, blank as null), most frequent first. */
	abandonmentReasons: { reason: string | null; count: number; share: number }[];
	/** Cases abandoned in the period, by the last stage they had reached. */
	abandonedAtStage: { stage: string; count: number }[];
	abandonments: number;
	/** Contacts of the period still open (neither installed nor abandoned). */
	stillOpen: number;
};

/**
 * The funnel of the contacts of the period: how many reached each stage of the pipeline up to
 * installation (a stage skipped on the way counts as reached when a later one is), conversion
 * from the previous stage and from contact with Wilson 95 % intervals; median days between
 * contact, qualification and installation; conversion by source and by advisor; abandonments of
 * the period by reason and by the stage reached.
 */
export function computeFunnel({
	cases,
	stages,
	period
}: {
	cases: readonly ObservatoryCase[];
	/** The pipeline's stages, in order, from the first up to 'installed' included. */
	stages: readonly string[];
	period: ObservatoryPeriod;
}): Funnel {
	// One pass over the cases, then over small arrays: every per-case value (stage reached,
	// milestone days) is computed once, not once per step, pair or group (100,000 cases).
	const cohort = cases.filter((kase) => inPeriod(yearOfDate(kase.contactAt), period));
	const qualifiedStage = stages.includes('qualified') ? 'qualified' : stages[1];
	const qualifiedIndex = Math.max(1, stages.indexOf(qualifiedStage));
	const reached = new Int32Array(cohort.length);
	const installedAt: (Date | null)[] = new Array(cohort.length);
	/** Stages reached by at least this many contacts: atLeast[i] counts those whose reached index ≥ i. */
	const atLeast = new Array<number>(stages.length + 1).fill(0);
	cohort.forEach((kase, c) => {
		const installed = installationDate(kase);
		installedAt[c] = installed;
		let best = 0;
		if (installed) best = stages.length - 1;
		else for (let i = 0; i < stages.length; i++) if (kase.stageEntries[stages[i]]) best = i;
		reached[c] = best;
		atLeast[best]++;
	});
	for (let i = stages.length - 1; i >= 0; i--) atLeast[i] += atLeast[i + 1];
	const steps: FunnelStep[] = stages.map((stage, i) => {
		const count = atLeast[i];
		const previous = i === 0 ? null : atLeast[i - 1];
		return {
			stage,
			count,
			fromPrevious: previous === null ? null : proportion(count, previous),
			fromContact: proportion(count, cohort.length)
		};
	});

	/** Days from one milestone to the other for each contact of the cohort, NaN when not both reached in order. */
	const daysFromTo = (from: string, to: string): Float64Array => {
		const days = new Float64Array(cohort.length);
		cohort.forEach((kase, c) => {
			const start = milestoneDay(kase, from, installedAt[c]);
			const end = milestoneDay(kase, to, installedAt[c]);
			days[c] = start !== null && end !== null && end >= start ? (end - start) / DAY_MS : NaN;
		});
		return days;
	};
	const reachedBoth = (days: Float64Array, members?: readonly number[]): number[] => {
		const out: number[] = [];
		if (members) {
			for (const c of members) if (!Number.isNaN(days[c])) out.push(days[c]);
		} else for (const d of days) if (!Number.isNaN(d)) out.push(d);
		return out;
	};
	const pairs: [string, string][] = [
		['contact', qualifiedStage],
		[qualifiedStage, 'installed'],
		['contact', 'installed']
	];
	const contactToInstalled = daysFromTo('contact', 'installed');
	const durations = pairs
		.filter(([from, to]) => from && to && from !== to)
		.map(([from, to]) => ({
			from,
			to,
			summary: summariseDurations(
				reachedBoth(from === 'contact' && to === 'installed' ? contactToInstalled : daysFromTo(from, to))
			)
		}));

	const line = (key: string, members: readonly number[]): ConversionLine => {
		let qualified = 0;
		let installed = 0;
		for (const c of members) {
			if (reached[c] >= qualifiedIndex) qualified++;
			if (installedAt[c] !== null) installed++;
		}
		return {
			key,
			contacts: members.length,
			qualified: proportion(qualified, members.length),
			installed: proportion(installed, members.length),
			contactToInstallation: summariseDurations(reachedBoth(contactToInstalled, members))
		};
	};
	const groupBy = <K>(keyOf: (kase: ObservatoryCase) => K) => {
		const groups = new Map<K, number[]>();
		cohort.forEach((kase, c) => {
			const key = keyOf(kase);
			const group = groups.get(key);
			if (group) group.push(c);
			else groups.set(key, [c]);
		});
		return groups;
	};
	const bySource = [...groupBy((kase) => kase.source)]
		.map(([source, members]) => line(source, members))
		.sort((a, b) => b.contacts - a.contacts || a.key.localeCompare(b.key));
	const byAdvisor = [...groupBy((kase) => kase.advisorId)]
		.map(([advisorId, members]) => ({ ...line(advisorId ?? '', members), advisorId }))
		.sort((a, b) => b.contacts - a.contacts || a.key.localeCompare(b.key));

	const abandoned = cases.filter(
		(kase) => kase.stageEntries.abandoned && inPeriod(yearOfDate(kase.stageEntries.abandoned), period)
	);
	const reasons = new Map<string | null, number>();
	const atStage = new Map<string, number>();
	for (const kase of abandoned) {
		const reason = kase.abandonedReason?.trim() || null;
		reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
		// The last stage of the pipeline entered on or before the abandonment.
		let stage = stages[0];
		for (const candidate of stages) {
			const at = kase.stageEntries[candidate];
			if (at && at <= kase.stageEntries.abandoned) stage = candidate;
		}
		atStage.set(stage, (atStage.get(stage) ?? 0) + 1);
	}
	let stillOpen = 0;
	cohort.forEach((kase, c) => {
		if (!installedAt[c] && !kase.stageEntries.abandoned && kase.stage !== 'abandoned') stillOpen++;
	});
	return {
		period,
		steps,
		durations,
		bySource,
		byAdvisor,
		abandonmentReasons: [...reasons]
			.map(([reason, count]) => ({ reason, count, share: count / abandoned.length }))
			.sort((a, b) => b.count - a.count || (a.reason ?? '').localeCompare(b.reason ?? '')),
		abandonedAtStage: stages
			.filter((stage) => atStage.has(stage))
			.map((stage) => ({ stage, count: atStage.get(stage)! })),
		abandonments: abandoned.length,
		stillOpen
	};
}

/**
 * The calendar day (UTC, milliseconds at midnight) a case reached a milestone: contact = creation
 * of the case, installed = the installation date (`installed`, computed once by the caller), else
 * the first entry into the stage. Durations are whole days. Null when not reached.
 */
function milestoneDay(kase: ObservatoryCase, stage: string, installed: Date | null): number | null {
	const at =
		stage === 'contact'
			? kase.contactAt
			: stage === 'installed'
				? installed
				: (kase.stageEntries[stage] ?? null);
	return at ? Math.floor(at.getTime() / DAY_MS) * DAY_MS : null;
}
