import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createRandom } from '../../../domain/random.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import { CASE_SOURCES, PERSON_STATUSES, type PersonStatus } from '../../db/schema/index.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';
import {
	getPublicResults,
	setMinCellSizeBySlug,
	updateMinCellSize
} from '../programme-settings/programme-settings.service.ts';
import { isHidden, isWithheldSection, numbersOf } from './disclosure.rules.ts';
import { exportObservatorySection } from './exports.service.ts';
import { computeObservatorySections, observatorySectionNames } from './observatory-report.service.ts';
import { observatoryViewerOf } from './observatory.context.ts';
import type { ObservatoryFiltersInput } from './observatory.schemas.ts';
import { getObservatorySection } from './observatory.service.ts';
import type { ObservatoryViewer } from './observatory.types.ts';
import { insertTestSurvey, seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const K = 5;
const COMMUNES = ['32013', '32107', '32160', '32410'] as const;
const COHORTS = [2021, 2022, 2023, 2024, 2025] as const;

/**
 * 60 synthetic households (seeded), and the household of the finding: the only business buyer
 * installed in 32410 in 2021, from Japan, in the IT sector, who answered the 12-month survey.
 */
function households(): TestHousehold[] {
	const random = createRandom(13);
	const list: TestHousehold[] = [];
	for (let i = 0; i < 60; i++) {
		const cohort = random.pick(COHORTS);
		const installed = random.chance(0.7);
		list.push({
			contact: `${cohort - 1}-${String(random.int(1, 12)).padStart(2, '0')}-10`,
			stages: random.chance(0.8) ? { qualified: `${cohort - 1}-12-20` } : {},
			...(installed
				? {
						installedOn: `${cohort}-${String(random.int(1, 12)).padStart(2, '0')}-05`,
						commune: random.pick(COMMUNES)
					}
				: {}),
			...(installed && random.chance(0.15) ? { leftOn: `${cohort + 1}-06-01` } : {}),
			source: random.pick(['web_form', 'phone', 'fair'] as const),
			// No business buyer among them: the one of the finding is unique.
			status: random.pick(PERSON_STATUSES.filter((s) => s !== 'business_buyer')) as PersonStatus,
			sector: random.pick(['Informatique', 'Artisanat', 'Formation']),
			pcs: random.pick(['37', '46', '54']),
			birthYear: random.int(1960, 1998),
			originCountry: 'FR',
			originArea: random.pick(['ile_de_france', 'occitanie'] as const),
			partners: random.int(0, 1),
			children: random.int(0, 2),
			wouldMoveWithoutProgramme: random.pick(['yes', 'no', 'unsure'] as const)
		});
	}
	list.push({
		contact: '2020-09-01',
		installedOn: '2021-03-01',
		commune: '32410',
		status: 'business_buyer',
		sector: 'Informatique',
		pcs: '23',
		birthYear: 1952,
		originCountry: 'JP',
		partners: 1,
		wouldMoveWithoutProgramme: 'no'
	});
	return list;
}

async function seed(db: Db) {
	const list = households();
	const seeded = await seedObservatoryProgramme(db, list);
	// The 12-month survey of every installed household, answered by most.
	for (const [i, household] of list.entries()) {
		if (!household.installedOn) continue;
		await insertTestSurvey(db, {
			programmeId: seeded.programme.id,
			caseId: seeded.caseIds[i],
			installedOn: household.installedOn,
			waveMonths: 12,
			answers:
				i % 4 === 3
					? undefined
					: {
							living_here: 'yes',
							intention_to_stay: i % 3 ? 'yes' : 'unsure',
							satisfaction: 4,
							jobs_created: 1
						}
		});
	}
	const funder: ObservatoryViewer = {
		programmeId: seeded.programme.id,
		kind: 'funder',
		userId: null,
		isAdmin: false
	};
	return { ...seeded, funder, committee: observatoryViewerOf(seeded.actors.committee) };
}

/** The attack of the finding: the filters that single out one household. */
const ATTACK: ObservatoryFiltersInput = { commune: '32410', cohort: '2021', status: 'business_buyer' };

/** Counts (by their field's name) that describe households: each must be 0, ≥ k or hidden. */
const COUNT_FIELDS = new Set([
	'contacts',
	'installations',
	'unknownContacts',
	'unknownInstallations',
	'count',
	'known',
	'households',
	'persons',
	'inTerritory',
	'outsideTerritory',
	'withoutCommune',
	'invited',
	'answered',
	'open',
	'successes',
	'total',
	'answers',
	'n',
	'events',
	'censored',
	'withoutFollowUp',
	'nRisk',
	'nEvent',
	'nCensor',
	'observed',
	'created',
	'householdsInvited',
	'qualified',
	'discoveryVisits',
	'personsInstalled',
	'members',
	'departures',
	'abandonments',
	'businessesCreated',
	'householdsPresentAtYearEnd',
	'businessesActiveAtYearEnd',
	'activeBusinesses',
	'stillOpen',
	'unchanged',
	'changed',
	'becameNo',
	'leftNo',
	'pendingDepartures',
	'inconsistent'
]);

/** Every count of a section that describes 1 to k−1 households, by path (should be none). */
function smallCounts(data: unknown, k: number): string[] {
	return numbersOf(data)
		.filter(({ path }) =>
			COUNT_FIELDS.has(
				path
					.split('.')
					.at(-1)!
					.replace(/\[\d+\]$/, '')
			)
		)
		.filter(({ value }) => !isHidden(value) && value > 0 && value < k)
		.map(({ path, value }) => `${path} = ${value}`);
}

type Cells = { name: string; cells: number[]; total: number };

/** The additive groups of a section a reader could subtract: a table's column and its total. */
function groupsOf(section: string, data: Record<string, unknown>): Cells[] {
	const groups: Cells[] = [];
	if (section === 'profiles') {
		const profiles = data as {
			contacts: number;
			installations: number;
			tables: {
				dimension: string;
				rows: { contacts: number; installations: number }[];
				unknownContacts: number;
				unknownInstallations: number;
			}[];
		};
		for (const table of profiles.tables) {
			groups.push({
				name: `${table.dimension}.contacts`,
				cells: [...table.rows.map((r) => r.contacts), table.unknownContacts],
				total: profiles.contacts
			});
			groups.push({
				name: `${table.dimension}.installations`,
				cells: [...table.rows.map((r) => r.installations), table.unknownInstallations],
				total: profiles.installations
			});
		}
	}
	if (section === 'geography') {
		const geography = data as { inTerritory: number; byCommune: { installations: number }[] };
		groups.push({
			name: 'byCommune',
			cells: geography.byCommune.map((c) => c.installations),
			total: geography.inTerritory
		});
	}
	if (section === 'flows') {
		const flows = data as { years: Record<string, number>[]; totals: Record<string, number> };
		for (const key of Object.keys(flows.totals))
			groups.push({ name: `flows.${key}`, cells: flows.years.map((y) => y[key]), total: flows.totals[key] });
	}
	if (section === 'funnel') {
		const funnel = data as {
			steps: { count: number }[];
			bySource: { contacts: number }[];
			abandonments: number;
			abandonmentReasons: { count: number }[];
		};
		groups.push({
			name: 'bySource',
			cells: funnel.bySource.map((l) => l.contacts),
			total: funnel.steps[0]?.count ?? 0
		});
		// An advisor's free-text reason never shows beside a hidden count.
		for (const row of funnel.abandonmentReasons as { reason: string | null; count: number }[])
			if (isHidden(row.count)) expect(row.reason).toBeNull();
		groups.push({
			name: 'abandonmentReasons',
			cells: funnel.abandonmentReasons.map((r) => r.count),
			total: funnel.abandonments
		});
	}
	return groups;
}

/** Groups whose total is shown while exactly one cell is hidden: that cell is the total minus the others. */
function recoverableGroups(section: string, data: Record<string, unknown>): string[] {
	return groupsOf(section, data)
		.filter((group) => !isHidden(group.total) && group.cells.filter(isHidden).length === 1)
		.map((group) => group.name);
}

describeEachDb('observatory minimum cell size', (ctx) => {
	test('a committee member asking for commune × cohort × status of one household gets no figure', async () => {
		const { committee } = await seed(ctx.db);
		for (const section of observatorySectionNames()) {
			await expectDomainError(
				getObservatorySection({ viewer: committee, section, input: ATTACK }, { db: ctx.db, now: NOW }),
				'observatory.too_few_households'
			);
		}
		// The exports read the same rule.
		await expectDomainError(
			exportObservatorySection(
				{ viewer: committee, section: 'profiles', format: 'csv', input: ATTACK, locale: 'fr' },
				{ db: ctx.db, now: NOW }
			),
			'observatory.too_few_households'
		);
	});

	test('a funder’s token gets no section describing the household, nor its 12-month answers', async () => {
		const { funder } = await seed(ctx.db);
		const { sections } = await computeObservatorySections(
			{ viewer: funder, input: ATTACK },
			{ db: ctx.db, now: NOW }
		);
		for (const name of observatorySectionNames()) {
			expect(sections[name], name).toEqual({ withheld: 'too_few_households', minCellSize: K });
		}
	});

	test('staff still read the household’s exact figures with the same filters', async () => {
		const { actors } = await seed(ctx.db);
		const { data } = await getObservatorySection(
			{ viewer: observatoryViewerOf(actors.advisor), section: 'profiles', input: ATTACK },
			{ db: ctx.db, now: NOW }
		);
		expect(data.installations).toBe(1);
		const origin = data.tables.find((t) => t.dimension === 'origin')!;
		expect(origin.rows).toEqual([expect.objectContaining({ value: 'JP', installations: 1 })]);
	});

	test('without filters, the committee reads profiles where the lone household from Japan is hidden, with its complement', async () => {
		const { committee } = await seed(ctx.db);
		const { data } = await getObservatorySection(
			{ viewer: committee, section: 'profiles' },
			{ db: ctx.db, now: NOW }
		);
		const origin = data.tables.find((t) => t.dimension === 'origin')!;
		const japan = origin.rows.find((r) => r.value === 'JP')!;
		expect(isHidden(japan.installations)).toBe(true);
		expect(isHidden(japan.installationsShare)).toBe(true);
		expect(smallCounts(data, K)).toEqual([]);
		expect(recoverableGroups('profiles', data)).toEqual([]);
	});

	test('the programme’s own minimum cell size applies (admins set it); 1 shows everything', async () => {
		const { actors, committee } = await seed(ctx.db);
		await updateMinCellSize({ actor: actors.admin, input: { minCellSize: '1' } }, { db: ctx.db });
		const { data } = await getObservatorySection(
			{ viewer: committee, section: 'profiles', input: ATTACK },
			{ db: ctx.db, now: NOW }
		);
		expect(data.installations).toBe(1);
		// The operator's command (`soho programme set gers min-cell-size 12`) sets the same field.
		await setMinCellSizeBySlug({ slug: 'gers', input: { minCellSize: '12' } }, { db: ctx.db });
		const { sections } = await computeObservatorySections(
			{ viewer: committee, sections: ['profiles'] },
			{ db: ctx.db, now: NOW }
		);
		const profiles = sections.profiles as Record<string, unknown>;
		expect(isWithheldSection(profiles)).toBe(false);
		expect(smallCounts(profiles, 12)).toEqual([]);
		expect(numbersOf(profiles).some(({ value }) => isHidden(value))).toBe(true);
		for (const bad of ['0', '51', 'cinq', '2.5'])
			expect(
				await expectIssuesByField(
					updateMinCellSize({ actor: actors.admin, input: { minCellSize: bad } }, { db: ctx.db })
				)
			).toEqual({ minCellSize: 'programme_settings.invalid_min_cell_size' });
		await expectDomainError(
			updateMinCellSize({ actor: actors.advisor, input: { minCellSize: '3' } }, { db: ctx.db }),
			'programme_settings.forbidden'
		);
	});

	test('for random filters, every count a committee member or funder reads is 0, ≥ k or hidden, and no hidden cell is the total minus the others', async () => {
		const { committee, funder } = await seed(ctx.db);
		const values = {
			commune: fc.constantFrom(...COMMUNES),
			cohort: fc.constantFrom(...COHORTS.map(String)),
			status: fc.constantFrom(...PERSON_STATUSES),
			source: fc.constantFrom(...CASE_SOURCES.slice(0, 3)),
			sector: fc.constantFrom('Informatique', 'Artisanat'),
			from: fc.constantFrom('2020', '2022', '2024'),
			to: fc.constantFrom('2024', '2025', '2026')
		};
		// Up to three filters at once: wide enough to leave figures, narrow enough to find small cells.
		const filters = fc
			.subarray(Object.keys(values) as (keyof typeof values)[], { maxLength: 3 })
			.chain((keys) => fc.record(Object.fromEntries(keys.map((key) => [key, values[key]]))));
		let sectionsRead = 0;
		let cellsHidden = 0;
		await fc.assert(
			fc.asyncProperty(filters, fc.boolean(), async (input: ObservatoryFiltersInput, asFunder) => {
				if (input.from && input.to && input.from > input.to) return;
				const viewer = asFunder ? funder : committee;
				const { sections } = await computeObservatorySections({ viewer, input }, { db: ctx.db, now: NOW });
				for (const [name, data] of Object.entries(sections)) {
					if (isWithheldSection(data)) continue;
					sectionsRead++;
					cellsHidden += numbersOf(data).filter(({ value }) => isHidden(value)).length;
					expect(smallCounts(data, K), `${name} ${JSON.stringify(input)}`).toEqual([]);
					expect(
						recoverableGroups(name, data as Record<string, unknown>),
						`${name} ${JSON.stringify(input)}`
					).toEqual([]);
				}
			}),
			{ numRuns: 25, seed: 13 }
		);
		// The property was checked on real figures, some of them hidden.
		expect(sectionsRead).toBeGreaterThan(20);
		expect(cellsHidden).toBeGreaterThan(0);
	});

	test('the home page hides "still here after 3 years" when those who left are fewer than k, and follows the programme’s k', async () => {
		const eight: TestHousehold[] = Array.from({ length: 8 }, (_, i) => ({
			contact: '2020-06-01',
			installedOn: '2021-05-01',
			commune: '32013',
			...(i < 2 ? { leftOn: '2023-01-01' } : {})
		}));
		const { programme, actors } = await seedObservatoryProgramme(ctx.db, eight);
		const before = await getPublicResults({ programmeId: programme.id }, { db: ctx.db, now: NOW });
		// 6 stayed, 2 left: 8 − 6 would tell the public that 2 households left.
		expect(before.installed3YearsAgo).toEqual({ value: 8, isHidden: false });
		expect(before.stillHereAfter3Years).toEqual({ value: null, isHidden: true, below: 5 });
		await updateMinCellSize({ actor: actors.admin, input: { minCellSize: '2' } }, { db: ctx.db });
		const after = await getPublicResults({ programmeId: programme.id }, { db: ctx.db, now: NOW });
		expect(after.stillHereAfter3Years).toEqual({ value: 6, isHidden: false });
	});
});
