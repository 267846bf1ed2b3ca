import { and, asc, desc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { casesTable, tasksTable, type Task } from '../../db/schema/index.ts';

/** Every query here filters by programme_id (directly or through the case it reads). */

export async function insertTask({
	db,
	values
}: {
	db: Db;
	values: typeof tasksTable.$inferInsert;
}): Promise<Task> {
	const [created] = await db.insert(tasksTable).values(values).returning();
	return created;
}

export async function findTaskById({
	db,
	programmeId,
	taskId
}: {
	db: Db;
	programmeId: string;
	taskId: string;
}): Promise<Task | null> {
	const [task] = await db
		.select()
		.from(tasksTable)
		.where(and(eq(tasksTable.programmeId, programmeId), eq(tasksTable.id, taskId)));
	return task ?? null;
}

export async function markTaskDone({ db, taskId, at }: { db: Db; taskId: string; at: Date }): Promise<Task> {
	const [task] = await db
		.update(tasksTable)
		.set({ doneAt: sql`coalesce(${tasksTable.doneAt}, ${at.toISOString()}::timestamptz)` })
		.where(eq(tasksTable.id, taskId))
		.returning();
	return task;
}

export type TaskWithCase = Task & { caseReference: string | null };

/** Open tasks of an assignee due on or before `on` (overdue first), then undated ones. */
export async function findOpenTasksOfAssignee({
	db,
	programmeId,
	assigneeId,
	on
}: {
	db: Db;
	programmeId: string;
	assigneeId: string;
	on: string;
}): Promise<TaskWithCase[]> {
	const rows = await db
		.select({ task: tasksTable, caseReference: casesTable.reference })
		.from(tasksTable)
		.leftJoin(casesTable, eq(casesTable.id, tasksTable.caseId))
		.where(
			and(
				eq(tasksTable.programmeId, programmeId),
				eq(tasksTable.assigneeId, assigneeId),
				isNull(tasksTable.doneAt),
				or(lte(tasksTable.dueOn, on), isNull(tasksTable.dueOn))
			)
		)
		.orderBy(sql`${tasksTable.dueOn} asc nulls last`, asc(tasksTable.createdAt));
	return rows.map((row) => ({ ...row.task, caseReference: row.caseReference }));
}

/** The tasks of a case: open ones first (by due date, undated last), then done ones, newest first. */
export async function findTasksOfCase({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
}): Promise<Task[]> {
	return db
		.select()
		.from(tasksTable)
		.where(and(eq(tasksTable.programmeId, programmeId), eq(tasksTable.caseId, caseId)))
		.orderBy(
			sql`${tasksTable.doneAt} is not null`,
			sql`${tasksTable.dueOn} asc nulls last`,
			desc(tasksTable.doneAt),
			asc(tasksTable.createdAt)
		);
}
