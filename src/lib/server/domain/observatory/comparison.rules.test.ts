import { describe, expect, test } from 'vitest';
import {
	comparisonInputsOf,
	computeProgrammeComparison,
	measuresOfCases,
	measuresOfInputs,
	periodYears
} from './comparison.rules.ts';
import type { ObservatoryPeriod } from './observatory.rules.ts';
import type { ObservatoryCase } from './observatory.types.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const PERIOD = { from: 2020, to: 2026 };
const STAGES = ['contact', 'qualified', 'installed'];

let n = 0;
function household(fields: {
	contact: string;
	qualified?: string;
	installedOn?: string;
	leftOn?: string;
	lastSignOfLifeAt?: string;
}): ObservatoryCase {
	n++;
	return {
		id: `cas_${n}`,
		source: 'web_form',
		stage: fields.leftOn ? 'left_territory' : fields.installedOn ? 'installed' : 'contact',
		advisorId: null,
		contactAt: new Date(`${fields.contact}T00:00:00Z`),
		stageEntries: fields.qualified ? { qualified: new Date(`${fields.qualified}T00:00:00Z`) } : {},
		installedOn: fields.installedOn ?? null,
		installedCommuneCode: fields.installedOn ? '32013' : null,
		leftOn: fields.leftOn ?? null,
		leftReason: null,
		abandonedReason: null,
		businessCreatedOn: null,
		businessClosedOn: null,
		lastSignOfLifeAt: fields.lastSignOfLifeAt ? new Date(`${fields.lastSignOfLifeAt}T12:00:00Z`) : null,
		wouldMoveWithoutProgramme: null,
		researchConsent: true,
		candidate: null,
		householdSize: 1,
		adults: 1,
		children: 0,
		isDemo: false
	};
}

/**
 * Ten applications in 2020, six installed on 2020-03-01 after 60, 30, 20, 10, 40 and 50 days;
 * three of them left (after 184 days, 549 days and 4 years), three were last seen 2026-06-01.
 */
const FIXTURE = (): ObservatoryCase[] => [
	household({ contact: '2020-01-01', installedOn: '2020-03-01', leftOn: '2020-09-01' }),
	household({ contact: '2020-01-31', installedOn: '2020-03-01', leftOn: '2021-09-01' }),
	household({ contact: '2020-02-10', installedOn: '2020-03-01', lastSignOfLifeAt: '2026-06-01' }),
	household({ contact: '2020-02-20', installedOn: '2020-03-01', lastSignOfLifeAt: '2026-06-01' }),
	household({ contact: '2020-01-21', installedOn: '2020-03-01', lastSignOfLifeAt: '2026-06-01' }),
	household({ contact: '2020-01-11', installedOn: '2020-03-01', leftOn: '2024-03-01' }),
	household({ contact: '2020-05-01', qualified: '2020-06-01' }),
	household({ contact: '2020-05-02', qualified: '2020-06-01' }),
	household({ contact: '2020-05-03' }),
	household({ contact: '2020-05-04' })
];
const BUDGETS = [
	{ year: 2019, amountCents: 99_900_000 },
	{ year: 2020, amountCents: 12_000_000 },
	{ year: 2021, amountCents: 6_000_000 }
];

/**
 * The indicators of `cases`, from the comparison's inputs (what the service reads in SQL); the
 * measures they rest on must equal those of the observatory's own definitions (funnel, durability).
 */
function compute(
	minCellSize: number,
	cases = FIXTURE(),
	budgets = BUDGETS,
	period: ObservatoryPeriod = PERIOD
) {
	const measures = measuresOfInputs({ inputs: comparisonInputsOf(cases), period, now: NOW });
	expect(measures).toEqual(measuresOfCases({ cases, stages: STAGES, period, now: NOW }));
	return computeProgrammeComparison({ measures, period, budgets, minCellSize });
}

