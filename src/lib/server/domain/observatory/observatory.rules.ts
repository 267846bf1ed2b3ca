import type { PipelineMilestone } from '../../db/schema/index.ts';
import type { ObservatoryCase } from './observatory.types.ts';
import type { ObservatoryFilters } from './observatory.schemas.ts';

/** The period the figures cover, in calendar years (inclusive). */
export type ObservatoryPeriod = { from: number; to: number };

export const yearOfDay = (day: string): number => Number(day.slice(0, 4));
export const yearOfDate = (date: Date): number => date.getUTCFullYear();

/** Milliseconds in a day; durations are counted in whole days between calendar dates (UTC). */
export const DAY_MS = 86_400_000;

/**
 * The dates of the calendar days already read: a programme has a few thousand distinct days but
 * every section reads each case's days again (100,000 cases), and parsing a date string, or
 * even allocating a Date, costs far more than a lookup (the allocations were the observatory's
 * garbage-collection time). Emptied when it grows past DAY_CACHE_LIMIT.
 */
const dayDates = new Map<string, Date>();
const DAY_CACHE_LIMIT = 50_000;

/**
 * A calendar day (YYYY-MM-DD) as a UTC date at midnight. The same Date object is returned for the
 * same day: callers read it and never change it (nothing in the observatory calls a Date setter).
 */
export function dayToDate(day: string): Date {
	let date = dayDates.get(day);
	if (date === undefined) {
		date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
		if (dayDates.size >= DAY_CACHE_LIMIT) dayDates.clear();
		dayDates.set(day, date);
	}
	return date;
}

/** Days from `start` to `end`, both calendar days or dates (fractional days of timestamps kept). */
export function daysBetween(start: Date | string, end: Date | string): number {
	const a = typeof start === 'string' ? dayToDate(start) : start;
	const b = typeof end === 'string' ? dayToDate(end) : end;
	return (b.getTime() - a.getTime()) / DAY_MS;
}

/** The date the household was installed: the installation date, else its first entry into `installed`. */
export function installationDate(kase: Pick<ObservatoryCase, 'installedOn' | 'stageEntries'>): Date | null {
	if (kase.installedOn) return dayToDate(kase.installedOn);
	return kase.stageEntries.installed ?? null;
}

/** The stage key the observatory's rules read for each milestone (the default pipeline's keys). */
const MILESTONE_STAGE_KEYS: Record<PipelineMilestone, string> = {
	contact: 'contact',
	qualified: 'qualified',
	discovery: 'discovery_visit',
	installing: 'installing',
	installed: 'installed',
	integrated: 'integrated',
	left: 'left_territory',
	abandoned: 'abandoned'
};

/**
 * The stages whose first entry the observatory loads for a pipeline: its stages and exits, the
 * stages mapped to a milestone and the keys the rules read for each milestone ('installed',
 * 'qualified'…). Entries into other stages (say, a stage since removed from the pipeline) are
 * read by no rule.
 */
export function observatoryStageKeys(
	pipeline: Readonly<{
		stages: readonly string[];
		exits: readonly string[];
		milestones: Readonly<Record<string, PipelineMilestone>>;
	}>
): string[] {
	return [
		...new Set([
			...pipeline.stages,
			...pipeline.exits,
			...Object.keys(pipeline.milestones),
			...Object.values(MILESTONE_STAGE_KEYS)
		])
	];
}

/**
 * The stage keys whose first entry is a household's installation (withMilestoneEntries copies
 * them to 'installed'): 'installed' and every stage the pipeline marks as the installation.
 */
export function installedStageKeys(milestones: Readonly<Record<string, PipelineMilestone>>): string[] {
	return [
		...new Set([
			MILESTONE_STAGE_KEYS.installed,
			...Object.entries(milestones)
				.filter(([, milestone]) => milestone === 'installed')
				.map(([stage]) => stage)
		])
	];
}

/**
 * Adds, to each case's stage entries, the first entry into each milestone under the key the
 * rules read ('installed', 'qualified', 'discovery_visit'…), so a programme's own stages count
 * by the milestone they are mapped to (a stage "moved_in" mapped to installed is an
 * installation). Cases are returned as they are when every stage is its own milestone.
 */
export function withMilestoneEntries(
	cases: ObservatoryCase[],
	milestones: Readonly<Record<string, PipelineMilestone>>
): ObservatoryCase[] {
	const renamed = Object.entries(milestones).filter(([stage, m]) => MILESTONE_STAGE_KEYS[m] !== stage);
	if (renamed.length === 0) return cases;
	return cases.map((kase) => {
		let entries: Record<string, Date> | null = null;
		for (const [stage, milestone] of renamed) {
			const at = kase.stageEntries[stage];
			if (!at) continue;
			const key = MILESTONE_STAGE_KEYS[milestone];
			entries ??= { ...kase.stageEntries };
			if (!entries[key] || entries[key] > at) entries[key] = at;
		}
		return entries ? { ...kase, stageEntries: entries } : kase;
	});
}

