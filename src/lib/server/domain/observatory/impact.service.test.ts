import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { isDomainError } from '../../errors.ts';

import { getImpactAssumptions, saveImpactAssumptions } from './impact.service.ts';
import { DEFAULT_IMPACT_ASSUMPTIONS, meanHouseholdIncome } from './impact.rules.ts';
import type { ImpactAssumptionsInput } from './impact.schemas.ts';
import { observatoryViewerOf } from './observatory.context.ts';
import { getObservatorySection } from './observatory.service.ts';
import { seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';
import { expectIssues } from '../../testing/expectations.ts';

const NOW = new Date('2026-11-26T09:00:00Z');

/** Three installed households (cohorts 2023, 2024, 2025) and one that never settled. */
const HOUSEHOLDS: TestHousehold[] = [
	// 2023: a couple; its business closed in October 2025.
	{
		contact: '2023-03-01',
		installedOn: '2023-09-01',
		commune: '32013',
		partners: 1,
		businessCreatedOn: '2023-10-01',
		businessClosedOn: '2025-10-01'
	},
	// 2024: four persons, a business still active.
	{
		contact: '2024-01-10',
		installedOn: '2024-06-01',
		commune: '32013',
		partners: 1,
		children: 2,
		businessCreatedOn: '2024-07-01'
	},
	// 2025: alone, left in March 2026.
	{ contact: '2024-05-05', installedOn: '2025-02-01', commune: '32107', leftOn: '2026-03-01' },
	// Never installed.
	{ contact: '2025-01-01', stages: { qualified: '2025-01-11' } }
];

const OWN_ASSUMPTIONS: ImpactAssumptionsInput = {
	incomeBands: [{ label: 'Tous', sharePercent: '100', annualIncome: '30 000' }],
	localSpendingPercent: '50',
	localMultiplier: '1,5',
	jobsPerBusiness: 2,
	jobsPerHousehold: '0',
	sources: {
		incomeBands: 'Enquête du programme 2025',
		localSpendingPercent: 'Enquête du programme 2025',
		localMultiplier: 'Étude LM3 du territoire',
		jobsPerBusiness: 'Suivi des entreprises créées',
		jobsPerHousehold: 'Hypothèse prudente : aucun emploi induit'
	}
};

async function codeOf(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (err) {
		if (isDomainError(err)) return err.code;
		throw err;
	}
	return null;
}

describeEachDb('observatory: economic impact calculator', (ctx) => {
	test('with the default assumptions, each cohort counts the households present today and the formula gives the hand-computed euros and jobs', async () => {
		// Hand-computed figures of a few households, read as a committee member or funder: the
		// minimum cell size is off here (disclosure.service.test.ts tests it).
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, { minCellSize: 1 });
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.committee), section: 'impact' },
			{ db: ctx.db, now: NOW }
		);
		expect(data.assumptions.isDefault).toBe(true);
		// 25 % × 15 000 + 40 % × 27 500 + 25 % × 42 500 + 10 % × 60 000
		expect(data.result.meanHouseholdIncome).toBe(31_375);
		expect(data.result.referenceDate).toBe('2026-11-26');
		expect(data.result.cohorts).toEqual([
			{
				cohort: 2023,
				households: 1,
				persons: 2,
				activeBusinesses: 0,
				annualIncome: 31_375,
				localSpending: 12_550,
				localActivity: 16_315,
				jobsFromBusinesses: 0,
				jobsFromHouseholds: 0.1,
				jobs: 0.1
			},
			{
				cohort: 2024,
				households: 1,
				persons: 4,
				activeBusinesses: 1,
				annualIncome: 31_375,
				localSpending: 12_550,
				localActivity: 16_315,
				jobsFromBusinesses: 1,
				jobsFromHouseholds: 0.1,
				jobs: 1.1
			},
			// Everyone of 2025 has left: the cohort is shown, with nothing left.
			{
				cohort: 2025,
				households: 0,
				persons: 0,
				activeBusinesses: 0,
				annualIncome: 0,
				localSpending: 0,
				localActivity: 0,
				jobsFromBusinesses: 0,
				jobsFromHouseholds: 0,
				jobs: 0
			}
		]);
		expect(data.result.total).toEqual({
			households: 2,
			persons: 6,
			activeBusinesses: 1,
			annualIncome: 62_750,
			localSpending: 25_100,
			localActivity: 32_630,
			jobsFromBusinesses: 1,
			jobsFromHouseholds: 0.2,
			jobs: 1.2
		});
	});

	test('a period ending in 2025 counts the households present on 31 December 2025', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.advisor), section: 'impact', input: { to: 2025 } },
			{ db: ctx.db, now: NOW }
		);
		expect(data.result.referenceDate).toBe('2025-12-31');
		// The 2025 household had not left yet; the 2023 business had closed.
		expect(data.result.total).toMatchObject({
			households: 3,
			persons: 7,
			activeBusinesses: 1,
			annualIncome: 94_125,
			localSpending: 37_650,
			localActivity: 48_945,
			jobs: 1.3
		});
	});

	test('an admin saves the programme’s own assumptions with their sources and everyone reads the new result', async () => {
		// Hand-computed figures of a few households, read as a committee member or funder: the
		// minimum cell size is off here (disclosure.service.test.ts tests it).
		const { actors, users } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, { minCellSize: 1 });
		const saved = await saveImpactAssumptions(
			{ actor: actors.admin, input: OWN_ASSUMPTIONS },
			{ db: ctx.db, now: NOW }
		);
		expect(saved.isDefault).toBe(false);
		expect(saved.updatedByName).toBe(users.marc.name);
		expect(saved.updatedAt).toBe(NOW.toISOString());
		expect(saved.values.localMultiplier).toBe(1.5);
		expect(saved.values.incomeBands).toEqual([{ label: 'Tous', sharePercent: 100, annualIncome: 30_000 }]);
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.committee), section: 'impact' },
			{ db: ctx.db, now: NOW }
		);
		// 2 households × 30 000 € = 60 000 €; × 50 % = 30 000 €; × 1.5 = 45 000 €; 1 business × 2 jobs.
		expect(data.result.total).toMatchObject({
			annualIncome: 60_000,
			localSpending: 30_000,
			localActivity: 45_000,
			jobs: 2
		});
		expect(data.assumptions.values.sources.localMultiplier).toBe('Étude LM3 du territoire');
		expect(data.assumptions.updatedByName).toBeNull();
		expect(data.assumptions.updatedAt).toBe(NOW.toISOString());
		// Saving again replaces the row.
		await saveImpactAssumptions(
			{ actor: actors.admin, input: { ...OWN_ASSUMPTIONS, localMultiplier: 1.2 } },
			{ db: ctx.db, now: NOW }
		);
		const again = await getImpactAssumptions({ viewer: observatoryViewerOf(actors.advisor) }, { db: ctx.db });
		expect(again.values.localMultiplier).toBe(1.2);
	});

	test('invalid assumptions are refused with one error per field, naming it', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const issues = await expectIssues(
			saveImpactAssumptions(
				{
					actor: actors.admin,
					input: {
						...OWN_ASSUMPTIONS,
						incomeBands: [
							{ label: 'A', sharePercent: '60', annualIncome: '20000' },
							{ label: '', sharePercent: '30', annualIncome: 'beaucoup' }
						],
						localSpendingPercent: '140',
						localMultiplier: '0,5',
						jobsPerHousehold: '-1'
					}
				},
				{ db: ctx.db, now: NOW }
			)
		);
		expect(issues).toEqual(
			expect.arrayContaining([
				{ field: 'incomeBands.1.label', code: 'observatory_impact.invalid_band_label' },
				{ field: 'incomeBands.1.annualIncome', code: 'observatory_impact.invalid_band_income' },
				{ field: 'localSpendingPercent', code: 'observatory_impact.invalid_local_spending' },
				{ field: 'localMultiplier', code: 'observatory_impact.invalid_multiplier' },
				{ field: 'jobsPerHousehold', code: 'observatory_impact.invalid_jobs_per_household' }
			])
		);
		const shares = await expectIssues(
			saveImpactAssumptions(
				{
					actor: actors.admin,
					input: {
						...OWN_ASSUMPTIONS,
						incomeBands: [
							{ label: 'A', sharePercent: '60', annualIncome: '20000' },
							{ label: 'B', sharePercent: '30', annualIncome: '40000' }
						]
					}
				},
				{ db: ctx.db, now: NOW }
			)
		);
		expect(shares).toEqual([{ field: 'incomeBands', code: 'observatory_impact.shares_not_total' }]);
		// A changed assumption without its own source would keep the "illustrative" default source.
		const sources = await expectIssues(
			saveImpactAssumptions(
				{
					actor: actors.admin,
					input: { ...DEFAULT_IMPACT_ASSUMPTIONS, localMultiplier: '1,6', sources: {} }
				},
				{ db: ctx.db, now: NOW }
			)
		);
		expect(sources).toEqual([
			{ field: 'sources.localMultiplier', code: 'observatory_impact.source_required' }
		]);
		const unchanged = await getImpactAssumptions(
			{ viewer: observatoryViewerOf(actors.admin) },
			{ db: ctx.db }
		);
		expect(unchanged.isDefault).toBe(true);
	});

	test('advisors and committee members read the assumptions but cannot change them; other roles cannot read them', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		for (const actor of [actors.advisor, actors.committee]) {
			expect(
				await codeOf(saveImpactAssumptions({ actor, input: OWN_ASSUMPTIONS }, { db: ctx.db, now: NOW }))
			).toBe('observatory_impact.forbidden');
			const view = await getImpactAssumptions({ viewer: observatoryViewerOf(actor) }, { db: ctx.db });
			expect(view.values.localMultiplier).toBe(DEFAULT_IMPACT_ASSUMPTIONS.localMultiplier);
		}
		expect(
			await codeOf(
				saveImpactAssumptions({ actor: actors.partner, input: OWN_ASSUMPTIONS }, { db: ctx.db, now: NOW })
			)
		).toBe('observatory.forbidden');
		expect(await codeOf(Promise.resolve().then(() => observatoryViewerOf(actors.member)))).toBe(
			'observatory.forbidden'
		);
	});

	test('another programme’s assumptions are never seen nor changed', async () => {
		const gers = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const lot = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, { slug: 'lot', departements: ['46'] });
		await saveImpactAssumptions(
			{ actor: lot.actors.admin, input: OWN_ASSUMPTIONS },
			{ db: ctx.db, now: NOW }
		);
		const gersView = await getImpactAssumptions(
			{ viewer: observatoryViewerOf(gers.actors.admin) },
			{ db: ctx.db }
		);
		expect(gersView.isDefault).toBe(true);
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(gers.actors.advisor), section: 'impact' },
			{ db: ctx.db, now: NOW }
		);
		expect(data.result.meanHouseholdIncome).toBe(meanHouseholdIncome(DEFAULT_IMPACT_ASSUMPTIONS));
		const lotView = await getImpactAssumptions(
			{ viewer: observatoryViewerOf(lot.actors.admin) },
			{ db: ctx.db }
		);
		expect(lotView.values.localMultiplier).toBe(1.5);
	});
});