describe('comparison indicators, computed by hand on ten households (k = 3)', () => {
	const result = compute(3);
	const f = result.figures;

	test('applications and installations: the contacts of the period and those installed', () => {
		expect(result.isWithheld).toBe(false);
		expect(f.applications).toMatchObject({ state: 'shown', value: 10, households: 10 });
		expect(f.installations).toMatchObject({ state: 'shown', value: 6, households: 6 });
	});

	test('conversion: 6/10 with its Wilson 95 % interval', () => {
		// p = 0.6, n = 10, z = 1.959964: centre (p + z²/2n)/(1 + z²/n), half-width z√(p(1−p)/n + z²/4n²)/(1 + z²/n).
		expect(f.conversion.state).toBe('shown');
		expect(f.conversion.value).toBe(0.6);
		expect(f.conversion.lower).toBeCloseTo(0.312674, 5);
		expect(f.conversion.upper).toBeCloseTo(0.83182, 5);
		expect(f.conversion.certainty).toBe('to_confirm');
	});

	test('time to installation: median and quartiles (type 7) of 10, 20, 30, 40, 50, 60 days', () => {
		expect(f.time_to_installation).toMatchObject({
			state: 'shown',
			value: 35,
			lower: 22.5,
			upper: 47.5,
			households: 6
		});
	});

	test('retention at 12 months: one departure of six at risk, log-log interval', () => {
		// Ŝ = 5/6; Greenwood var = 1/(6·5); se(log(−log Ŝ)) = √var/|log Ŝ|; bounds Ŝ^exp(±z·se).
		expect(f.retention_12.state).toBe('shown');
		expect(f.retention_12.value).toBeCloseTo(5 / 6, 10);
		expect(f.retention_12.lower).toBeCloseTo(0.273123, 5);
		expect(f.retention_12.upper).toBeCloseTo(0.974712, 5);
		expect(f.retention_12.households).toBe(6);
	});

	test('retention at 36 months: a second departure of five at risk', () => {
		// Ŝ = 5/6 · 4/5 = 2/3; Greenwood var = 1/30 + 1/20.
		expect(f.retention_36.value).toBeCloseTo(2 / 3, 10);
		expect(f.retention_36.lower).toBeCloseTo(0.194617, 5);
		expect(f.retention_36.upper).toBeCloseTo(0.904434, 5);
	});

	test('cost per installation: the budgets of the period (2020, 2021) over six installations', () => {
		// (120,000 € + 60,000 €) / 6 = 30,000 €; the 2019 budget is outside the period.
		expect(f.cost_per_installation).toMatchObject({ state: 'shown', value: 3_000_000, households: 6 });
		expect(result.budgetYears).toEqual([2020, 2021]);
		expect(result.missingBudgetYears).toEqual([2022, 2023, 2024, 2025, 2026]);
	});
});

describe('comparison indicators: absent and not yet observable', () => {
	test('no budget for the period: no cost per installation', () => {
		expect(compute(3, FIXTURE(), [{ year: 2019, amountCents: 1 }]).figures.cost_per_installation.state).toBe(
			'no_budget'
		);
	});

	test('a follow-up shorter than 36 months: retention at 36 months not yet observable', () => {
		const cases = Array.from({ length: 6 }, (_, i) =>
			household({ contact: '2025-01-01', installedOn: `2025-02-0${i + 1}`, lastSignOfLifeAt: '2026-10-01' })
		);
		const f = compute(3, cases, []).figures;
		expect(f.retention_12.state).toBe('shown');
		expect(f.retention_36).toMatchObject({ state: 'not_observable', value: null });
	});

	test('no applications in the period: rates and durations not observable', () => {
		const f = compute(3, FIXTURE(), [], { from: 2023, to: 2024 }).figures;
		expect(f.applications).toMatchObject({ state: 'shown', value: 0 });
		expect(f.conversion.state).toBe('not_observable');
		expect(f.time_to_installation.state).toBe('not_observable');
		expect(f.retention_12.state).toBe('not_observable');
	});

	test('the years of a period', () => {
		expect(periodYears({ from: 2024, to: 2026 })).toEqual([2024, 2025, 2026]);
	});
});