/** A case counts as an installation when it has an installation date (and usually a commune). */
export const isInstallation = (kase: Pick<ObservatoryCase, 'installedOn' | 'stageEntries'>): boolean =>
	installationDate(kase) !== null;

/**
 * The period the filters ask for; by default from the year of the first recorded contact (or the
 * current year when there is none) to the current year.
 */
export function resolvePeriod(
	cases: readonly ObservatoryCase[],
	filters: ObservatoryFilters,
	now: Date
): ObservatoryPeriod {
	let first: number | null = null;
	for (const kase of cases) first = Math.min(first ?? Infinity, yearOfDate(kase.contactAt));
	return resolvePeriodFrom(first, filters, now);
}

/** The same from the year of the first recorded contact (null: no contact yet). */
export function resolvePeriodFrom(
	firstYear: number | null,
	filters: Pick<ObservatoryFilters, 'from' | 'to'>,
	now: Date
): ObservatoryPeriod {
	const current = yearOfDate(now);
	const first = Math.min(firstYear ?? current, current);
	const from = filters.from ?? Math.min(first, filters.to ?? first);
	const to = filters.to ?? Math.max(current, from);
	return { from, to };
}

export const inPeriod = (year: number, period: ObservatoryPeriod): boolean =>
	year >= period.from && year <= period.to;

/**
 * Applies the filters that select households (cohort, status, sector, commune, source). The
 * period is not applied here: each indicator counts its own events (contacts, installations,
 * departures…) in the period.
 */
export function filterObservatoryCases(
	cases: readonly ObservatoryCase[],
	filters: ObservatoryFilters
): ObservatoryCase[] {
	const sector = filters.sector?.toLocaleLowerCase('fr');
	return cases.filter((kase) => {
		if (filters.source && kase.source !== filters.source) return false;
		if (filters.status && kase.candidate?.status !== filters.status) return false;
		if (sector && kase.candidate?.sector?.toLocaleLowerCase('fr') !== sector) return false;
		if (filters.commune && kase.installedCommuneCode !== filters.commune) return false;
		if (filters.cohort !== undefined) {
			const installed = installationDate(kase);
			if (!installed || yearOfDate(installed) !== filters.cohort) return false;
		}
		return true;
	});
}

/** True when any filter selecting households is set (pages then say the figures are a subset). */
export const hasCaseFilters = (filters: ObservatoryFilters): boolean =>
	Boolean(
		filters.source || filters.status || filters.sector || filters.commune || filters.cohort !== undefined
	);

/** Age bands of the observatory, on the age at first contact. */
export const AGE_BANDS = ['under_30', '30_39', '40_49', '50_59', '60_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export function ageBand(birthYear: number | null, atYear: number): AgeBand | null {
	if (birthYear === null) return null;
	const age = atYear - birthYear;
	if (age < 0 || age > 120) return null;
	if (age < 30) return 'under_30';
	if (age < 40) return '30_39';
	if (age < 50) return '40_49';
	if (age < 60) return '50_59';
	return '60_plus';
}

/** Household composition: the candidate alone, with adults only, with children and one or more adults. */
export const HOUSEHOLD_KINDS = ['single', 'adults_only', 'single_parent', 'with_children'] as const;
export type HouseholdKind = (typeof HOUSEHOLD_KINDS)[number];

export function householdKind(kase: Pick<ObservatoryCase, 'adults' | 'children'>): HouseholdKind {
	if (kase.children === 0) return kase.adults <= 1 ? 'single' : 'adults_only';
	return kase.adults <= 1 ? 'single_parent' : 'with_children';
}

/**
 * The socio-professional group (PCS 2020, first digit: 1 farmers … 6 manual workers, 7 retired,
 * 8 others without a job) of a detailed PCS code.
 */
export function pcsGroup(pcs: string | null): string | null {
	if (!pcs) return null;
	const digit = pcs.trim().charAt(0);
	return /^[1-8]$/.test(digit) ? digit : null;
}

/**
 * French households come from a region (a key of the origins' vocabulary: a region, `overseas`,
 * or `other` for texts not yet mapped); others from a country (its ISO code), or `abroad` when
 * the country was not given.
 */
export function originOf(
	candidate: ObservatoryCase['candidate']
): { kind: 'france' | 'abroad'; label: string } | null {
	if (!candidate) return null;
	const country = candidate.originCountry?.trim().toUpperCase() || null;
	if (country && country !== 'FR') return { kind: 'abroad', label: country };
	const area = candidate.originArea?.trim();
	if (area === 'abroad') return { kind: 'abroad', label: 'abroad' };
	if (area) return { kind: 'france', label: area };
	return country === 'FR' ? { kind: 'france', label: '' } : null;
}
