/** Staff tasks, for a case or not: creating, completing, "my day" and the tasks of a case. */
import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Task } from '../../db/schema/index.ts';
import { parseInput } from '../../validation.ts';
import {
	findOpenTasksOfAssignee,
	findTaskById,
	insertTask,
	markTaskDone,
	findTasksOfCase,
	type TaskWithCase
} from './case-tasks.repository.ts';
import { caseTaskNotFound } from './case.errors.ts';
import { assertStaff } from './case.permissions.ts';
import { findUserNames } from './case.repository.ts';
import { createTaskSchema, taskIdSchema, type CreateTaskInput } from './case.schemas.ts';
import { type Deps, isoDay, loadVisibleCase, assertStaffUser } from './case.shared.ts';

/** A task, for a case or not; assigned to the actor unless said otherwise. Staff only. */
export async function createTask(
	{ actor, input }: { actor: Actor; input: CreateTaskInput },
	{ db }: Deps
): Promise<{ task: Task }> {
	assertStaff(actor);
	const data = parseInput(createTaskSchema, input);
	const assigneeId = data.assigneeId === undefined ? actor.userId : data.assigneeId;
	return db.transaction(async (tx) => {
		if (data.caseId) await loadVisibleCase({ actor, caseId: data.caseId }, { db: tx });
		if (assigneeId) await assertStaffUser({ programmeId: actor.programmeId, userId: assigneeId }, { db: tx });
		const task = await insertTask({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				caseId: data.caseId ?? null,
				title: data.title,
				dueOn: data.dueOn ?? null,
				assigneeId,
				createdBy: actor.userId
			}
		});
		return { task };
	});
}

/** Marks a task done (once: completing it again keeps the first date). Staff only. */
export async function completeTask(
	{ actor, taskId }: { actor: Actor; taskId: string },
	{ db, now = new Date() }: Deps
): Promise<{ task: Task }> {
	assertStaff(actor);
	if (!v.is(taskIdSchema, taskId)) throw caseTaskNotFound({ taskId });
	const task = await findTaskById({ db, programmeId: actor.programmeId, taskId });
	if (!task) throw caseTaskNotFound({ taskId });
	return { task: await markTaskDone({ db, taskId, at: now }) };
}

/** "My day": the actor's open tasks due on `on` (default today) or before, then undated ones. */
export async function listMyTasks(
	{ actor, on }: { actor: Actor; on?: string },
	{ db, now = new Date() }: Deps
): Promise<{ tasks: TaskWithCase[] }> {
	assertStaff(actor);
	const day = on && /^\d{4}-\d{2}-\d{2}$/.test(on) ? on : isoDay(now);
	return {
		tasks: await findOpenTasksOfAssignee({
			db,
			programmeId: actor.programmeId,
			assigneeId: actor.userId,
			on: day
		})
	};
}

/** The actor's open tasks of one case, then its done tasks. Staff only. */
export async function listCaseTasks(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ tasks: Task[]; assignees: Record<string, string> }> {
	const { kase } = await loadVisibleCase({ actor, caseId }, { db });
	assertStaff(actor);
	const tasks = await findTasksOfCase({ db, programmeId: actor.programmeId, caseId: kase.id });
	const assignees = await findUserNames({
		db,
		programmeId: actor.programmeId,
		userIds: tasks.flatMap((task) => (task.assigneeId ? [task.assigneeId] : []))
	});
	return { tasks, assignees };
}
