import { describe, expect, test } from 'vitest';
import { kaplanMeier, logRankTest } from '../../../domain/stats/survival.ts';
import {
	businessObservation,
	cohortGroupsOf,
	computeDurability,
	residenceObservation,
	statusGroupsOf,
	survivalCurve,
	type DurabilityObservation
} from './durability.rules.ts';
import type { ObservatoryCase } from './observatory.types.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const ALL_YEARS = { from: 2000, to: 2026 };

let n = 0;
/** A household installed on `installedOn`, with what the durability rules read. */
function household(fields: {
	installedOn?: string | null;
	leftOn?: string | null;
	lastSignOfLifeAt?: string | null;
	businessCreatedOn?: string | null;
	businessClosedOn?: string | null;
	status?: 'freelancer' | 'founder' | 'artist' | 'employee_teleworking' | null;
}): ObservatoryCase {
	n++;
	return {
		id: `cas_${n}`,
		source: 'web_form',
		stage: fields.leftOn ? 'left_territory' : 'installed',
		advisorId: null,
		contactAt: new Date('2019-01-01T10:00:00Z'),
		stageEntries: {},
		installedOn: fields.installedOn === undefined ? '2020-01-01' : fields.installedOn,
		installedCommuneCode: '32013',
		leftOn: fields.leftOn ?? null,
		leftReason: null,
		abandonedReason: null,
		businessCreatedOn: fields.businessCreatedOn ?? null,
		businessClosedOn: fields.businessClosedOn ?? null,
		lastSignOfLifeAt: fields.lastSignOfLifeAt ? new Date(fields.lastSignOfLifeAt) : null,
		wouldMoveWithoutProgramme: null,
		researchConsent: true,
		candidate: {
			status: fields.status ?? null,
			sector: null,
			pcs: null,
			birthYear: null,
			originCountry: null,
			originArea: null
		},
		householdSize: 1,
		adults: 1,
		children: 0,
		isDemo: false
	};
}

/**
 * Six households installed on 1 January 2020 (2020 is a leap year):
 * two leave after 366 days (a tie), one after 1,096 days; one last seen after 731 days, one after
 * 2,192 days; one never heard of again (censored at installation, time 0).
 */
const SIX = () => [
	household({ leftOn: '2021-01-01' }),
	household({ lastSignOfLifeAt: '2022-01-01T15:00:00Z' }),
	household({ leftOn: '2023-01-01' }),
	household({}),
	household({ lastSignOfLifeAt: '2026-01-01T08:00:00Z' }),
	household({ leftOn: '2021-01-01' })
];

describe('durability: censoring rule', () => {
	test('a departure is the event, at the number of days since installation in years of 365.25 days', () => {
		const o = residenceObservation(household({ leftOn: '2021-01-01' }), NOW) as DurabilityObservation;
		expect(o).toMatchObject({
			event: true,
			endsAt: 'event',
			start: '2020-01-01',
			end: '2021-01-01',
			cohort: 2020
		});
		expect(o.time).toBe(366 / 365.25);
	});

	test('a household still there is censored at the day of its last sign of life, not at today', () => {
		const o = residenceObservation(
			household({ lastSignOfLifeAt: '2022-01-01T23:30:00Z' }),
			NOW
		) as DurabilityObservation;
		expect(o).toMatchObject({ event: false, endsAt: 'sign_of_life', end: '2022-01-01' });
		expect(o.time).toBe(731 / 365.25);
	});

	test('without any sign of life after installation, the household is censored at installation (time 0)', () => {
		expect(residenceObservation(household({}), NOW)).toMatchObject({
			event: false,
			endsAt: 'start',
			time: 0
		});
		// A sign of life before the installation (during the project) does not extend the follow-up.
		expect(residenceObservation(household({ lastSignOfLifeAt: '2019-06-01T10:00:00Z' }), NOW)).toMatchObject({
			endsAt: 'start',
			time: 0
		});
	});

	test('a recent sign of life censors at that day, and never after today', () => {
		const recent = residenceObservation(household({ lastSignOfLifeAt: '2026-11-20T10:00:00Z' }), NOW);
		expect(recent).toMatchObject({ end: '2026-11-20', endsAt: 'sign_of_life' });
		const future = residenceObservation(household({ lastSignOfLifeAt: '2027-02-01T10:00:00Z' }), NOW);
		expect(future).toMatchObject({ end: '2026-11-26' });
	});

	test('a departure dated after today is not counted yet; one before the installation is a data error', () => {
		expect(
			residenceObservation(household({ leftOn: '2027-01-01', lastSignOfLifeAt: '2026-10-01T10:00:00Z' }), NOW)
		).toMatchObject({ event: false, end: '2026-10-01' });
		expect(residenceObservation(household({ leftOn: '2019-12-01' }), NOW)).toBe('inconsistent');
		expect(residenceObservation(household({ installedOn: null }), NOW)).toBeNull();
		expect(residenceObservation(household({ installedOn: '2027-01-01' }), NOW)).toBeNull();
	});

	test('a business runs from its creation to its closure, else to the last sign of life', () => {
		expect(
			businessObservation(household({ businessCreatedOn: '2021-03-01', businessClosedOn: '2022-03-01' }), NOW)
		).toMatchObject({ event: true, time: 365 / 365.25, cohort: 2021 });
		expect(
			businessObservation(
				household({ businessCreatedOn: '2021-03-01', lastSignOfLifeAt: '2021-03-02T09:00:00Z' }),
				NOW
			)
		).toMatchObject({ event: false, time: 1 / 365.25, endsAt: 'sign_of_life' });
		expect(businessObservation(household({}), NOW)).toBeNull();
	});
});

