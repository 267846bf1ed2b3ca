import type { Proportion } from '../../../domain/stats/descriptive.ts';
import { isHidden, type WithheldSection, isWithheldSection } from './disclosure.rules.ts';
import type { Durability, SurvivalCurve } from './durability.rules.ts';
import type { Flows, Funnel } from './flows.rules.ts';
import type { ImpactResult } from './impact.rules.ts';
import type { Integration } from './integration.rules.ts';
import type { Profiles } from './profiles.rules.ts';

/*
 * The observatory's summary: five to eight key findings in plain sentences for elected officials
 * and funders, each with one chart and a "how sure are we" phrase, drawn from the sections as the
 * reader gets them (staff: exact figures; committee and funders: small cells hidden, NaN, or the
 * section withheld). A finding that would rest on a hidden figure, or describe fewer than k
 * households, is left out: the summary never says more than the sections do.
 */

/** From this many households a figure is "reliable" (when its interval, if any, is narrow enough). */
export const RELIABLE_FROM = 100;
/** Below this many households a figure is "to confirm". */
export const INDICATIVE_FROM = 30;
/** A share whose 95 % interval is wider than ± this is no more than "indicative". */
export const MAX_RELIABLE_HALF_WIDTH = 0.1;
/** A year's installations differ from the year before by more than this share: "up" or "down". */
export const TREND_THRESHOLD = 0.1;
/** …and by at least this many households: one household more or less is no trend. */
export const TREND_MIN_CHANGE = 3;
export const MAX_FINDINGS = 8;

export type CertaintyLevel = 'reliable' | 'indicative' | 'to_confirm' | 'estimate';
export type Certainty = { level: CertaintyLevel; households: number };

/**
 * How sure a figure is: by the number of households it rests on and, for a share, by the width of
 * its confidence interval (Wilson for proportions, log-log for survival), as the sections compute it.
 */
export function certaintyOf(
	households: number,
	interval?: { lower: number | null; upper: number | null } | null
): Certainty {
	if (households < INDICATIVE_FROM) return { level: 'to_confirm', households };
	const halfWidth =
		interval && interval.lower !== null && interval.upper !== null
			? (interval.upper - interval.lower) / 2
			: 0;
	const level =
		households >= RELIABLE_FROM && halfWidth <= MAX_RELIABLE_HALF_WIDTH ? 'reliable' : 'indicative';
	return { level, households };
}

/** A chart's label: a message key (with parameters) or a text to show as it is. */
export type SummaryLabel =
	{ key: string; params?: Record<string, string | number> } | { text: string } | { stage: string };

export type SummaryChart = {
	/** 'count': whole numbers; 'percent': shares from 0 to 1. */
	unit: 'count' | 'percent';
	/** A series of years reads as columns; other charts as horizontal bars. */
	years?: boolean;
	/** The chart's accessible title and caption. */
	title: string;
	bars: { label: SummaryLabel; value: number }[];
};

export type SummaryFindingKey =
	| 'installations'
	| 'conversion'
	| 'staying'
	| 'businesses'
	| 'profile'
	| 'intention'
	| 'attribution'
	| 'impact';

export type SummaryFinding = {
	key: SummaryFindingKey;
	/** The sentence's message key, chosen by the data (e.g. installations up, down or stable). */
	message: string;
	/** The sentence's figures: counts as whole numbers, shares as whole percents. */
	params: Record<string, number | string>;
	/** Parameters whose value is a message key to translate (e.g. a status), or a stage's key. */
	labelParams?: Record<string, SummaryLabel>;
	certainty: Certainty;
	chart: SummaryChart;
	/** The section page with the figures, their intervals and tests. */
	section: 'flows' | 'funnel' | 'profiles' | 'durability' | 'integration' | 'impact';
};

export type SummarySections = {
	flows?: Flows | WithheldSection;
	funnel?: Funnel | WithheldSection;
	profiles?: Profiles | WithheldSection;
	durability?: Durability | WithheldSection;
	integration?: Integration | WithheldSection;
	impact?: { result: ImpactResult } | WithheldSection;
};

const ok = <T>(data: T | WithheldSection | undefined): T | null =>
	data === undefined || isWithheldSection(data) ? null : data;

/** A figure that may be shown: a finite number (not hidden, not null). */
const shown = (value: number | null | undefined): value is number =>
	typeof value === 'number' && Number.isFinite(value) && !isHidden(value);

const percent = (share: number) => Math.round(share * 100);

type Rules = { minCellSize: number | null; currentYear: number };

/** True when a finding resting on `households` may be said to this reader (k for committee and funders). */
const enough = (households: number, { minCellSize }: Rules) =>
	shown(households) && households > 0 && (minCellSize === null || households >= minCellSize);

