import { describe, expect, test } from 'vitest';
import { proportion } from '../../../domain/stats/descriptive.ts';
import type { Durability, SurvivalCurve, SurvivalRate } from './durability.rules.ts';
import type { Flows, FlowYear, Funnel, FunnelStep } from './flows.rules.ts';
import type { ImpactResult } from './impact.rules.ts';
import type { Integration, WaveIndicators } from './integration.rules.ts';
import type { Profiles } from './profiles.rules.ts';
import {
	discloseDurability,
	discloseFlows,
	discloseFunnel,
	discloseProfiles
} from './section-disclosure.rules.ts';
import { certaintyOf, computeSummaryFindings, MAX_FINDINGS, type SummaryFinding } from './summary.rules.ts';

const NOW = new Date('2026-06-01T09:00:00Z');
const STAFF = { minCellSize: null, now: NOW };

const zeroYear = (year: number): FlowYear => ({
	year,
	contacts: 0,
	qualified: 0,
	discoveryVisits: 0,
	installations: 0,
	personsInstalled: 0,
	members: 0,
	departures: 0,
	abandonments: 0,
	businessesCreated: 0,
	cumulativeContacts: 0,
	cumulativeInstallations: 0,
	cumulativePersonsInstalled: 0,
	cumulativeDepartures: 0,
	householdsPresentAtYearEnd: 0,
	businessesActiveAtYearEnd: 0
});

/** Flows of 2023–2026 with these installations per year (persons: two per household). */
function flowsOf(installations: number[]): Flows {
	const years = installations.map((count, i) => ({
		...zeroYear(2023 + i),
		contacts: count * 3,
		installations: count,
		personsInstalled: count * 2
	}));
	const sum = (key: keyof FlowYear) => years.reduce((total, y) => total + y[key], 0);
	return {
		period: { from: 2023, to: 2023 + installations.length - 1 },
		years,
		totals: {
			contacts: sum('contacts'),
			qualified: 0,
			discoveryVisits: 0,
			installations: sum('installations'),
			personsInstalled: sum('personsInstalled'),
			members: 0,
			departures: 0,
			abandonments: 0,
			businessesCreated: 0
		},
		today: { households: sum('installations'), persons: sum('personsInstalled'), activeBusinesses: 0 }
	};
}

function funnelOf(counts: number[], stillOpen = 0): Funnel {
	const steps: FunnelStep[] = counts.map((count, i) => ({
		stage: ['contact', 'qualified', 'discovery_visit', 'installed'][i],
		count,
		fromPrevious: i === 0 ? null : proportion(count, counts[i - 1]),
		fromContact: proportion(count, counts[0])
	}));
	return {
		period: { from: 2023, to: 2026 },
		steps,
		durations: [],
		bySource: [],
		byAdvisor: [],
		abandonmentReasons: [],
		abandonedAtStage: [],
		abandonments: 0,
		stillOpen
	} as unknown as Funnel;
}

const rate = (years: number, survival: number, nRisk: number, halfWidth = 0.05): SurvivalRate =>
	({
		years,
		survival,
		lower: survival - halfWidth,
		upper: survival + halfWidth,
		nRisk,
		events: 1
	}) as SurvivalRate;

function curveOf(n: number, events: number, rates: SurvivalRate[]): SurvivalCurve {
	return {
		n,
		events,
		censored: n - events,
		withoutFollowUp: 0,
		maxTime: 6,
		steps: [],
		rates,
		yearly: [],
		median: null,
		medianLower: null,
		medianUpper: null,
		note: events === 0 ? 'no_events' : null
	} as unknown as SurvivalCurve;
}

const emptyComparison = { groups: [], pooled: false, test: null, testNote: 'single_group' as const };
function durabilityOf(residence: SurvivalCurve, business: SurvivalCurve): Durability {
	const analysis = (overall: SurvivalCurve) => ({
		overall,
		pendingDepartures: 0,
		inconsistent: 0,
		byCohort: emptyComparison,
		byStatus: emptyComparison
	});
	return {
		confType: 'log-log',
		confLevel: 0.95,
		years: [1, 3, 5],
		minGroupSize: 5,
		maxCohortGroups: 6,
		residence: analysis(residence),
		business: analysis(business)
	};
}