describe('durability: Kaplan–Meier by hand', () => {
	test('six households give the survival worked out by hand, the same as the statistics library', () => {
		const durability = computeDurability({ cases: SIX(), period: ALL_YEARS, now: NOW });
		const curve = durability.residence.overall;
		expect(durability.confType).toBe('log-log');
		expect(curve).toMatchObject({ n: 6, events: 3, censored: 3, withoutFollowUp: 1, note: null });
		// By hand: at 366 days, 5 at risk (the one censored at 0 is gone), 2 leave: Ŝ = 3/5.
		// At 731 days one is censored; at 1,096 days 2 at risk, 1 leaves: Ŝ = 3/5 × 1/2 = 0.3.
		expect(curve.steps.map((s) => [s.time * 365.25, s.nRisk, s.nEvent, s.nCensor])).toEqual([
			[0, 6, 0, 1],
			[366, 5, 2, 0],
			[731, 3, 0, 1],
			[1096, 2, 1, 0],
			[2192, 1, 0, 1]
		]);
		expect(curve.steps.map((s) => s.survival)).toEqual([1, 0.6, 0.6, 0.3, 0.3]);
		// Greenwood: Var(log Ŝ) = 2/(5·3) at 366 days, + 1/(2·1) at 1,096 days.
		const z = 1.959963984540054;
		const check = (survival: number, varLog: number, step: (typeof curve.steps)[number]) => {
			const se = Math.sqrt(varLog);
			expect(step.stdErr).toBeCloseTo(survival * se, 12);
			// log-log interval: Ŝ^exp(∓ z·se / log Ŝ).
			expect(step.lower).toBeCloseTo(survival ** Math.exp((-z * se) / Math.log(survival)), 12);
			expect(step.upper).toBeCloseTo(survival ** Math.exp((z * se) / Math.log(survival)), 12);
		};
		check(0.6, 2 / 15, curve.steps[1]);
		check(0.3, 2 / 15 + 1 / 2, curve.steps[3]);
		expect(curve.steps[1].lower).toBeCloseTo(0.12573, 5);
		expect(curve.steps[1].upper).toBeCloseTo(0.88176, 5);
		// 1 year = 365.25 days comes before the first departures; 3 years (1,095.75 days) just
		// before the third; 5 years after it.
		expect(curve.rates.map((r) => [r.years, r.survival, r.nRisk, r.events])).toEqual([
			[1, 1, 5, 0],
			[3, 0.6, 2, 2],
			[5, 0.3, 1, 3]
		]);
		expect(curve.median).toBe(1096 / 365.25);
		expect(curve.maxTime).toBe(2192 / 365.25);
		// Year by year up to the longest follow-up (6 years and a day).
		expect(curve.yearly.map((r) => [r.years, r.survival, r.nRisk])).toEqual([
			[1, 1, 5],
			[2, 0.6, 3],
			[3, 0.6, 2],
			[4, 0.3, 1],
			[5, 0.3, 1],
			[6, 0.3, 1]
		]);
		// The same numbers straight from the statistics library.
		const km = kaplanMeier(
			[366, 731, 1096, 0, 2192, 366].map((d) => d / 365.25),
			[true, false, true, false, false, true],
			{ confType: 'log-log' }
		);
		expect(curve.steps).toEqual(km.steps);
		expect([curve.median, curve.medianLower, curve.medianUpper]).toEqual([
			km.median,
			km.medianLower,
			km.medianUpper
		]);
	});

	test('nobody, or everybody censored, gives defined results and a note, never NaN', () => {
		const empty = survivalCurve([]);
		expect(empty).toMatchObject({ n: 0, note: 'empty', median: null, maxTime: null });
		expect(empty.rates.every((r) => r.survival === null && r.nRisk === 0)).toBe(true);
		const all = computeDurability({
			cases: [household({ lastSignOfLifeAt: '2024-01-01T10:00:00Z' }), household({})],
			period: ALL_YEARS,
			now: NOW
		});
		expect(all.residence.overall).toMatchObject({ n: 2, events: 0, note: 'no_events', median: null });
		expect(all.residence.overall.rates[0]).toMatchObject({ survival: 1, nRisk: 1 });
		expect(all.residence.byCohort.testNote).toBe('single_group');
		expect(JSON.stringify(all)).not.toMatch(/NaN|Infinity/);
		expect(JSON.stringify(computeDurability({ cases: [], period: ALL_YEARS, now: NOW }))).not.toMatch(
			/NaN|Infinity/
		);
	});

	test('the period keeps the installations (and business creations) of its years', () => {
		const cases = [household({ installedOn: '2019-05-01' }), ...SIX()];
		expect(computeDurability({ cases, period: { from: 2020, to: 2026 }, now: NOW }).residence.overall.n).toBe(
			6
		);
		expect(computeDurability({ cases, period: { from: 2019, to: 2019 }, now: NOW }).residence.overall.n).toBe(
			1
		);
	});
});

