import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { auditEntriesTable } from '../../db/schema/index.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';
import {
	getComparisonSettings,
	getComparisonSettingsBySlug,
	removeProgrammeBudget,
	setComparisonOptInBySlug,
	setProgrammeBudget,
	setProgrammeBudgetBySlug,
	updateComparisonOptIn
} from '../programme-settings/programme-comparison.service.ts';
import { updatePipeline } from '../programme-settings/programme-settings.service.ts';
import { findComparisonInputs } from './comparison.repository.ts';
import { comparisonInputsOf } from './comparison.rules.ts';
import { getProgrammeComparison } from './comparison.service.ts';
import { loadObservatory } from './observatory.context.ts';
import { installedStageKeys } from './observatory.rules.ts';
import { seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const SEEN = '2026-06-01T12:00:00Z';

/** The ten households of comparison.rules.test.ts (figures worked by hand there). */
const GERS: TestHousehold[] = [
	{ contact: '2020-01-01', installedOn: '2020-03-01', commune: '32013', leftOn: '2020-09-01' },
	{ contact: '2020-01-31', installedOn: '2020-03-01', commune: '32013', leftOn: '2021-09-01' },
	{ contact: '2020-02-10', installedOn: '2020-03-01', commune: '32013', lastSignOfLifeAt: SEEN },
	{ contact: '2020-02-20', installedOn: '2020-03-01', commune: '32013', lastSignOfLifeAt: SEEN },
	{ contact: '2020-01-21', installedOn: '2020-03-01', commune: '32013', lastSignOfLifeAt: SEEN },
	{ contact: '2020-01-11', installedOn: '2020-03-01', commune: '32013', leftOn: '2024-03-01' },
	{ contact: '2020-05-01', stages: { qualified: '2020-06-01' } },
	{ contact: '2020-05-02', stages: { qualified: '2020-06-01' } },
	{ contact: '2020-05-03' },
	{ contact: '2020-05-04' }
];
/** Three households: fewer than the default k (5). */
const LOT: TestHousehold[] = [
	{ contact: '2021-01-04', installedOn: '2021-04-01', commune: '46042' },
	{ contact: '2021-02-04', installedOn: '2021-05-01', commune: '46042' },
	{ contact: '2021-03-04' }
];

describeEachDb('observatory: comparison of programmes', (ctx) => {
	async function seed() {
		const gers = await seedObservatoryProgramme(ctx.db, GERS, { minCellSize: 3 });
		const lot = await seedObservatoryProgramme(ctx.db, LOT, { slug: 'lot', departements: ['46'] });
		const tarn = await seedObservatoryProgramme(ctx.db, GERS, { slug: 'tarn', departements: ['81'] });
		await updateComparisonOptIn(
			{ actor: gers.actors.admin, input: { isInComparison: 'on' } },
			{ db: ctx.db, now: NOW }
		);
		await setComparisonOptInBySlug(
			{ slug: 'lot', input: { isInComparison: 'on' } },
			{ db: ctx.db, now: NOW }
		);
		return { gers, lot, tarn };
	}

	test('staff of an opted-in programme see every opted-in programme by name, never the others', async () => {
		const { gers, lot, tarn } = await seed();
		for (const actor of [gers.actors.admin, gers.actors.advisor]) {
			const view = await getProgrammeComparison({ actor }, { db: ctx.db, now: NOW });
			expect(view.isOptedIn).toBe(true);
			expect(view.period).toEqual({ from: 2020, to: 2026 });
			expect(view.programmes.map((p) => [p.name, p.isOwn])).toEqual([
				['Programme gers', true],
				['Programme lot', false]
			]);
			expect(view.programmes.map((p) => p.id)).not.toContain(tarn.programme.id);
		}
		const fromLot = await getProgrammeComparison({ actor: lot.actors.advisor }, { db: ctx.db, now: NOW });
		expect(fromLot.programmes.map((p) => p.name)).toEqual(['Programme lot', 'Programme gers']);
		expect(fromLot.canOptIn).toBe(false);
	});

	test('a programme that did not opt in gets only the explanation; its admin may opt in', async () => {
		const { tarn } = await seed();
		const asAdmin = await getProgrammeComparison({ actor: tarn.actors.admin }, { db: ctx.db, now: NOW });
		expect(asAdmin).toMatchObject({ isOptedIn: false, canOptIn: true, programmes: [] });
		const asAdvisor = await getProgrammeComparison({ actor: tarn.actors.advisor }, { db: ctx.db, now: NOW });
		expect(asAdvisor).toMatchObject({ isOptedIn: false, canOptIn: false, programmes: [] });
		await expectDomainError(
			updateComparisonOptIn({ actor: tarn.actors.advisor, input: { isInComparison: 'on' } }, { db: ctx.db }),
			'programme_settings.forbidden'
		);
	});

	test('opting out takes the programme out of everyone’s comparison, and is audited', async () => {
		const { gers, lot } = await seed();
		const result = await updateComparisonOptIn(
			{ actor: gers.actors.admin, input: { isInComparison: 'off' } },
			{ db: ctx.db, now: NOW }
		);
		expect(result).toEqual({ isInComparison: false, inComparisonSince: null });
		expect(
			(await getProgrammeComparison({ actor: gers.actors.admin }, { db: ctx.db, now: NOW })).isOptedIn
		).toBe(false);
		const fromLot = await getProgrammeComparison({ actor: lot.actors.admin }, { db: ctx.db, now: NOW });
		expect(fromLot.programmes.map((p) => p.name)).toEqual(['Programme lot']);
		const audit = await ctx.db.select().from(auditEntriesTable);
		const comparison = audit.filter(
			(entry) => entry.programmeId === gers.programme.id && entry.after.section === 'comparison'
		);
		expect(comparison.map((entry) => entry.after.isInComparison)).toEqual(
			expect.arrayContaining([true, false])
		);
		expect(comparison).toHaveLength(2);
	});

	test('committee members, partners, members and candidates are refused', async () => {
		const { gers } = await seed();
		for (const actor of [
			gers.actors.committee,
			gers.actors.partner,
			gers.actors.member,
			gers.actors.candidate
		])
			await expectDomainError(
				getProgrammeComparison({ actor }, { db: ctx.db, now: NOW }),
				'observatory.forbidden'
			);
		await expectDomainError(
			getProgrammeComparison({ actor: null }, { db: ctx.db, now: NOW }),
			'observatory.forbidden'
		);
		await expectDomainError(
			getComparisonSettings({ actor: gers.actors.committee }, { db: ctx.db }),
			'programme_settings.forbidden'
		);
	});

	test('the figures computed on the database match the hand computation; small cells are withheld', async () => {
		const { gers } = await seed();
		await setProgrammeBudget(
			{ actor: gers.actors.admin, input: { year: '2020', amount: '120 000', note: 'Région + Leader' } },
			{ db: ctx.db }
		);
		await setProgrammeBudgetBySlug(
			{ slug: 'gers', input: { year: 2021, amount: '60000,00' } },
			{ db: ctx.db }
		);
		const view = await getProgrammeComparison({ actor: gers.actors.advisor }, { db: ctx.db, now: NOW });
		const [own, lot] = view.programmes;
		const f = own.comparison.figures;
		expect(f.applications.value).toBe(10);
		expect(f.installations.value).toBe(6);
		expect(f.conversion.value).toBe(0.6);
		expect(f.conversion.lower).toBeCloseTo(0.312674, 5);
		expect(f.time_to_installation).toMatchObject({ value: 35, lower: 22.5, upper: 47.5 });
		expect(f.retention_12.value).toBeCloseTo(5 / 6, 10);
		expect(f.retention_36.value).toBeCloseTo(2 / 3, 10);
		expect(f.cost_per_installation).toMatchObject({ state: 'shown', value: 3_000_000 });
		// Lot has 3 households and k = 5: every figure withheld, for its own staff too.
		expect(lot.comparison.isWithheld).toBe(true);
		expect(Object.values(lot.comparison.figures).map((figure) => [figure.state, figure.value])).toEqual(
			Array.from({ length: 7 }, () => ['withheld', null])
		);
		// A shorter period: the same period for every programme.
		const recent = await getProgrammeComparison(
			{ actor: gers.actors.advisor, input: { from: '2021', to: '2021' } },
			{ db: ctx.db, now: NOW }
		);
		expect(recent.period).toEqual({ from: 2021, to: 2021 });
		expect(recent.programmes[0].comparison.figures.applications.value).toBe(0);
		expect(recent.programmes[0].comparison.figures.cost_per_installation.state).toBe('not_observable');
	});

	test('budgets: set, replaced, listed, removed; bad input names its field; advisors may not change them', async () => {
		const { gers, lot } = await seed();
		const admin = gers.actors.admin;
		await setProgrammeBudget({ actor: admin, input: { year: '2025', amount: '250000' } }, { db: ctx.db });
		const { budget } = await setProgrammeBudget(
			{ actor: admin, input: { year: '2025', amount: '260 000.50', note: ' revised ' } },
			{ db: ctx.db }
		);
		expect(budget).toEqual({ year: 2025, amountCents: 26_000_050, note: 'revised' });
		expect((await getComparisonSettings({ actor: gers.actors.advisor }, { db: ctx.db })).budgets).toEqual([
			budget
		]);
		// Another programme's budgets are its own.
		expect((await getComparisonSettingsBySlug({ slug: 'lot' }, { db: ctx.db })).budgets).toEqual([]);
		expect((await getComparisonSettings({ actor: lot.actors.admin }, { db: ctx.db })).budgets).toEqual([]);
		expect(
			await expectIssuesByField(
				setProgrammeBudget({ actor: admin, input: { year: '25', amount: '-3' } }, { db: ctx.db })
			)
		).toEqual({
			year: 'programme_settings.invalid_budget_year',
			amount: 'programme_settings.invalid_budget_amount'
		});
		expect(
			await expectIssuesByField(
				setProgrammeBudget({ actor: admin, input: { year: 2025, amount: '2000000000' } }, { db: ctx.db })
			)
		).toEqual({ amount: 'programme_settings.invalid_budget_amount' });
		expect(
			await expectIssuesByField(
				updateComparisonOptIn({ actor: admin, input: { isInComparison: 'maybe' } }, { db: ctx.db })
			)
		).toEqual({ isInComparison: 'programme_settings.invalid_comparison' });
		await expectDomainError(
			setProgrammeBudget({ actor: gers.actors.advisor, input: { year: 2025, amount: 1 } }, { db: ctx.db }),
			'programme_settings.forbidden'
		);
		await removeProgrammeBudget({ actor: admin, input: { year: 2025 } }, { db: ctx.db });
		expect((await getComparisonSettings({ actor: admin }, { db: ctx.db })).budgets).toEqual([]);
		await expectDomainError(
			removeProgrammeBudget({ actor: admin, input: { year: 2025 } }, { db: ctx.db }),
			'programme_settings.budget_not_found'
		);
		const audit = (await ctx.db.select().from(auditEntriesTable)).filter(
			(entry) => entry.after.section === 'budget'
		);
		expect(audit.map((entry) => entry.after.amountCents)).toEqual(
			expect.arrayContaining([25_000_000, 26_000_050, null])
		);
	});

	test('the inputs read in SQL for every programme at once are those of the observatory’s own load', async () => {
		const { gers, lot } = await seed();
		// A programme whose pipeline adds "Arrivée" as an installation: households are installed by
		// entering that stage, with no installation date (withMilestoneEntries reads it so), or
		// 'installed' (with or without a date; the earliest entry counts).
		const aveyron = await seedObservatoryProgramme(
			ctx.db,
			[
				{ contact: '2021-12-31', stages: { qualified: '2022-01-15', arrivee: '2022-03-01' } },
				{ contact: '2022-01-01', stages: { arrivee: '2022-02-01' }, lastSignOfLifeAt: SEEN },
				{ contact: '2022-02-01', stages: { qualified: '2022-02-10', installed: '2022-04-01' } },
				{ contact: '2022-03-01', installedOn: '2022-05-01', stages: { installed: '2022-04-20' } },
				{ contact: '2022-04-01', installedOn: '2022-05-01', leftOn: '2022-04-01' },
				{ contact: '2023-01-01', stages: { qualified: '2023-02-01' } }
			],
			{ slug: 'aveyron', departements: ['12'] }
		);
		const stages = [
			['contact', 'Premier contact', 'First contact', 'contact'],
			['qualified', 'Qualifié', 'Qualified', 'qualified'],
			['discovery_visit', 'Visite', 'Visit', 'discovery'],
			['installing', 'En cours', 'Moving', 'installing'],
			['', 'Arrivée', 'Arrival', 'installed'],
			['installed', 'Installé', 'Settled', 'installed'],
			['integrated', 'Intégré', 'Integrated', 'integrated']
		].map(([key, labelFr, labelEn, milestone]) => ({ key, labelFr, labelEn, milestone }));
		await updatePipeline({ actor: aveyron.actors.admin, input: { stages } }, { db: ctx.db });

		const programmes = [gers, lot, aveyron].map(({ programme }) => programme.id);
		const read = await findComparisonInputs({
			db: ctx.db,
			programmes: await Promise.all(
				programmes.map(async (id) => {
					const context = await loadObservatory(
						{ viewer: { programmeId: id, kind: 'funder', userId: null, isAdmin: false } },
						{ db: ctx.db, now: NOW }
					);
					return { id, installedStages: installedStageKeys(context.pipeline.milestones) };
				})
			)
		});
		for (const id of programmes) {
			const context = await loadObservatory(
				{ viewer: { programmeId: id, kind: 'funder', userId: null, isAdmin: false } },
				{ db: ctx.db, now: NOW }
			);
			const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
			expect(read.get(id)).toEqual(comparisonInputsOf([...context.allCases].sort(byId)));
		}
		const ofAveyron = read.get(aveyron.programme.id)!;
		expect(ofAveyron.caseCount).toBe(6);
		expect([...ofAveyron.contactsByYear]).toEqual(
			expect.arrayContaining([
				[2021, 1],
				[2022, 4],
				[2023, 1]
			])
		);
		expect(
			ofAveyron.installed.map((kase) => kase.installedOn ?? kase.stageEntries.installed?.toISOString())
		).toEqual(
			expect.arrayContaining([
				'2022-05-01',
				'2022-05-01',
				'2022-03-01T10:00:00.000Z',
				'2022-02-01T10:00:00.000Z'
			])
		);
		expect(ofAveyron.installed).toHaveLength(5);

		// The reader's view is computed from these inputs: the Aveyron's staff see its own column.
		await setComparisonOptInBySlug(
			{ slug: 'aveyron', input: { isInComparison: 'on' } },
			{ db: ctx.db, now: NOW }
		);
		const view = await getProgrammeComparison({ actor: aveyron.actors.admin }, { db: ctx.db, now: NOW });
		expect(view.period).toEqual({ from: 2021, to: 2026 });
		expect(view.programmes.map((p) => p.name)).toEqual([
			'Programme aveyron',
			'Programme gers',
			'Programme lot'
		]);
		expect(view.programmes[0].comparison.figures.applications).toMatchObject({ state: 'shown', value: 6 });
	});
});
