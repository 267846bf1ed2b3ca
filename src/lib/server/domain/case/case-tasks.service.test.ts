import { count } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { tasksTable } from '../../db/schema/index.ts';
import { expectDomainError, expectIssues } from '../../testing/expectations.ts';
import { completeTask, createTask, listMyTasks } from './case-tasks.service.ts';
import { applyOn, setupCaseProgrammes } from './case.test-utils.ts';

describeEachDb('case tasks', (ctx) => {
	const setup = () => setupCaseProgrammes(ctx.db);
	const apply = applyOn(ctx);

	test("tasks appear on the assignee's day until they are done", async () => {
		const { actors, programme, db } = await setup();
		const { case: kase } = await apply(programme.id);
		const { task } = await createTask(
			{ actor: actors.advisor, input: { caseId: kase.id, title: 'Rappeler', dueOn: '2030-03-01' } },
			{ db }
		);
		await createTask(
			{ actor: actors.advisor, input: { title: 'Préparer le salon', dueOn: '2030-03-09' } },
			{ db }
		);
		await createTask({ actor: actors.admin, input: { title: 'Pour l’admin', dueOn: '2030-03-01' } }, { db });
		const day = await listMyTasks({ actor: actors.advisor, on: '2030-03-02' }, { db });
		expect(day.tasks.map((t) => [t.title, t.caseReference])).toEqual([['Rappeler', kase.reference]]);
		await completeTask({ actor: actors.advisor, taskId: task.id }, { db });
		expect((await listMyTasks({ actor: actors.advisor, on: '2030-03-02' }, { db })).tasks).toEqual([]);
		await expectDomainError(
			completeTask({ actor: actors.otherAdvisor, taskId: task.id }, { db }),
			'case.task_not_found'
		);
		await expectDomainError(
			createTask({ actor: actors.committee, input: { title: 'x' } }, { db }),
			'case.forbidden'
		);
		expect(
			await expectIssues(
				createTask({ actor: actors.advisor, input: { title: ' ', dueOn: '2030-13-45' } }, { db })
			)
		).toEqual([
			{ field: 'title', code: 'case.task_title_required' },
			{ field: 'dueOn', code: 'case.invalid_date' }
		]);
		expect(Number((await db.select({ n: count() }).from(tasksTable))[0].n)).toBe(3);
	});
});
