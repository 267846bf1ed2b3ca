import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { departureReportsTable } from '../../db/schema/index.ts';
import { observatoryViewerOf } from './observatory.context.ts';
import { getObservatorySection } from './observatory.service.ts';
import { seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';

const NOW = new Date('2026-11-26T09:00:00Z');

/**
 * Six households installed on 1 January 2020 (worked by hand in durability.rules.test.ts):
 * departures after 366 (twice) and 1,096 days; last seen after 731 and 2,192 days; one silent.
 * Two businesses, one closed after 365 days.
 */
const HOUSEHOLDS: TestHousehold[] = [
	{
		contact: '2019-06-01',
		installedOn: '2020-01-01',
		commune: '32013',
		status: 'freelancer',
		leftOn: '2021-01-01'
	},
	{
		contact: '2019-06-02',
		installedOn: '2020-01-01',
		commune: '32013',
		status: 'freelancer',
		lastSignOfLifeAt: '2022-01-01T15:00:00Z',
		businessCreatedOn: '2021-03-01',
		businessClosedOn: '2022-03-01'
	},
	{
		contact: '2019-06-03',
		installedOn: '2020-01-01',
		commune: '32013',
		status: 'founder',
		leftOn: '2023-01-01'
	},
	{ contact: '2019-06-04', installedOn: '2020-01-01', commune: '32013', status: 'founder' },
	{
		contact: '2019-06-05',
		installedOn: '2020-01-01',
		commune: '32013',
		lastSignOfLifeAt: '2026-01-01T08:00:00Z',
		businessCreatedOn: '2020-02-01'
	},
	{ contact: '2019-06-06', installedOn: '2020-01-01', commune: '32013', leftOn: '2021-01-01' },
	// Not installed: not on the curves.
	{ contact: '2024-01-01' }
];

describeEachDb('observatory: durability', (ctx) => {
	test('the residence curve of six households matches the hand computation on the database', async () => {
		// Hand-computed figures of a few households, read as a committee member or funder: the
		// minimum cell size is off here (disclosure.service.test.ts tests it).
		const { actors, programme, caseIds } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, {
			minCellSize: 1
		});
		await seedObservatoryProgramme(ctx.db, HOUSEHOLDS.slice(0, 1), { slug: 'lot', departements: ['46'] });
		// The household last seen on 1 January 2026 said in that survey that it had left: the
		// departure awaits an advisor, so the curve keeps it until then, and the page says so.
		await ctx.db.insert(departureReportsTable).values({
			programmeId: programme.id,
			caseId: caseIds[4],
			reportedOn: '2026-01-01',
			status: 'pending'
		});
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.committee), section: 'durability' },
			{ db: ctx.db, now: NOW }
		);
		const curve = data.residence.overall;
		expect(curve).toMatchObject({ n: 6, events: 3, withoutFollowUp: 1 });
		expect(data.residence.pendingDepartures).toBe(1);
		expect(data.business.pendingDepartures).toBe(0);
		expect(curve.steps.map((s) => [Math.round(s.time * 365.25), s.nRisk, s.nEvent, s.survival])).toEqual([
			[0, 6, 0, 1],
			[366, 5, 2, 0.6],
			[731, 3, 0, 0.6],
			[1096, 2, 1, 0.3],
			[2192, 1, 0, 0.3]
		]);
		expect(curve.rates.map((r) => r.survival)).toEqual([1, 0.6, 0.3]);
		expect(curve.rates[2].lower).toBeCloseTo(0.0123, 4);
		expect(curve.rates[2].upper).toBeCloseTo(0.7192, 4);
		expect(curve.median).toBe(1096 / 365.25);
		// Statuses of fewer than five households are pooled; the unknown one too.
		expect(data.residence.byStatus.groups.map((g) => [g.key, g.curve.n])).toEqual([['pooled', 6]]);
		expect(data.residence.byStatus.testNote).toBe('single_group');
		// Businesses: one closed after 365 days, one last seen 2026-01-01.
		expect(data.business.overall).toMatchObject({ n: 2, events: 1 });
		expect(data.business.overall.rates[0].survival).toBe(0.5);
		expect(JSON.stringify(data)).not.toMatch(/NaN|Infinity/);
	});

	test('filters select the households of a cohort or a status', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const viewer = observatoryViewerOf(actors.advisor);
		const founders = await getObservatorySection(
			{ viewer, section: 'durability', input: { status: 'founder' } },
			{ db: ctx.db, now: NOW }
		);
		expect(founders.data.residence.overall).toMatchObject({ n: 2, events: 1 });
		const cohort = await getObservatorySection(
			{ viewer, section: 'durability', input: { cohort: 2021 } },
			{ db: ctx.db, now: NOW }
		);
		expect(cohort.data.residence.overall.note).toBe('empty');
	});
	test('on the database, two clearly different statuses differ by log-rank; two identical ones do not', async () => {
		const household = (
			i: number,
			status: 'freelancer' | 'founder' | 'artist',
			leaves: boolean
		): TestHousehold => ({
			contact: `2019-0${(i % 9) + 1}-01`,
			installedOn: '2020-01-01',
			commune: '32013',
			status,
			...(leaves ? { leftOn: `2020-0${(i % 9) + 1}-15` } : { lastSignOfLifeAt: '2025-06-01T10:00:00Z' })
		});
		const { actors } = await seedObservatoryProgramme(ctx.db, [
			...Array.from({ length: 6 }, (_, i) => household(i, 'freelancer', true)),
			...Array.from({ length: 6 }, (_, i) => household(i, 'founder', false)),
			// Artists: three leave as the freelancers do, three stay as the founders do.
			...Array.from({ length: 6 }, (_, i) => household(i, 'artist', i < 3))
		]);
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.advisor), section: 'durability' },
			{ db: ctx.db, now: NOW }
		);
		const { byStatus } = data.residence;
		expect(byStatus.groups.map((g) => [g.key, g.curve.n, g.curve.events])).toEqual([
			['freelancer', 6, 6],
			['founder', 6, 0],
			['artist', 6, 3]
		]);
		expect(byStatus.test).toMatchObject({ df: 2, significant: true });
		expect(byStatus.test!.pValue).toBeLessThan(0.01);

		const identical = await seedObservatoryProgramme(
			ctx.db,
			[
				...Array.from({ length: 6 }, (_, i) => household(i, 'freelancer', i % 2 === 0)),
				...Array.from({ length: 6 }, (_, i) => household(i, 'founder', i % 2 === 0))
			],
			{ slug: 'lot', departements: ['46'] }
		);
		const same = await getObservatorySection(
			{ viewer: observatoryViewerOf(identical.actors.advisor), section: 'durability' },
			{ db: ctx.db, now: NOW }
		);
		expect(same.data.residence.byStatus.test!.chiSquare).toBeCloseTo(0, 10);
		expect(same.data.residence.byStatus.test!.pValue).toBeCloseTo(1, 8);
		expect(same.data.residence.byStatus.test!.significant).toBe(false);
	});
});
