import { count, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	auditEntriesTable,
	caseActivitiesTable,
	caseMergesTable,
	casesTable,
	caseStageChangesTable,
	caseTargetVillagesTable,
	personsTable,
	tasksTable
} from '../../db/schema/index.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { listCaseAudit } from '../audit/audit.service.ts';
import { addPerson } from './case-household.service.ts';
import { createCase } from './case-intake.service.ts';
import { getMergePreview, mergeCases, mergePersons, resolveMergedCase } from './case-merge.service.ts';
import { moveCaseToStage } from './case-pipeline.service.ts';
import { createTask } from './case-tasks.service.ts';
import { getCase, getTimeline } from './case.service.ts';
import { application, applyOn, householdApplication, setupCommitteeProgrammes } from './case.test-utils.ts';

const config = parseConfig({ NODE_ENV: 'test' });

describeEachDb('case duplicates and merge', (ctx) => {
	const setup = () => setupCommitteeProgrammes(ctx.db);
	const apply = applyOn(ctx, householdApplication);

	test('merging two cases keeps all their history, merges the same person and leads the old link to the kept case', async () => {
		const { db, programme, actors, villages } = await setup();
		const keep = await apply(programme.id);
		const { case: absorb } = await createCase(
			{
				actor: actors.advisor,
				input: {
					firstName: 'Helene',
					lastName: 'Garnier',
					birthYear: '1988',
					phone: '0699999999',
					profession: 'Illustratrice',
					originCountry: 'BE',
					languages: ['fr', 'nl'],
					children: [{ age: '3' }],
					villages: ['samatan'],
					howHeard: 'Salon',
					note: 'Rencontrée au salon'
				}
			},
			{ db, config }
		);
		expect(absorb.possibleDuplicateOf).toBe(keep.case.id);
		await moveCaseToStage({ actor: actors.advisor, caseId: absorb.id, stage: 'qualified' }, { db });
		await createTask({ actor: actors.advisor, input: { caseId: absorb.id, title: 'Rappeler' } }, { db });
		const tableCounts = async () => ({
			activities: Number((await db.select({ n: count() }).from(caseActivitiesTable))[0].n),
			stageChanges: Number((await db.select({ n: count() }).from(caseStageChangesTable))[0].n),
			tasks: Number((await db.select({ n: count() }).from(tasksTable))[0].n),
			audit: Number((await db.select({ n: count() }).from(auditEntriesTable))[0].n),
			persons: Number((await db.select({ n: count() }).from(personsTable))[0].n)
		});
		const before = await tableCounts();
		const preview = await getMergePreview(
			{ actor: actors.advisor, keepCaseId: keep.case.id, absorbCaseId: absorb.id },
			{ db }
		);
		expect(preview.pairs).toEqual([
			{ keepPersonId: keep.persons[0].id, absorbPersonId: preview.absorb.persons[0].id }
		]);

		const { case: merged, moved } = await mergeCases(
			{ actor: actors.advisor, keepCaseId: keep.case.id, absorbCaseId: absorb.id },
			{ db }
		);
		// Samatan's committee was told about the absorbed case: that mail follows it too.
		expect(moved).toMatchObject({ case_activities: 3, case_stage_changes: 2, tasks: 1, mail_messages: 2 });
		const after = await tableCounts();
		// One more timeline entry (the merge), the same stage changes and tasks, one person fewer (merged).
		expect(after.activities).toBe(before.activities + 1);
		expect(after.stageChanges).toBe(before.stageChanges);
		expect(after.tasks).toBe(before.tasks);
		expect(after.persons).toBe(before.persons - 1);
		expect(after.audit).toBeGreaterThan(before.audit);
		expect(await db.select().from(casesTable).where(eq(casesTable.id, absorb.id))).toEqual([]);
		// The kept case keeps its values and fills its blanks.
		expect(merged).toMatchObject({ stage: 'contact', howHeard: 'Salon', possibleDuplicateOf: null });
		const { persons } = await getCase({ actor: actors.advisor, caseId: keep.case.id }, { db });
		const candidate = persons.find((p) => p.householdRole === 'candidate')!;
		expect(candidate).toMatchObject({
			firstName: 'Hélène',
			email: 'helene.garnier@example.org',
			phone: '+33612345678',
			profession: 'Graphiste',
			originCountry: 'BE'
		});
		expect(candidate.languages.sort()).toEqual(['fr', 'nl']);
		expect(persons.filter((p) => p.householdRole === 'child')).toHaveLength(2);
		const targets = await db
			.select()
			.from(caseTargetVillagesTable)
			.where(eq(caseTargetVillagesTable.caseId, keep.case.id));
		expect(targets.map((t) => t.villageId).sort()).toEqual([villages.simorre.id, villages.samatan.id].sort());
		const timeline = await getTimeline({ actor: actors.advisor, caseId: keep.case.id }, { db });
		expect(timeline.activities.map((a) => a.summary)).toContain(`Fusionné avec ${absorb.reference}`);
		expect(timeline.activities.map((a) => a.body)).toContain('Rencontrée au salon');
		// The absorbed case's history now hangs off the kept case, with what it held.
		const { entries } = await listCaseAudit({ actor: actors.admin, caseId: keep.case.id }, { db });
		expect(
			entries
				.filter((e) => e.entityId === absorb.id)
				.map((e) => e.action)
				.sort()
		).toEqual(['create', 'merge', 'stage_change'].sort());
		expect(entries.find((e) => e.entityId === absorb.id && e.action === 'merge')!.before).toMatchObject({
			reference: absorb.reference,
			howHeard: 'Salon'
		});
		expect(await resolveMergedCase({ actor: actors.advisor, key: absorb.id }, { db })).toEqual({
			caseId: keep.case.id
		});
		expect(await resolveMergedCase({ actor: actors.advisor, key: absorb.reference }, { db })).toEqual({
			caseId: keep.case.id
		});
		expect(await resolveMergedCase({ actor: actors.otherAdvisor, key: absorb.id }, { db })).toBeNull();
		expect(await db.select().from(caseMergesTable)).toHaveLength(1);
		// No row of any table still points at the absorbed case.
		const result = await db.execute(
			`select cl.relname as t, a.attname as c from pg_constraint k join pg_class cl on cl.oid = k.conrelid join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey) where k.contype = 'f' and k.confrelid = 'cases'::regclass` as never
		);
		for (const row of (result as unknown as { rows: { t: string; c: string }[] }).rows) {
			const found = await db.execute(
				`select count(*)::int as n from "${row.t}" where "${row.c}" = '${absorb.id}'` as never
			);
			expect((found as unknown as { rows: { n: number }[] }).rows[0].n, `${row.t}.${row.c}`).toBe(0);
		}
	});

	test('a merge across programmes, with itself or by a committee member is refused and writes nothing', async () => {
		const { db, programme, other, actors } = await setup();
		const mine = await apply(programme.id);
		const theirs = await apply(other.id, application({ villages: [] }));
		await expectDomainError(
			mergeCases({ actor: actors.advisor, keepCaseId: mine.case.id, absorbCaseId: theirs.case.id }, { db }),
			'case.not_found'
		);
		await expectDomainError(
			mergeCases(
				{ actor: actors.otherAdvisor, keepCaseId: theirs.case.id, absorbCaseId: mine.case.id },
				{ db }
			),
			'case.not_found'
		);
		await expectDomainError(
			mergeCases({ actor: actors.advisor, keepCaseId: mine.case.id, absorbCaseId: mine.case.id }, { db }),
			'case.merge_same'
		);
		const second = await apply(programme.id, application({ email: 'x@example.org', phone: '' }));
		await expectDomainError(
			mergeCases({ actor: actors.committee, keepCaseId: mine.case.id, absorbCaseId: second.case.id }, { db }),
			'case.forbidden'
		);
		expect(await db.select().from(caseMergesTable)).toEqual([]);
		expect(await db.select({ id: casesTable.id }).from(casesTable)).toHaveLength(3);
	});

	test('two persons of one household merge into one, the candidate role and blanks kept', async () => {
		const { db, programme, actors } = await setup();
		const { case: kase, persons } = await apply(programme.id);
		const { person: copy } = await addPerson(
			{
				actor: actors.advisor,
				caseId: kase.id,
				input: { householdRole: 'other', firstName: 'Hélène', lastName: 'Garnier', sector: 'Webdesign' }
			},
			{ db }
		);
		const { person } = await mergePersons(
			{ actor: actors.advisor, caseId: kase.id, keepPersonId: copy.id, absorbPersonId: persons[0].id },
			{ db }
		);
		expect(person).toMatchObject({
			householdRole: 'candidate',
			sector: 'digital',
			email: 'helene.garnier@example.org'
		});
		const other = await apply(programme.id, application({ email: 'y@example.org', phone: '' }));
		await expectDomainError(
			mergePersons(
				{
					actor: actors.advisor,
					caseId: kase.id,
					keepPersonId: copy.id,
					absorbPersonId: other.persons[0].id
				},
				{ db }
			),
			'case.merge_persons_other_case'
		);
	});
});