function installationsFinding(flows: Flows, rules: Rules): SummaryFinding | null {
	const { installations, personsInstalled } = flows.totals;
	if (!shown(installations) || !enough(installations, rules)) return null;
	// The trend compares the last two complete years of the period (the current year is still running).
	const complete = flows.years.filter((y) => y.year < rules.currentYear);
	const [previous, last] = complete.slice(-2);
	let message = 'observatory_summary_installations';
	const params: Record<string, number | string> = {
		households: installations,
		from: String(flows.period.from),
		to: String(flows.period.to)
	};
	if (shown(personsInstalled)) {
		message += '_persons';
		params.persons = personsInstalled;
	}
	if (previous && last && shown(previous.installations) && shown(last.installations)) {
		const change = previous.installations === 0 ? Infinity : last.installations / previous.installations - 1;
		const trend =
			Math.abs(last.installations - previous.installations) < TREND_MIN_CHANGE ||
			Math.abs(change) <= TREND_THRESHOLD
				? 'stable'
				: change > 0
					? 'up'
					: 'down';
		message += `_${trend}`;
		Object.assign(params, {
			lastYear: String(last.year),
			last: last.installations,
			previous: previous.installations
		});
	}
	return {
		key: 'installations',
		message,
		params,
		certainty: certaintyOf(installations),
		section: 'flows',
		chart: {
			unit: 'count',
			years: true,
			title: 'observatory_summary_chart_installations',
			bars: flows.years
				.filter((y) => shown(y.installations))
				.map((y) => ({ label: { text: String(y.year) }, value: y.installations }))
		}
	};
}

function conversionFinding(funnel: Funnel, rules: Rules): SummaryFinding | null {
	const first = funnel.steps[0];
	const last = funnel.steps.at(-1);
	if (!first || !last || funnel.steps.length < 2) return null;
	if (!shown(first.count) || !enough(first.count, rules) || !shown(last.count)) return null;
	const share: Proportion = last.fromContact;
	if (!shown(share.proportion)) return null;
	const params: Record<string, number | string> = {
		contacts: first.count,
		installed: last.count,
		share: percent(share.proportion)
	};
	let message = 'observatory_summary_conversion_none';
	if (last.count > 0) {
		message = 'observatory_summary_conversion';
		params.oneIn = Math.max(1, Math.round(1 / share.proportion));
	}
	if (shown(funnel.stillOpen) && funnel.stillOpen > 0) {
		message += '_open';
		params.open = funnel.stillOpen;
	}
	return {
		key: 'conversion',
		message,
		params,
		certainty: certaintyOf(first.count, share),
		section: 'funnel',
		chart: {
			unit: 'count',
			title: 'observatory_summary_chart_conversion',
			bars: funnel.steps
				.filter((step) => shown(step.count))
				.map((step) => ({ label: { stage: step.stage }, value: step.count }))
		}
	};
}

/** The rate at the longest of the usual durations (1, 3, 5 years) that the reader may see. */
function survivalFinding(
	key: 'staying' | 'businesses',
	curve: SurvivalCurve,
	rules: Rules
): SummaryFinding | null {
	if (!shown(curve.n) || !enough(curve.n, rules)) return null;
	const rates = curve.rates.filter(
		(rate) => shown(rate.survival) && shown(rate.nRisk) && rate.nRisk > 0 && enough(rate.nRisk, rules)
	);
	const rate = rates.at(-1);
	if (!rate || rate.survival === null) return null;
	const noEvent = shown(curve.events) && curve.events === 0;
	const message = noEvent ? `observatory_summary_${key}_all` : `observatory_summary_${key}`;
	return {
		key,
		message,
		params: { households: curve.n, share: percent(rate.survival), years: rate.years },
		certainty: certaintyOf(rate.nRisk, rate),
		section: 'durability',
		chart: {
			unit: 'percent',
			title: `observatory_summary_chart_${key}`,
			bars: rates.map((r) => ({
				label: { key: 'observatory_summary_after_years', params: { years: r.years } },
				value: r.survival as number
			}))
		}
	};
}

function profileFinding(profiles: Profiles, rules: Rules): SummaryFinding | null {
	const table = profiles.tables.find((t) => t.dimension === 'status');
	if (!table || !shown(profiles.installations) || !shown(table.unknownInstallations)) return null;
	const known = profiles.installations - table.unknownInstallations;
	if (!enough(known, rules)) return null;
	const rows = table.rows
		.filter((row) => shown(row.installations) && shown(row.installationsShare) && row.installations > 0)
		.sort((a, b) => b.installations - a.installations);
	const top = rows[0];
	if (!top || top.installationsShare === null || !enough(top.installations, rules)) return null;
	const share = top.installationsShare;
	return {
		key: 'profile',
		message: share > 0.5 ? 'observatory_summary_profile_majority' : 'observatory_summary_profile_first',
		params: { share: percent(share), households: known },
		labelParams: { status: { key: `case_status_${top.value}` } },
		certainty: certaintyOf(known),
		section: 'profiles',
		chart: {
			unit: 'percent',
			title: 'observatory_summary_chart_profile',
			bars: rows.map((row) => ({
				label: { key: `case_status_${row.value}` },
				value: row.installationsShare as number
			}))
		}
	};
}

