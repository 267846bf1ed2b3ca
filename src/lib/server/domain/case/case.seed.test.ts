import { count, eq, sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { casesTable, personsTable, usersTable } from '../../db/schema/index.ts';
import { listMyTasks } from './case-tasks.service.ts';
import { DEMO_INSTALLATIONS_PER_YEAR, DEMO_OTHER_TEXTS } from './case.seed-data.ts';
import { createCaseDemoSeedStep, generateDemoCases } from './case.seed.ts';
import { listCases } from './case.service.ts';
import { rowCounts, setupCaseProgrammes } from './case.test-utils.ts';

const config = parseConfig({ NODE_ENV: 'test' });

describeEachDb('case demo seed', (ctx) => {
	const setup = () => setupCaseProgrammes(ctx.db);

	test('the demo seed is reproducible and its installations per year follow the published shape', async () => {
		const { programme, villages, actors, db } = await setup();
		await db
			.update(usersTable)
			.set({ email: 'advisor@demo.soho.example' })
			.where(eq(usersTable.id, actors.advisor.userId));
		await db
			.update(usersTable)
			.set({ email: 'committee@demo.soho.example' })
			.where(eq(usersTable.id, actors.committee.userId));
		const now = new Date('2026-05-15T12:00:00Z');
		const step = createCaseDemoSeedStep({ now: () => now });
		const lines: string[] = [];
		// Its speed is measured by `npm run bench`, never asserted here.
		await step.run({ db, config, programme, log: (line) => lines.push(line) });
		expect(lines[0]).toMatch(/^Demo cases: \d+ households/);

		const first = await rowCounts(db);
		// A second generation from the same seed gives the same data (ids aside).
		const context = {
			programmeId: programme.id,
			programmeSlug: 'gers',
			installCommunes: [
				{ code: '32435', villageId: villages.simorre.id },
				{ code: '32412', villageId: villages.samatan.id }
			],
			villageIds: [villages.simorre.id, villages.samatan.id],
			committeeVillageIds: [villages.simorre.id],
			advisorId: actors.advisor.userId,
			candidateUserId: null,
			now
		};
		const strip = (data: ReturnType<typeof generateDemoCases>) => ({
			cases: data.cases.map((c) => [c.reference, c.stage, c.installedOn, c.source, c.leftOn]),
			persons: data.persons.map((p) => [p.firstName, p.lastName, p.birthYear, p.originCountry]),
			counts: [data.stageChanges.length, data.activities.length, data.tasks.length, data.targets.length]
		});
		expect(strip(generateDemoCases(context))).toEqual(strip(generateDemoCases(context)));
		expect(first.cases).toBe(generateDemoCases(context).cases.length);
		expect(first.stageChanges).toBe(generateDemoCases(context).stageChanges.length);

		const perYear = await db
			.select({ year: sql<number>`extract(year from ${casesTable.installedOn})`.mapWith(Number), n: count() })
			.from(casesTable)
			.where(sql`${casesTable.installedOn} is not null`)
			.groupBy(sql`1`)
			.orderBy(sql`1`);
		const installs = Object.fromEntries(perYear.map((row) => [row.year, Number(row.n)]));
		expect([installs[2008], installs[2009], installs[2010]]).toEqual([19, 32, 41]);
		expect(installs[2017]).toBe(11);
		expect(installs).toEqual(DEMO_INSTALLATIONS_PER_YEAR);

		const [{ people, households }] = await db
			.select({
				people: count(),
				households: sql<number>`count(distinct ${personsTable.caseId})`.mapWith(Number)
			})
			.from(personsTable)
			.innerJoin(casesTable, eq(casesTable.id, personsTable.caseId))
			.where(sql`${casesTable.installedOn} is not null`);
		expect(Number(people) / households).toBeGreaterThan(2.2);
		expect(Number(people) / households).toBeLessThan(2.7);
		const [{ abroad, all }] = await db
			.select({
				abroad: sql<number>`count(*) filter (where ${personsTable.originCountry} <> 'FR')`.mapWith(Number),
				all: count()
			})
			.from(personsTable)
			.where(eq(personsTable.householdRole, 'candidate'));
		expect(abroad / Number(all)).toBeGreaterThan(0.12);
		expect(abroad / Number(all)).toBeLessThan(0.28);
		const stages = await db
			.select({ stage: casesTable.stage, n: count() })
			.from(casesTable)
			.groupBy(casesTable.stage);
		const byStage = Object.fromEntries(stages.map((s) => [s.stage, Number(s.n)]));
		expect(byStage.abandoned).toBeGreaterThan(300);
		expect(byStage.left_territory).toBeGreaterThan(5);
		expect(byStage.contact + byStage.qualified + byStage.discovery_visit + byStage.installing).toBe(15);
		// Open cases shared with the committee member's village are visible to them.
		const committeeCases = await listCases({ actor: actors.committee }, { db });
		expect(committeeCases.total).toBeGreaterThan(0);
		const { tasks } = await listMyTasks({ actor: actors.advisor, on: '2026-05-15' }, { db: ctx.db });
		expect(tasks.length).toBeGreaterThan(0);
	});
});

test('the demo has texts typed as "other" to map, on persons the observatory does not count or already "other"', () => {
	const data = generateDemoCases({
		programmeId: 'prg_demo',
		programmeSlug: 'gers',
		installCommunes: [{ code: '32435', villageId: null }],
		villageIds: [],
		committeeVillageIds: [],
		advisorId: null,
		candidateUserId: null,
		now: new Date('2026-05-15T12:00:00Z')
	});
	const typed = (field: 'sectorOther' | 'statusOther' | 'originAreaOther') =>
		data.persons.filter((person) => person[field]);
	expect(typed('sectorOther').map((p) => [p.householdRole, p.sector, p.sectorOther])).toEqual(
		DEMO_OTHER_TEXTS.sector.map((text) => ['partner', 'other', text])
	);
	expect(typed('statusOther').map((p) => [p.status, p.statusOther])).toEqual(
		DEMO_OTHER_TEXTS.status.map((text) => ['other', text])
	);
	expect(typed('originAreaOther').map((p) => [p.householdRole, p.originArea, p.originAreaOther])).toEqual(
		DEMO_OTHER_TEXTS.origin.map((text) => ['partner', 'other', text])
	);
	// Every candidate's origin is a region or abroad with a country, as the observatory reads it.
	for (const person of data.persons.filter((p) => p.householdRole === 'candidate')) {
		expect(person.originArea === 'abroad').toBe(person.originCountry !== 'FR');
	}
});