describe('comparison indicators: small cells (k = 5)', () => {
	test('figures resting on fewer than k households are withheld, never numbers', () => {
		const result = compute(5);
		const f = result.figures;
		expect(f.applications).toMatchObject({ state: 'shown', value: 10 });
		// 6 installed of 10: the 4 who were not would be told by the difference.
		expect(f.installations).toMatchObject({ state: 'withheld', value: null, households: null });
		expect(f.conversion).toMatchObject({ state: 'withheld', value: null, lower: null, upper: null });
		expect(f.cost_per_installation.state).toBe('withheld');
		expect(f.time_to_installation.state).toBe('shown');
		// Five at risk at 12 months, four at 36 months.
		expect(f.retention_12.state).toBe('shown');
		expect(f.retention_36).toMatchObject({ state: 'withheld', value: null });
		for (const figure of Object.values(f))
			if (figure.state !== 'shown')
				expect([figure.value, figure.lower, figure.upper]).toEqual([null, null, null]);
	});

	test('a programme with fewer than k households is withheld whole', () => {
		const result = compute(11);
		expect(result.isWithheld).toBe(true);
		expect(Object.values(result.figures).every((figure) => figure.state === 'withheld')).toBe(true);
		expect(JSON.stringify(Object.values(result.figures))).not.toMatch(/\d/);
	});
});

describe('the comparison’s inputs measure what the observatory measures', () => {
	/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
	function random(seed: number) {
		let a = seed;
		return () => {
			a = (a + 0x6d2b79f5) | 0;
			let t = Math.imul(a ^ (a >>> 15), 1 | a);
			t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
	}
	const DAY = 86_400_000;
	const day = (date: Date) => date.toISOString().slice(0, 10);

	/**
	 * Households of every kind the rules tell apart: contacts around midnight UTC on New Year's
	 * Eve, installations recorded by date, by stage entry or both (the entry before or after the
	 * date), departures before the installation (inconsistent) or after today, signs of life
	 * before the installation, none at all.
	 */
	function households(seed: number, count: number): ObservatoryCase[] {
		const next = random(seed);
		const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
		return Array.from({ length: count }, (_, i) => {
			const contactAt = new Date(
				next() < 0.1
					? Date.UTC(2019 + Math.floor(next() * 7), 11, 31, 23, Math.floor(next() * 60)) +
							Math.floor(next() * 2) * 3_600_000
					: Date.UTC(2019, 0, 1) + Math.floor(next() * 8 * 365 * DAY)
			);
			const kind = pick(['open', 'open', 'date', 'entry', 'both', 'qualified']);
			const installedAt = new Date(contactAt.getTime() + Math.floor((next() * 400 - 20) * DAY));
			const entryAt = new Date(installedAt.getTime() + Math.floor((next() * 40 - 20) * DAY));
			const stageEntries: Record<string, Date> = {};
			if (kind === 'entry' || kind === 'both') stageEntries.installed = entryAt;
			if (kind !== 'open') stageEntries.qualified = new Date(contactAt.getTime() + 5 * DAY);
			const installed = kind === 'date' || kind === 'both' || kind === 'entry';
			const leftOn =
				installed && next() < 0.3
					? day(new Date(installedAt.getTime() + Math.floor((next() * 2000 - 100) * DAY)))
					: null;
			const seen =
				next() < 0.7 ? new Date(installedAt.getTime() + Math.floor((next() * 2500 - 200) * DAY)) : null;
			return {
				...household({ contact: day(contactAt) }),
				id: `cas_${String(i).padStart(5, '0')}`,
				contactAt,
				stageEntries,
				installedOn: kind === 'date' || kind === 'both' ? day(installedAt) : null,
				leftOn,
				lastSignOfLifeAt: seen
			};
		});
	}

	const periods: ObservatoryPeriod[] = [
		{ from: 2019, to: 2026 },
		{ from: 2021, to: 2021 },
		{ from: 2024, to: 2026 },
		{ from: 2030, to: 2031 }
	];
	for (const seed of [1, 2, 3])
		test(`2,000 random households (seed ${seed}), in four periods`, () => {
			const cases = households(seed, 2000);
			for (const period of periods)
				expect(measuresOfInputs({ inputs: comparisonInputsOf(cases), period, now: NOW })).toEqual(
					measuresOfCases({ cases, stages: STAGES, period, now: NOW })
				);
		});
});