function profilesOf(statuses: Record<string, number>, unknown = 0): Profiles {
	const known = Object.values(statuses).reduce((a, b) => a + b, 0);
	return {
		period: { from: 2023, to: 2026 },
		contacts: known + unknown,
		installations: known + unknown,
		fromAbroad: { count: 0, known: 0 },
		tables: [
			{
				dimension: 'status',
				rows: Object.entries(statuses).map(([value, count]) => ({
					value,
					contacts: count,
					contactsShare: count / known,
					installations: count,
					installationsShare: count / known
				})),
				unknownContacts: unknown,
				unknownInstallations: unknown
			}
		]
	};
}

function integrationOf(
	waves: { months: number; yes: number; total: number }[],
	decisive: number,
	total: number
) {
	return {
		waves: waves.map(
			(w) => ({ waveMonths: w.months, intentionToStay: proportion(w.yes, w.total) }) as WaveIndicators
		),
		attribution: {
			intake: {
				distribution: [
					{ value: 'yes', count: total - decisive },
					{ value: 'no', count: decisive }
				],
				total,
				decisive: proportion(decisive, total)
			}
		},
		businesses: { created: 0, active: proportion(0, 0) },
		householdsInvited: total
	} as unknown as Integration;
}

const impactOf = (households: number, jobs: number): { result: ImpactResult } => ({
	result: {
		referenceDate: '2026-06-01',
		meanHouseholdIncome: 30000,
		cohorts: [],
		total: {
			households,
			persons: households * 2,
			activeBusinesses: 10,
			annualIncome: 0,
			localSpending: 0,
			localActivity: 1234567.89,
			jobsFromBusinesses: 10,
			jobsFromHouseholds: jobs - 10,
			jobs
		}
	}
});

const byKey = (findings: SummaryFinding[], key: SummaryFinding['key']) => findings.find((f) => f.key === key);

describe('how sure a figure is', () => {
	test('by the households it rests on and the width of its interval', () => {
		expect(certaintyOf(120)).toEqual({ level: 'reliable', households: 120 });
		expect(certaintyOf(120, { lower: 0.3, upper: 0.6 }).level).toBe('indicative');
		expect(certaintyOf(120, { lower: 0.4, upper: 0.55 }).level).toBe('reliable');
		expect(certaintyOf(99).level).toBe('indicative');
		expect(certaintyOf(30).level).toBe('indicative');
		expect(certaintyOf(29)).toEqual({ level: 'to_confirm', households: 29 });
	});
});

