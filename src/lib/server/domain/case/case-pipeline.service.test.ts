import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { caseStageChangesTable } from '../../db/schema/index.ts';
import { expectDomainError, expectIssues } from '../../testing/expectations.ts';
import { createCase, submitApplication } from './case-intake.service.ts';
import {
	getCaseBoard,
	getCaseDashboard,
	listAllowedStages,
	listStageMoves,
	moveCaseToStage
} from './case-pipeline.service.ts';
import { completeTask, createTask, listCaseTasks } from './case-tasks.service.ts';
import { addActivity, getCaseOptions, getTimeline, listCases } from './case.service.ts';
import { application, applyOn, setupCaseProgrammes } from './case.test-utils.ts';

const config = parseConfig({ NODE_ENV: 'test' });

describeEachDb('case pipeline, board and dashboard', (ctx) => {
	const setup = () => setupCaseProgrammes(ctx.db);
	const apply = applyOn(ctx);

	test('illegal stage moves are refused with a clear code, and installed needs the commune and date', async () => {
		const { actors, programme } = await setup();
		const { case: kase } = await apply(programme.id);
		const move = (input: Omit<Parameters<typeof moveCaseToStage>[0], 'actor' | 'caseId'>) =>
			moveCaseToStage({ actor: actors.advisor, caseId: kase.id, ...input }, { db: ctx.db });
		await expectDomainError(
			move({ stage: 'left_territory', leftOn: '2026-01-01', reason: 'x' }),
			'case.illegal_transition'
		);
		await expectDomainError(move({ stage: 'nowhere' }), 'case.unknown_stage');
		await move({ stage: 'installing' });
		await expectDomainError(move({ stage: 'contact', reason: 'x' }), 'case.illegal_transition');
		expect(await expectIssues(move({ stage: 'installed' }))).toEqual([
			{ field: 'installedCommuneCode', code: 'case.installed_commune_required' },
			{ field: 'installedOn', code: 'case.installed_on_required' }
		]);
		expect(
			await expectIssues(
				move({ stage: 'installed', installedCommuneCode: '99999', installedOn: '2026-02-01' })
			)
		).toEqual([{ field: 'installedCommuneCode', code: 'case.unknown_commune' }]);
		const { case: installed } = await move({
			stage: 'installed',
			installedCommuneCode: '32435',
			installedOn: '2026-02-01'
		});
		expect(installed).toMatchObject({
			stage: 'installed',
			installedCommuneCode: '32435',
			installedOn: '2026-02-01'
		});
		await expectDomainError(move({ stage: 'abandoned', reason: 'x' }), 'case.illegal_transition');
		const { case: left } = await move({ stage: 'left_territory', leftOn: '2026-09-01', reason: 'Isolement' });
		expect(left).toMatchObject({ stage: 'left_territory', leftOn: '2026-09-01', leftReason: 'Isolement' });
		const changes = await ctx.db
			.select()
			.from(caseStageChangesTable)
			.where(eq(caseStageChangesTable.caseId, kase.id))
			.orderBy(caseStageChangesTable.changedAt);
		expect(changes.map((c) => `${c.fromStage}>${c.toStage}`)).toEqual([
			'null>contact',
			'contact>installing',
			'installing>installed',
			'installed>left_territory'
		]);
	});

	test('the dashboard counts the open pipeline by stage, overdue tasks and the cases of the last 7 days', async () => {
		const { actors, programme, db } = await setup();
		const now = new Date('2030-03-10T09:00:00Z');
		const old = await submitApplication(
			{ programmeId: programme.id, input: application(), locale: 'fr' },
			{ db, config, now: new Date('2030-02-01T09:00:00Z') }
		);
		await submitApplication(
			{ programmeId: programme.id, input: application({ email: 'b@example.org', phone: '' }), locale: 'fr' },
			{ db, config, now: new Date('2030-03-08T09:00:00Z') }
		);
		await createCase(
			{ actor: actors.advisor, input: { firstName: 'Anaïs', lastName: 'Noguès' } },
			{ db, now: new Date('2030-03-09T09:00:00Z') }
		);
		await moveCaseToStage({ actor: actors.advisor, caseId: old.case.id, stage: 'qualified' }, { db, now });
		await createTask({ actor: actors.advisor, input: { title: 'En retard', dueOn: '2030-03-01' } }, { db });
		await createTask({ actor: actors.admin, input: { title: 'Aussi', dueOn: '2030-03-09' } }, { db });
		await createTask({ actor: actors.advisor, input: { title: 'Aujourd’hui', dueOn: '2030-03-10' } }, { db });
		const done = await createTask(
			{ actor: actors.advisor, input: { title: 'Fait', dueOn: '2030-03-02' } },
			{ db }
		);
		await completeTask({ actor: actors.advisor, taskId: done.task.id }, { db });

		const dashboard = await getCaseDashboard({ actor: actors.advisor }, { db, now });
		expect(dashboard.open).toEqual([
			{ stage: 'contact', count: 2 },
			{ stage: 'qualified', count: 1 },
			{ stage: 'discovery_visit', count: 0 },
			{ stage: 'installing', count: 0 }
		]);
		expect(dashboard.openTotal).toBe(3);
		expect(dashboard.closed.map((c) => c.stage)).toEqual([
			'installed',
			'integrated',
			'abandoned',
			'left_territory'
		]);
		expect(dashboard.overdueTasks).toEqual({ all: 2, mine: 1 });
		expect(dashboard.newCases).toMatchObject({ all: 2, webForm: 1 });
		// Another programme's advisor sees none of it; committee members have no dashboard.
		const elsewhere = await getCaseDashboard({ actor: actors.otherAdvisor }, { db, now });
		expect(elsewhere.openTotal).toBe(0);
		expect(elsewhere.overdueTasks).toEqual({ all: 0, mine: 0 });
		await expectDomainError(getCaseDashboard({ actor: actors.committee }, { db, now }), 'case.forbidden');
	});

	test('the back office gets the pipeline, staff, villages, allowed moves, a board and the tasks of a case', async () => {
		const { actors, programme, villages, db } = await setup();
		const a = await apply(programme.id);
		const b = await apply(
			programme.id,
			application({ email: 'b@example.org', phone: '', villages: ['samatan'] })
		);
		await moveCaseToStage({ actor: actors.advisor, caseId: b.case.id, stage: 'qualified' }, { db });
		await addActivity(
			{ actor: actors.advisor, caseId: a.case.id, kind: 'call', summary: 'Appel', occurredAt: '2030-01-01' },
			{ db }
		);
		await createTask(
			{ actor: actors.advisor, input: { caseId: a.case.id, title: 'Plus tard', dueOn: '2030-05-01' } },
			{ db }
		);
		const first = await createTask(
			{ actor: actors.advisor, input: { caseId: a.case.id, title: 'D’abord', dueOn: '2030-04-01' } },
			{ db }
		);
		await createTask({ actor: actors.admin, input: { caseId: a.case.id, title: 'Sans date' } }, { db });

		const options = await getCaseOptions({ actor: actors.advisor }, { db });
		expect(options.pipeline.stages).toContain('installed');
		expect(options.advisors.map((u) => u.name).sort()).toEqual([
			'admin@gers.example',
			'advisor@gers.example'
		]);
		expect(options.villages.map((v) => [v.slug, v.name])).toEqual([
			['samatan', 'Samatan'],
			['simorre', 'Simorre']
		]);
		expect(options.departements).toEqual(['32']);
		const committeeOptions = await getCaseOptions({ actor: actors.committee }, { db });
		expect(committeeOptions.villages.map((v) => v.id)).toEqual([villages.simorre.id]);
		expect(committeeOptions.advisors).toEqual([]);
		await expectDomainError(getCaseOptions({ actor: actors.partner }, { db }), 'case.forbidden');

		const allowed = await listAllowedStages(
			{ actor: actors.advisor, stages: ['contact', 'installed'] },
			{ db }
		);
		expect(allowed.contact).toEqual([
			'qualified',
			'discovery_visit',
			'installing',
			'installed',
			'integrated',
			'abandoned'
		]);
		expect(allowed.installed).toEqual(['installing', 'integrated', 'left_territory']);
		expect(await listAllowedStages({ actor: actors.committee, stages: ['contact'] }, { db })).toEqual({});

		const { columns } = await getCaseBoard({ actor: actors.advisor }, { db });
		expect(columns.map((c) => [c.stage, c.total])).toEqual([
			['contact', 1],
			['qualified', 1],
			['discovery_visit', 0],
			['installing', 0],
			['installed', 0],
			['integrated', 0],
			['abandoned', 0],
			['left_territory', 0]
		]);
		// The list shows each case's next task (earliest due date first).
		const { cases } = await listCases({ actor: actors.advisor, filters: { q: 'helene' } }, { db });
		expect(cases.find((c) => c.id === a.case.id)).toMatchObject({
			nextTaskTitle: 'D’abord',
			nextTaskDueOn: '2030-04-01'
		});
		const oldest = await listCases({ actor: actors.advisor, sort: 'oldest' }, { db });
		const recent = await listCases({ actor: actors.advisor }, { db });
		expect(oldest.cases.map((c) => c.id)).toEqual(recent.cases.map((c) => c.id).reverse());
		// Committee members see no staff task in the list.
		const committeeList = await listCases({ actor: actors.committee }, { db });
		expect(committeeList.cases.map((c) => [c.id, c.nextTaskTitle])).toEqual([[a.case.id, null]]);

		const { tasks, assignees } = await listCaseTasks({ actor: actors.advisor, caseId: a.case.id }, { db });
		expect(tasks.map((t) => t.title)).toEqual(['D’abord', 'Plus tard', 'Sans date']);
		expect(assignees[actors.admin.userId]).toBe('admin@gers.example');
		await completeTask({ actor: actors.advisor, taskId: first.task.id }, { db });
		const after = await listCaseTasks({ actor: actors.advisor, caseId: a.case.id }, { db });
		expect(after.tasks.map((t) => [t.title, t.doneAt !== null])).toEqual([
			['Plus tard', false],
			['Sans date', false],
			['D’abord', true]
		]);
		await expectDomainError(
			listCaseTasks({ actor: actors.committee, caseId: a.case.id }, { db }),
			'case.forbidden'
		);
		await expectDomainError(
			listCaseTasks({ actor: actors.otherAdvisor, caseId: a.case.id }, { db }),
			'case.not_found'
		);

		const { moves } = await listStageMoves({ actor: actors.advisor, caseId: b.case.id }, { db });
		expect(moves).toEqual([
			{ stage: 'contact', needs: ['reason'] },
			{ stage: 'discovery_visit', needs: [] },
			{ stage: 'installing', needs: [] },
			{ stage: 'installed', needs: ['installedCommuneCode', 'installedOn'] },
			{ stage: 'integrated', needs: ['installedCommuneCode', 'installedOn'] },
			{ stage: 'abandoned', needs: ['reason'] }
		]);
		await expectDomainError(
			listStageMoves({ actor: actors.committee, caseId: a.case.id }, { db }),
			'case.forbidden'
		);

		const timeline = await getTimeline({ actor: actors.advisor, caseId: a.case.id }, { db });
		expect(timeline.authors).toEqual({ [actors.advisor.userId]: 'advisor@gers.example' });
	});
});