describe('durability: groups and log-rank', () => {
	const obs = (cohort: number, status: string | null = null): DurabilityObservation => ({
		caseId: 'x',
		start: `${cohort}-01-01`,
		end: `${cohort}-01-01`,
		time: 1,
		event: false,
		endsAt: 'start',
		cohort,
		status
	});

	test('small cohorts are pooled with the following years; a small last group joins the one before', () => {
		const groups = cohortGroupsOf([
			...Array.from({ length: 2 }, () => obs(2018)),
			...Array.from({ length: 3 }, () => obs(2019)),
			...Array.from({ length: 7 }, () => obs(2020)),
			...Array.from({ length: 1 }, () => obs(2021)),
			...Array.from({ length: 2 }, () => obs(2022))
		]);
		expect(Object.fromEntries([...groups].map(([year, g]) => [year, g.key]))).toEqual({
			2018: '2018–2019',
			2019: '2018–2019',
			2020: '2020–2022',
			2021: '2020–2022',
			2022: '2020–2022'
		});
		expect(cohortGroupsOf([obs(2020), obs(2021)]).get(2021)?.key).toBe('2020–2021');
	});

	test('a long history is grouped in periods of years, at most six groups', () => {
		const groups = cohortGroupsOf(
			Array.from({ length: 18 }, (_, i) => Array.from({ length: 10 }, () => obs(2008 + i))).flat()
		);
		expect([...new Set([...groups.values()].map((g) => g.key))]).toEqual([
			'2008–2010',
			'2011–2013',
			'2014–2016',
			'2017–2019',
			'2020–2022',
			'2023–2025'
		]);
		// Seven years: periods of two years, the last one alone.
		const seven = cohortGroupsOf(
			Array.from({ length: 7 }, (_, i) => Array.from({ length: 5 }, () => obs(2020 + i))).flat()
		);
		expect([...new Set([...seven.values()].map((g) => g.key))]).toEqual([
			'2020–2021',
			'2022–2023',
			'2024–2025',
			'2026'
		]);
	});

	test('statuses with few households are pooled together; a single small status keeps its name', () => {
		const five = (status: string | null) => Array.from({ length: 5 }, () => obs(2020, status));
		const pooled = statusGroupsOf([...five('freelancer'), obs(2020, 'artist'), obs(2020, null)]);
		expect(Object.fromEntries(pooled)).toEqual({
			freelancer: 'freelancer',
			artist: 'pooled',
			unknown: 'pooled'
		});
		const single = statusGroupsOf([...five('freelancer'), obs(2020, 'artist')]);
		expect(single.get('artist')).toBe('artist');
	});

	test('two clearly different groups: the log-rank test says they differ (p small), as the library computes', () => {
		const leavers = Array.from({ length: 10 }, (_, i) =>
			household({ status: 'freelancer', leftOn: `2020-0${(i % 9) + 1}-15` })
		);
		const stayers = Array.from({ length: 10 }, () =>
			household({ status: 'founder', lastSignOfLifeAt: '2025-06-01T10:00:00Z' })
		);
		const durability = computeDurability({ cases: [...leavers, ...stayers], period: ALL_YEARS, now: NOW });
		const byStatus = durability.residence.byStatus;
		expect(byStatus.groups.map((g) => [g.key, g.curve.n, g.curve.events])).toEqual([
			['freelancer', 10, 10],
			['founder', 10, 0]
		]);
		expect(byStatus.test).not.toBeNull();
		expect(byStatus.test!.df).toBe(1);
		expect(byStatus.test!.pValue).toBeLessThan(0.001);
		expect(byStatus.test!.significant).toBe(true);
		const reference = logRankTest(
			[...leavers, ...stayers]
				.map((k) => residenceObservation(k, NOW) as DurabilityObservation)
				.map((o) => o.time),
			[...Array(10).fill(true), ...Array(10).fill(false)],
			[...Array(10).fill('freelancer'), ...Array(10).fill('founder')]
		);
		expect(byStatus.test!.chiSquare).toBeCloseTo(reference.statistic, 12);
		expect(byStatus.test!.groups.find((g) => g.key === 'freelancer')).toMatchObject({ observed: 10 });
		// One cohort only: no test between cohorts.
		expect(durability.residence.byCohort).toMatchObject({ test: null, testNote: 'single_group' });
	});

	test('two identical groups: the log-rank test finds no difference (p = 1)', () => {
		const group = (status: 'freelancer' | 'artist') => [
			household({ status, leftOn: '2021-01-01' }),
			household({ status, leftOn: '2022-06-01' }),
			household({ status, lastSignOfLifeAt: '2023-01-01T10:00:00Z' }),
			household({ status, leftOn: '2024-01-01' }),
			household({ status, lastSignOfLifeAt: '2025-01-01T10:00:00Z' })
		];
		const { byStatus } = computeDurability({
			cases: [...group('freelancer'), ...group('artist')],
			period: ALL_YEARS,
			now: NOW
		}).residence;
		expect(byStatus.test!.chiSquare).toBeCloseTo(0, 12);
		expect(byStatus.test!.pValue).toBeCloseTo(1, 10);
		expect(byStatus.test!.significant).toBe(false);
		expect(byStatus.groups[0].curve.steps).toEqual(byStatus.groups[1].curve.steps);
	});

	test('cohorts are the installation years, compared when there are two or more', () => {
		const cohort = (year: number, leaves: boolean) =>
			Array.from({ length: 5 }, (_, i) =>
				household({
					installedOn: `${year}-03-01`,
					...(leaves ? { leftOn: `${year + 1}-0${i + 1}-01` } : { lastSignOfLifeAt: '2026-06-01T10:00:00Z' })
				})
			);
		const { byCohort } = computeDurability({
			cases: [...cohort(2021, true), ...cohort(2022, false)],
			period: ALL_YEARS,
			now: NOW
		}).residence;
		expect(byCohort.groups.map((g) => [g.key, g.fromYear, g.toYear, g.curve.events])).toEqual([
			['2021', 2021, 2021, 5],
			['2022', 2022, 2022, 0]
		]);
		expect(byCohort.pooled).toBe(false);
		expect(byCohort.test!.significant).toBe(true);
	});

	test('groups without any event give curves but no test', () => {
		const { byStatus } = computeDurability({
			cases: [
				...Array.from({ length: 5 }, () => household({ status: 'artist' })),
				...Array.from({ length: 5 }, () => household({ status: 'founder' }))
			],
			period: ALL_YEARS,
			now: NOW
		}).residence;
		expect(byStatus).toMatchObject({ test: null, testNote: 'no_events' });
		expect(byStatus.groups).toHaveLength(2);
	});
});