describe('the summary findings', () => {
	test('a full programme gives its findings in reading order, each with a chart, at most eight', () => {
		const findings = computeSummaryFindings(
			{
				flows: flowsOf([30, 40, 60, 10]),
				funnel: funnelOf([420, 300, 200, 140], 50),
				durability: durabilityOf(
					curveOf(140, 12, [rate(1, 0.95, 120), rate(3, 0.88, 80)]),
					curveOf(60, 0, [rate(1, 1, 50)])
				),
				profiles: profilesOf({ freelancer: 60, founder: 50, artist: 30 }),
				integration: integrationOf(
					[
						{ months: 12, yes: 90, total: 110 },
						{ months: 36, yes: 30, total: 40 }
					],
					70,
					130
				),
				impact: impactOf(130, 233.7)
			},
			STAFF
		);
		expect(findings.map((f) => f.key)).toEqual([
			'installations',
			'conversion',
			'staying',
			'businesses',
			'profile',
			'intention',
			'attribution',
			'impact'
		]);
		expect(findings.length).toBeLessThanOrEqual(MAX_FINDINGS);
		for (const f of findings) expect(f.chart.bars.length, f.key).toBeGreaterThan(0);

		// 2026 is still running: the trend compares 2025 with 2024.
		const installations = byKey(findings, 'installations')!;
		expect(installations.message).toBe('observatory_summary_installations_persons_up');
		expect(installations.params).toMatchObject({ households: 140, persons: 280, last: 60, previous: 40 });
		expect(installations.certainty).toEqual({ level: 'reliable', households: 140 });

		const conversion = byKey(findings, 'conversion')!;
		expect(conversion.message).toBe('observatory_summary_conversion_open');
		expect(conversion.params).toMatchObject({ contacts: 420, installed: 140, share: 33, oneIn: 3, open: 50 });
		expect(conversion.chart.bars.map((b) => b.label)).toEqual([
			{ stage: 'contact' },
			{ stage: 'qualified' },
			{ stage: 'discovery_visit' },
			{ stage: 'installed' }
		]);

		// The longest duration shown: 3 years, on 80 households at risk (indicative).
		const staying = byKey(findings, 'staying')!;
		expect(staying.message).toBe('observatory_summary_staying');
		expect(staying.params).toMatchObject({ share: 88, years: 3 });
		expect(staying.certainty).toEqual({ level: 'indicative', households: 80 });
		expect(byKey(findings, 'businesses')!.message).toBe('observatory_summary_businesses_all');

		const profile = byKey(findings, 'profile')!;
		expect(profile.message).toBe('observatory_summary_profile_first');
		expect(profile.labelParams).toEqual({ status: { key: 'case_status_freelancer' } });

		// The wave with the most answers speaks: 12 months.
		expect(byKey(findings, 'intention')!.params).toMatchObject({ months: 12, share: 82, households: 110 });
		expect(byKey(findings, 'attribution')!.message).toBe('observatory_summary_attribution_most');

		// Jobs are whole; an estimate is said to be one.
		const impact = byKey(findings, 'impact')!;
		expect(impact.params.jobs).toBe(234);
		expect(impact.params.activity).toBe(1235000);
		expect(impact.certainty.level).toBe('estimate');
		expect(impact.chart.bars.every((b) => Number.isInteger(b.value))).toBe(true);
	});

	test('the wording follows the data: falling or steady installations, no move yet, a majority status, few intend to stay', () => {
		const down = computeSummaryFindings({ flows: flowsOf([10, 50, 20, 5]) }, STAFF);
		expect(down[0].message).toBe('observatory_summary_installations_persons_down');
		const steady = computeSummaryFindings({ flows: flowsOf([10, 50, 52, 5]) }, STAFF);
		expect(steady[0].message).toBe('observatory_summary_installations_persons_stable');
		// 4 after 5 is 20 % fewer, but one household is no trend.
		const oneLess = computeSummaryFindings({ flows: flowsOf([10, 5, 4, 1]) }, STAFF);
		expect(oneLess[0].message).toBe('observatory_summary_installations_persons_stable');
		const oneYear = computeSummaryFindings(
			{ flows: { ...flowsOf([40]), period: { from: 2026, to: 2026 } } },
			STAFF
		);
		expect(oneYear[0].message).toBe('observatory_summary_installations_persons');

		const none = computeSummaryFindings({ funnel: funnelOf([40, 10, 0, 0]) }, STAFF);
		expect(none[0].message).toBe('observatory_summary_conversion_none');
		expect(none[0].params.oneIn).toBeUndefined();

		const majority = computeSummaryFindings({ profiles: profilesOf({ founder: 30, artist: 10 }) }, STAFF);
		expect(majority[0].message).toBe('observatory_summary_profile_majority');
		expect(majority[0].params.share).toBe(75);

		const few = computeSummaryFindings(
			{ integration: integrationOf([{ months: 12, yes: 10, total: 40 }], 5, 40) },
			STAFF
		);
		expect(few.map((f) => f.message)).toEqual([
			'observatory_summary_intention_few',
			'observatory_summary_attribution_some'
		]);
		expect(few[0].certainty).toEqual({ level: 'indicative', households: 40 });
	});

	test('small numbers are "to confirm" for staff, and left out for a committee reader below k', () => {
		const small = { flows: flowsOf([1, 2, 1, 0]), funnel: funnelOf([12, 6, 4, 3]) };
		const staff = computeSummaryFindings(small, STAFF);
		expect(staff.map((f) => [f.key, f.certainty.level])).toEqual([
			['installations', 'to_confirm'],
			['conversion', 'to_confirm']
		]);
		// k = 5: 4 installations, as the committee reads them (disclosed), give no finding.
		const k = 5;
		const committee = computeSummaryFindings(
			{ flows: discloseFlows(small.flows, k), funnel: discloseFunnel(small.funnel, k) },
			{ minCellSize: k, now: NOW }
		);
		// (the funnel's last step, 3, is hidden too: no share of installations to tell)
		expect(committee).toEqual([]);
		// A small drop between two steps is hidden (17 is 20 minus 3): the chart keeps the steps shown.
		const [conversion] = computeSummaryFindings(
			{ funnel: discloseFunnel(funnelOf([40, 20, 17, 10]), k) },
			{ minCellSize: k, now: NOW }
		);
		expect(conversion.chart.bars.map((b) => b.value)).toEqual([40, 20, 10]);
		expect(conversion.params).toMatchObject({ contacts: 40, installed: 10, share: 25, oneIn: 4 });
	});

	test('a committee reader never gets a finding on fewer than k households, nor a hidden figure', () => {
		const k = 10;
		const committee = { minCellSize: k, now: NOW };
		// Eight installations over the period: below k, even if the section showed the total.
		expect(computeSummaryFindings({ flows: flowsOf([2, 3, 3, 0]) }, committee)).toEqual([]);
		// A status of 6 households is the most frequent but hidden: no profile finding on it.
		const profiles = discloseProfiles(profilesOf({ artist: 6, founder: 4, freelancer: 3 }), k);
		expect(computeSummaryFindings({ profiles }, committee)).toEqual([]);
		// Rates whose households at risk are fewer than k are hidden by the section: the 1-year rate speaks.
		const durability = discloseDurability(
			durabilityOf(curveOf(40, 4, [rate(1, 0.9, 35), rate(3, 0.8, 8)]), curveOf(6, 1, [rate(1, 0.8, 6)])),
			k
		);
		const findings = computeSummaryFindings({ durability }, committee);
		expect(findings.map((f) => [f.key, f.params.years])).toEqual([['staying', 1]]);
		// Every figure a committee finding says is a number (never NaN) and every household count ≥ k.
		const all = computeSummaryFindings(
			{
				flows: discloseFlows(flowsOf([12, 0, 9, 3]), k),
				profiles: discloseProfiles(profilesOf({ artist: 20, founder: 4, freelancer: 12 }), k),
				impact: impactOf(8, 3)
			},
			committee
		);
		expect(all.map((f) => f.key)).toEqual(['installations', 'profile']);
		for (const f of all) {
			expect(f.certainty.households).toBeGreaterThanOrEqual(k);
			for (const value of Object.values(f.params)) if (typeof value === 'number') expect(value).not.toBeNaN();
			for (const bar of f.chart.bars) expect(bar.value).not.toBeNaN();
		}
	});

	test('withheld sections give no finding', () => {
		const withheld = { withheld: 'too_few_households' as const, minCellSize: 5 };
		expect(
			computeSummaryFindings(
				{
					flows: withheld,
					funnel: withheld,
					durability: withheld,
					profiles: withheld,
					integration: withheld,
					impact: withheld
				},
				{ minCellSize: 5, now: NOW }
			)
		).toEqual([]);
		expect(
			computeSummaryFindings(
				{ flows: withheld, funnel: funnelOf([60, 40, 30, 20]) },
				{ minCellSize: 5, now: NOW }
			).map((f) => f.key)
		).toEqual(['conversion']);
	});
});