function intentionFinding(integration: Integration, rules: Rules): SummaryFinding | null {
	const waves = integration.waves.filter(
		(w) =>
			shown(w.intentionToStay.total) &&
			enough(w.intentionToStay.total, rules) &&
			shown(w.intentionToStay.proportion)
	);
	if (waves.length === 0) return null;
	// The wave with the most answers (ties: the earliest) speaks for the households.
	const wave = waves.reduce((best, w) => (w.intentionToStay.total > best.intentionToStay.total ? w : best));
	const p = wave.intentionToStay;
	const share = p.proportion as number;
	return {
		key: 'intention',
		message: share >= 0.5 ? 'observatory_summary_intention_most' : 'observatory_summary_intention_few',
		params: { share: percent(share), months: wave.waveMonths, households: p.total },
		certainty: certaintyOf(p.total, p),
		section: 'integration',
		chart: {
			unit: 'percent',
			title: 'observatory_summary_chart_intention',
			bars: waves.map((w) => ({
				label: { key: 'observatory_summary_after_months', params: { months: w.waveMonths } },
				value: w.intentionToStay.proportion as number
			}))
		}
	};
}

function attributionFinding(integration: Integration, rules: Rules): SummaryFinding | null {
	const intake = integration.attribution.intake;
	const p = intake.decisive;
	if (!shown(intake.total) || !enough(intake.total, rules) || !shown(p.proportion)) return null;
	const bars = intake.distribution
		.filter((d) => shown(d.count) && intake.total > 0)
		.map((d) => ({
			label: { key: `observatory_summary_would_move_${d.value}` },
			value: d.count / intake.total
		}));
	return {
		key: 'attribution',
		message:
			p.proportion >= 0.5 ? 'observatory_summary_attribution_most' : 'observatory_summary_attribution_some',
		params: { share: percent(p.proportion), households: intake.total },
		certainty: certaintyOf(intake.total, p),
		section: 'integration',
		chart: { unit: 'percent', title: 'observatory_summary_chart_attribution', bars }
	};
}

function impactFinding(result: ImpactResult, rules: Rules): SummaryFinding | null {
	const total = result.total;
	if (!shown(total.households) || !enough(total.households, rules)) return null;
	if (!shown(total.jobs) || !shown(total.localActivity)) return null;
	const jobsFromBusinesses = shown(total.jobsFromBusinesses) ? Math.round(total.jobsFromBusinesses) : null;
	const jobsFromHouseholds = shown(total.jobsFromHouseholds) ? Math.round(total.jobsFromHouseholds) : null;
	const bars: SummaryChart['bars'] = [];
	if (jobsFromBusinesses !== null)
		bars.push({ label: { key: 'observatory_summary_jobs_businesses' }, value: jobsFromBusinesses });
	if (jobsFromHouseholds !== null)
		bars.push({ label: { key: 'observatory_summary_jobs_households' }, value: jobsFromHouseholds });
	return {
		key: 'impact',
		message: 'observatory_summary_impact',
		params: {
			households: total.households,
			// People and jobs are whole: an estimate of 233.7 jobs reads "about 234".
			jobs: Math.round(total.jobs),
			activity: Math.round(total.localActivity / 1000) * 1000,
			date: result.referenceDate
		},
		certainty: { level: 'estimate', households: total.households },
		section: 'impact',
		chart: { unit: 'count', title: 'observatory_summary_chart_impact', bars }
	};
}

/**
 * The summary's findings, in reading order (what happened, how households came, whether they
 * stay, who they are, what they say, what it brings), at most MAX_FINDINGS. `minCellSize` is the
 * k of a reader other than staff (null for staff): no finding rests on fewer than k households.
 */
export function computeSummaryFindings(
	sections: SummarySections,
	{ minCellSize, now }: { minCellSize: number | null; now: Date }
): SummaryFinding[] {
	const rules: Rules = { minCellSize, currentYear: now.getUTCFullYear() };
	const flows = ok(sections.flows);
	const funnel = ok(sections.funnel);
	const profiles = ok(sections.profiles);
	const durability = ok(sections.durability);
	const integration = ok(sections.integration);
	const impact = ok(sections.impact);
	const findings = [
		flows && installationsFinding(flows, rules),
		funnel && conversionFinding(funnel, rules),
		durability && survivalFinding('staying', durability.residence.overall, rules),
		durability && survivalFinding('businesses', durability.business.overall, rules),
		profiles && profileFinding(profiles, rules),
		integration && intentionFinding(integration, rules),
		integration && attributionFinding(integration, rules),
		impact && impactFinding(impact.result, rules)
	];
	return findings
		.filter((f): f is SummaryFinding => f !== null && f !== undefined && f.chart.bars.length > 0)
		.slice(0, MAX_FINDINGS);
}
