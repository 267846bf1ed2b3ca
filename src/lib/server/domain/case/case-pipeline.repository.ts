import { and, count, eq, gte, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { casesTable, tasksTable } from '../../db/schema/index.ts';

/** Every query here filters by programme_id. */

/** Cases per stage in a programme. */
export async function countCasesByStage({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<Record<string, number>> {
	const rows = await db
		.select({ stage: casesTable.stage, n: count() })
		.from(casesTable)
		.where(eq(casesTable.programmeId, programmeId))
		.groupBy(casesTable.stage);
	return Object.fromEntries(rows.map((row) => [row.stage, Number(row.n)]));
}

/** Open tasks due before `day` in a programme, for everyone and for one assignee. */
export async function countOverdueTasks({
	db,
	programmeId,
	day,
	assigneeId
}: {
	db: Db;
	programmeId: string;
	day: string;
	assigneeId: string;
}): Promise<{ all: number; mine: number }> {
	const [row] = await db
		.select({
			all: count(),
			mine: sql<number>`count(*) filter (where ${tasksTable.assigneeId} = ${assigneeId})`.mapWith(Number)
		})
		.from(tasksTable)
		.where(
			and(
				eq(tasksTable.programmeId, programmeId),
				isNull(tasksTable.doneAt),
				isNotNull(tasksTable.dueOn),
				lt(tasksTable.dueOn, day)
			)
		);
	return { all: Number(row?.all ?? 0), mine: Number(row?.mine ?? 0) };
}

/** Cases opened since `since`, all sources and from the web form. */
export async function countCasesCreatedSince({
	db,
	programmeId,
	since
}: {
	db: Db;
	programmeId: string;
	since: Date;
}): Promise<{ all: number; webForm: number }> {
	const [row] = await db
		.select({
			all: count(),
			webForm: sql<number>`count(*) filter (where ${casesTable.source} = 'web_form')`.mapWith(Number)
		})
		.from(casesTable)
		.where(and(eq(casesTable.programmeId, programmeId), gte(casesTable.createdAt, since)));
	return { all: Number(row?.all ?? 0), webForm: Number(row?.webForm ?? 0) };
}
