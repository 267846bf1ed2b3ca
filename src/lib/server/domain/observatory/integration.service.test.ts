import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { SurveyAnswers } from '../../db/schema/index.ts';
import { observatoryViewerOf } from './observatory.context.ts';
import { getObservatorySection } from './observatory.service.ts';
import { insertTestSurvey, seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';

const NOW = new Date('2026-11-26T09:00:00Z');

const survey = insertTestSurvey;

const HOUSEHOLDS: TestHousehold[] = [
	// A: freelancer, "no" at intake and at 12 months; business still running.
	{
		contact: '2023-10-01',
		installedOn: '2024-01-15',
		commune: '32013',
		status: 'freelancer',
		wouldMoveWithoutProgramme: 'no',
		businessCreatedOn: '2024-03-01'
	},
	// B: "yes" at intake, "no" at 12 months; business closed.
	{
		contact: '2023-11-01',
		installedOn: '2024-03-01',
		commune: '32013',
		status: 'founder',
		wouldMoveWithoutProgramme: 'yes',
		businessCreatedOn: '2024-05-01',
		businessClosedOn: '2025-06-01'
	},
	// C: "not sure" both times; did not answer at 6 months.
	{ contact: '2023-12-01', installedOn: '2024-02-01', commune: '32107', wouldMoveWithoutProgramme: 'unsure' },
	// D: "no" at intake, answered at 6 months only.
	{ contact: '2025-01-01', installedOn: '2025-06-01', commune: '32107', wouldMoveWithoutProgramme: 'no' },
	// E: invited at 6 months this month, not answered yet (open).
	{ contact: '2025-10-01', installedOn: '2026-05-26', commune: '32107' },
	// F: never installed: its intake answer is not counted.
	{ contact: '2025-03-01', wouldMoveWithoutProgramme: 'no' }
];

describeEachDb('observatory: integration and local development', (ctx) => {
	const setup = async () => {
		// Hand-computed figures of a few households, read as a committee member or funder: the
		// minimum cell size is off here (disclosure.service.test.ts tests it).
		const seeded = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, { minCellSize: 1 });
		const [a, b, c, d, e] = seeded.caseIds;
		const on = (caseId: string, index: number, waveMonths: number, answers?: SurveyAnswers) =>
			survey(ctx.db, {
				programmeId: seeded.programme.id,
				caseId,
				installedOn: HOUSEHOLDS[index].installedOn!,
				waveMonths,
				answers
			});
		await on(a, 0, 6, {
			living_here: 'yes',
			business_active: 'yes',
			local_clients_share: 'under_25',
			jobs_created: 2,
			associations_joined: 1,
			partner_job: 'local',
			children_schooling: 'well',
			satisfaction: 5,
			intention_to_stay: 'yes',
			// A custom question of the programme: ignored.
			q_custom: 'peu importe'
		});
		await on(a, 0, 12, {
			would_move_without_programme: 'no',
			satisfaction: 4,
			jobs_created: 3,
			local_clients_share: 'none',
			intention_to_stay: 'unsure'
		});
		await on(b, 1, 6, {
			business_active: 'no',
			local_clients_share: 'over_75',
			jobs_created: 0,
			associations_joined: 0,
			partner_job: 'no_partner',
			children_schooling: 'no_children',
			satisfaction: 3,
			intention_to_stay: 'no'
		});
		// An answer that is not a number (from an older custom question) is ignored.
		await on(b, 1, 12, { would_move_without_programme: 'no', jobs_created: 'abc', satisfaction: 2 });
		await on(c, 2, 6);
		await on(c, 2, 12, { would_move_without_programme: 'unsure' });
		// A value outside the options is ignored.
		await on(d, 3, 6, { partner_job: 'seeking', local_clients_share: 'bogus', satisfaction: 4 });
		await on(e, 4, 6);
		// Another programme's answers never count.
		const other = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS.slice(0, 1), {
			slug: 'lot',
			departements: ['46']
		});
		await survey(ctx.db, {
			programmeId: other.programme.id,
			caseId: other.caseIds[0],
			installedOn: HOUSEHOLDS[0].installedOn!,
			waveMonths: 6,
			answers: { satisfaction: 1, jobs_created: 40 }
		});
		return seeded;
	};

	test('each wave gives its response rate and the answers of the households, unknown keys and values ignored', async () => {
		const { actors } = await setup();
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.advisor), section: 'integration' },
			{ db: ctx.db, now: NOW }
		);
		expect(data.waves.map((w) => w.waveMonths)).toEqual([6, 12, 24, 36, 60]);
		const six = data.waves[0];
		expect(six).toMatchObject({ invited: 5, answered: 3, open: 1 });
		expect(six.responseRate.proportion).toBe(0.6);
		expect(six.localClients).toMatchObject({ successes: 2, total: 2 });
		expect(six.localClientsDistribution.filter((d) => d.count > 0)).toEqual([
			{ value: 'under_25', count: 1 },
			{ value: 'over_75', count: 1 }
		]);
		expect(six.jobsCreated).toMatchObject({ answers: 2, sum: 2, perHousehold: 1 });
		expect(six.jobsCreated.atLeastOne).toMatchObject({ successes: 1, total: 2 });
		expect(six.associations).toMatchObject({ answers: 2, sum: 1, perHousehold: 0.5 });
		// Households with a partner: A (local job) and D (looking for one).
		expect(six.partnerJob).toMatchObject({ successes: 1, total: 2 });
		expect(six.partnerJobLocal).toMatchObject({ successes: 1, total: 2 });
		expect(six.childrenSchooling).toMatchObject({ successes: 1, total: 1 });
		expect(six.intentionToStay).toMatchObject({ successes: 1, total: 2 });
		expect(six.satisfaction.mean).toBe(4);
		expect(six.satisfaction.satisfied).toMatchObject({ successes: 2, total: 3 });
		expect(six.businessActive).toMatchObject({ successes: 1, total: 2 });
		expect(six.livingHere).toMatchObject({ successes: 1, total: 1 });
		const twelve = data.waves[1];
		expect(twelve).toMatchObject({ invited: 3, answered: 3, open: 0 });
		expect(twelve.jobsCreated).toMatchObject({ answers: 1, sum: 3 });
		expect(twelve.satisfaction.mean).toBe(3);
		expect(data.waves[2]).toMatchObject({ invited: 0, answered: 0 });
		expect(data.waves[2].responseRate.proportion).toBeNull();
		expect(data.businesses.created).toBe(2);
		expect(data.businesses.active).toMatchObject({ successes: 1, total: 2 });
		expect(data.householdsInvited).toBe(5);
		expect(JSON.stringify(data)).not.toMatch(/NaN|Infinity/);
	});

	test('attribution: "no" at intake and at 12 months with Wilson intervals, and how paired households changed', async () => {
		const { actors } = await setup();
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.committee), section: 'integration' },
			{ db: ctx.db, now: NOW }
		);
		const { intake, atWave, paired } = data.attribution;
		// Installed households only: A no, B yes, C unsure, D no (F was never installed).
		expect(intake.distribution).toEqual([
			{ value: 'yes', count: 1 },
			{ value: 'no', count: 2 },
			{ value: 'unsure', count: 1 }
		]);
		expect(intake.decisive.proportion).toBe(0.5);
		// Wilson 95 % of 2/4 (R: prop.test(2, 4, correct = FALSE)$conf.int = 0.1500 0.8500).
		expect(intake.decisive.lower).toBeCloseTo(0.15, 4);
		expect(intake.decisive.upper).toBeCloseTo(0.85, 4);
		expect(atWave.total).toBe(3);
		expect(atWave.decisive).toMatchObject({ successes: 2, total: 3 });
		// A no → no, B yes → no, C unsure → unsure.
		expect(paired).toMatchObject({ n: 3, unchanged: 2, changed: 1, becameNo: 1, leftNo: 0 });
		expect(paired.matrix.find((row) => row.intake === 'yes')!.counts).toEqual([
			{ later: 'yes', count: 0 },
			{ later: 'no', count: 1 },
			{ later: 'unsure', count: 0 }
		]);
		expect(paired.intakeDecisive).toMatchObject({ successes: 1, total: 3 });
		expect(paired.waveDecisive).toMatchObject({ successes: 2, total: 3 });
	});

	test('only the answers of the filtered households count', async () => {
		const { actors } = await setup();
		const { data } = await getObservatorySection(
			{
				viewer: observatoryViewerOf(actors.advisor),
				section: 'integration',
				input: { status: 'freelancer' }
			},
			{ db: ctx.db, now: NOW }
		);
		expect(data.waves[0]).toMatchObject({ invited: 1, answered: 1 });
		expect(data.waves[0].satisfaction.mean).toBe(5);
		expect(data.attribution.intake.total).toBe(1);
		expect(data.attribution.paired.n).toBe(1);
		expect(data.businesses.created).toBe(1);
		// A period counts the invitations due in its years.
		const period = await getObservatorySection(
			{
				viewer: observatoryViewerOf(actors.advisor),
				section: 'integration',
				input: { from: 2026, to: 2026 }
			},
			{ db: ctx.db, now: NOW }
		);
		expect(period.data.waves[0]).toMatchObject({ invited: 1, answered: 0, open: 1 });
		// Intake answers of the households installed in the period: none installed in 2026 answered.
		expect(period.data.attribution.intake.total).toBe(0);
		const year2025 = await getObservatorySection(
			{
				viewer: observatoryViewerOf(actors.advisor),
				section: 'integration',
				input: { from: 2025, to: 2025 }
			},
			{ db: ctx.db, now: NOW }
		);
		expect(year2025.data.attribution.intake.distribution.find((d) => d.value === 'no')?.count).toBe(1);
		expect(year2025.data.attribution.intake.total).toBe(1);
	});

	test('a programme without surveys gives empty waves and no proportion, never NaN', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, []);
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.advisor), section: 'integration' },
			{ db: ctx.db, now: NOW }
		);
		expect(data.waves.every((w) => w.invited === 0 && w.responseRate.proportion === null)).toBe(true);
		expect(data.attribution.intake.decisive.proportion).toBeNull();
		expect(JSON.stringify(data)).not.toMatch(/NaN|Infinity/);
	});
});
