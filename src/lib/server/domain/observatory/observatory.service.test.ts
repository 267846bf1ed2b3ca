import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { isDomainError } from '../../errors.ts';
import { ValidationError } from '../../validation.ts';
import { loadObservatory, observatoryViewerOf } from './observatory.context.ts';
import { getObservatorySection } from './observatory.service.ts';
import { seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';

const NOW = new Date('2026-11-26T09:00:00Z');

/** Six households whose figures are worked out by hand in the tests below. */
const HOUSEHOLDS: TestHousehold[] = [
	// A: installed in 2024 with a partner and two children, business created.
	{
		contact: '2024-01-10',
		stages: { qualified: '2024-01-20', discovery_visit: '2024-03-01' },
		installedOn: '2024-06-01',
		commune: '32013',
		partners: 1,
		children: 2,
		status: 'freelancer',
		sector: 'Informatique',
		pcs: '37',
		birthYear: 1985,
		originCountry: 'FR',
		originArea: 'ile_de_france',
		businessCreatedOn: '2024-07-01'
	},
	// B: by phone, installed in 2025 without a discovery visit, left in 2026.
	{
		source: 'phone',
		contact: '2024-05-05',
		stages: { qualified: '2024-05-15' },
		installedOn: '2025-02-01',
		commune: '32107',
		leftOn: '2026-03-01',
		status: 'employee_teleworking',
		birthYear: 1995,
		originCountry: 'NL',
		advisor: 'marc'
	},
	// C: qualified, then abandoned.
	{
		contact: '2025-01-01',
		stages: { qualified: '2025-01-11', abandoned: '2025-04-01' },
		abandonedReason: 'Pas de logement',
		status: 'freelancer',
		birthYear: 1970
	},
	// D: met at a fair, abandoned at contact.
	{
		source: 'fair',
		contact: '2025-06-01',
		stages: { abandoned: '2025-07-01' },
		abandonedReason: 'Pas de logement '
	},
	// E: an open contact of this year, nobody holds it.
	{ contact: '2026-02-01', advisor: null },
	// F: installed in 2023 as a couple; business closed in 2025.
	{
		contact: '2023-03-01',
		installedOn: '2023-09-01',
		commune: '32013',
		partners: 1,
		status: 'founder',
		birthYear: 1980,
		businessCreatedOn: '2023-10-01',
		businessClosedOn: '2025-10-01'
	}
];

describeEachDb('observatory: flows, funnel and profiles', (ctx) => {
	test('flows count each event once per year, with cumulative totals and the households present at year end', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		// Another programme's households are never counted.
		await seedObservatoryProgramme(ctx.db, HOUSEHOLDS.slice(0, 3), { slug: 'lot', departements: ['46'] });
		const viewer = observatoryViewerOf(actors.advisor);
		const { data: flows } = await getObservatorySection(
			{ viewer, section: 'flows' },
			{ db: ctx.db, now: NOW }
		);
		expect(flows.period).toEqual({ from: 2023, to: 2026 });
		const column = (key: keyof (typeof flows.years)[number]) => flows.years.map((year) => year[key]);
		expect(column('year')).toEqual([2023, 2024, 2025, 2026]);
		expect(column('contacts')).toEqual([1, 2, 2, 1]);
		expect(column('cumulativeContacts')).toEqual([1, 3, 5, 6]);
		expect(column('qualified')).toEqual([0, 2, 1, 0]);
		expect(column('discoveryVisits')).toEqual([0, 1, 0, 0]);
		expect(column('installations')).toEqual([1, 1, 1, 0]);
		expect(column('personsInstalled')).toEqual([2, 4, 1, 0]);
		expect(column('cumulativePersonsInstalled')).toEqual([2, 6, 7, 7]);
		expect(column('departures')).toEqual([0, 0, 0, 1]);
		expect(column('abandonments')).toEqual([0, 0, 2, 0]);
		expect(column('businessesCreated')).toEqual([1, 1, 0, 0]);
		expect(column('householdsPresentAtYearEnd')).toEqual([1, 2, 3, 2]);
		expect(column('businessesActiveAtYearEnd')).toEqual([1, 2, 1, 1]);
		expect(flows.totals).toMatchObject({ contacts: 6, installations: 3, personsInstalled: 7, departures: 1 });
		expect(flows.today).toEqual({ households: 2, persons: 6, activeBusinesses: 1 });
	});

	test('a period keeps cumulative totals from the first record and counts only its own years', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const { data: flows } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.admin), section: 'flows', input: { from: '2025', to: 2025 } },
			{ db: ctx.db, now: NOW }
		);
		expect(flows.years).toHaveLength(1);
		expect(flows.years[0]).toMatchObject({
			year: 2025,
			contacts: 2,
			cumulativeContacts: 5,
			installations: 1
		});
		expect(flows.totals.contacts).toBe(2);
	});

	test('the funnel follows the contacts of the period to installation, by source and by advisor', async () => {
		const { actors, users } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const { data: funnel } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.advisor), section: 'funnel', input: { from: 2024, to: 2025 } },
			{ db: ctx.db, now: NOW }
		);
		expect(funnel.steps.map((s) => [s.stage, s.count])).toEqual([
			['contact', 4],
			['qualified', 3],
			// B skipped the discovery visit but was installed: it counts as having passed it.
			['discovery_visit', 2],
			['installing', 2],
			['installed', 2]
		]);
		expect(funnel.steps[1].fromPrevious?.proportion).toBe(0.75);
		expect(funnel.steps[4].fromContact.proportion).toBe(0.5);
		// Wilson 95 % interval of 2/4 (R: prop.test(2, 4, correct = FALSE)$conf.int = 0.1500 0.8500).
		expect(funnel.steps[4].fromContact.lower).toBeCloseTo(0.15, 4);
		expect(funnel.steps[4].fromContact.upper).toBeCloseTo(0.85, 4);
		const duration = (from: string, to: string) =>
			funnel.durations.find((d) => d.from === from && d.to === to)!.summary;
		expect(duration('contact', 'qualified')).toMatchObject({ n: 3, medianDays: 10 });
		// A: 20 Jan → 1 Jun 2024 = 133 days; B: 15 May 2024 → 1 Feb 2025 = 262 days.
		expect(duration('qualified', 'installed')).toMatchObject({ n: 2, medianDays: 197.5 });
		expect(duration('contact', 'installed')).toMatchObject({ n: 2, medianDays: 207.5 });
		const source = (key: string) => funnel.bySource.find((line) => line.key === key)!;
		expect(source('web_form')).toMatchObject({ contacts: 2 });
		expect(source('web_form').installed.proportion).toBe(0.5);
		expect(source('phone').installed.proportion).toBe(1);
		expect(source('fair').installed.proportion).toBe(0);
		expect(funnel.byAdvisor.map((line) => [funnel.advisorNames[line.key], line.contacts])).toEqual([
			['Claire', 3],
			['Marc', 1]
		]);
		expect(funnel.advisorNames[users.claire.id]).toBe('Claire');
		// Reasons are counted as typed, blanks around them ignored.
		expect(funnel.abandonmentReasons).toEqual([{ reason: 'Pas de logement', count: 2, share: 1 }]);
		expect(funnel.abandonedAtStage).toEqual([
			{ stage: 'contact', count: 1 },
			{ stage: 'qualified', count: 1 }
		]);
		expect(funnel.stillOpen).toBe(0);
	});

	test('profiles give shares among contacts and among installations, unknown values apart', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const { data: profiles } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.advisor), section: 'profiles', input: { from: 2024, to: 2025 } },
			{ db: ctx.db, now: NOW }
		);
		expect(profiles.contacts).toBe(4);
		expect(profiles.installations).toBe(2);
		const table = (dimension: string) => profiles.tables.find((t) => t.dimension === dimension)!;
		const status = table('status');
		expect(status.unknownContacts).toBe(1);
		expect(status.rows.find((r) => r.value === 'freelancer')).toMatchObject({
			contacts: 2,
			installations: 1,
			installationsShare: 0.5
		});
		expect(status.rows.find((r) => r.value === 'freelancer')!.contactsShare).toBeCloseTo(2 / 3, 10);
		expect(table('household_kind').rows.map((r) => [r.value, r.contacts])).toEqual([
			['single', 3],
			['with_children', 1]
		]);
		// Age at first contact: A 39 (30–39), B 29 (under 30), C 55 (50–59).
		expect(table('age_band').rows.map((r) => [r.value, r.contacts])).toEqual([
			['under_30', 1],
			['30_39', 1],
			['50_59', 1]
		]);
		expect(
			table('origin')
				.rows.map((r) => r.value)
				.sort()
		).toEqual(['NL', 'ile_de_france']);
		expect(profiles.fromAbroad).toEqual({ count: 1, known: 2 });
		expect(table('pcs_group').rows).toEqual([
			{ value: '3', contacts: 1, contactsShare: 1, installations: 1, installationsShare: 1 }
		]);
	});

	test('filters select households by source, cohort, status and commune', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const viewer = observatoryViewerOf(actors.advisor);
		const load = (input: Record<string, string | number>) =>
			loadObservatory({ viewer, input }, { db: ctx.db, now: NOW });
		expect((await load({ source: 'web_form' })).cases).toHaveLength(4);
		expect((await load({ cohort: 2024 })).cases).toHaveLength(1);
		expect((await load({ status: 'freelancer' })).cases).toHaveLength(2);
		const commune = await load({ commune: '32013' });
		expect(commune.cases).toHaveLength(2);
		expect(commune.isFiltered).toBe(true);
		expect((await load({ sector: 'informatique' })).cases).toHaveLength(1);
	});

	test('bad filters are refused with the name of the filter', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const viewer = observatoryViewerOf(actors.advisor);
		const issues = async (input: Record<string, string>) => {
			try {
				await loadObservatory({ viewer, input }, { db: ctx.db, now: NOW });
			} catch (error) {
				if (error instanceof ValidationError) return error.issues;
				throw error;
			}
			throw new Error('accepted');
		};
		expect(await issues({ from: '19' })).toEqual([{ field: 'from', code: 'observatory.invalid_from' }]);
		expect(await issues({ commune: 'Auch' })).toEqual([
			{ field: 'commune', code: 'observatory.invalid_commune' }
		]);
		expect(await issues({ source: 'tv' })).toEqual([{ field: 'source', code: 'observatory.invalid_source' }]);
		expect((await issues({ from: '2026', to: '2024' }))[0].code).toBe('observatory.invalid_period');
	});

	test('committee members read aggregated figures without the advisors; other roles are refused', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const { data: funnel } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.committee), section: 'funnel' },
			{ db: ctx.db, now: NOW }
		);
		expect(funnel.byAdvisor).toEqual([]);
		expect(funnel.advisorNames).toEqual({});
		expect(funnel.steps[0].count).toBe(6);
		for (const actor of [actors.partner, actors.member, actors.candidate, null]) {
			let code = '';
			try {
				observatoryViewerOf(actor);
			} catch (error) {
				if (isDomainError(error)) code = error.code;
			}
			expect(code).toBe('observatory.forbidden');
		}
	});

	test('an empty programme gives zeros and no proportion, never NaN', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, []);
		const viewer = observatoryViewerOf(actors.advisor);
		const flows = await getObservatorySection({ viewer, section: 'flows' }, { db: ctx.db, now: NOW });
		expect(flows.data.years).toEqual([expect.objectContaining({ year: 2026, contacts: 0 })]);
		const funnel = await getObservatorySection({ viewer, section: 'funnel' }, { db: ctx.db, now: NOW });
		expect(funnel.data.steps[0].fromContact.proportion).toBeNull();
		expect(JSON.stringify(funnel.data)).not.toContain('NaN');
		const profiles = await getObservatorySection({ viewer, section: 'profiles' }, { db: ctx.db, now: NOW });
		expect(profiles.data.tables.every((t) => t.rows.length === 0)).toBe(true);
	});
});
