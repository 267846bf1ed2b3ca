import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { casesTable, tasksTable, membershipsTable, usersTable } from '../../db/schema/index.ts';

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** One line per advisor (advisorId null: cases nobody holds) and one total line (isTotal). */
export type FirstAnswerRow = {
	advisorId: string | null;
	isTotal: boolean;
	cases: number;
	answered: number;
	medianHours: number | null;
	p90Hours: number | null;
	/** Cases still waiting for a first answer, and since when the oldest waits. */
	waiting: number;
	oldestWaitingSince: Date | null;
};

/**
 * Time to first answer of the cases opened since `from`: from the case's creation to the first
 * timeline entry written by programme staff (a call, an email, a note, a stage change...; the web
 * application itself does not count).
 */
export async function measureFirstAnswers({
	db,
	programmeId,
	from
}: {
	db: Db;
	programmeId: string;
	from: Date | null;
}): Promise<FirstAnswerRow[]> {
	const since = from ? sql`and c.created_at >= ${from.toISOString()}` : sql``;
	const result = await db.execute(sql`
		with answers as (
			select c.advisor_id, c.created_at,
				(select min(a.occurred_at) from case_activities a join memberships m on m.user_id = a.author_id and m.programme_id = c.programme_id
					where a.case_id = c.id and a.kind <> 'application' and m.role in ('admin', 'advisor')) as answered_at
			from cases c
			where c.programme_id = ${programmeId} ${since}
		)
		select advisor_id, grouping(advisor_id) as is_total, count(*) as cases, count(answered_at) as answered,
			percentile_cont(0.5) within group (order by greatest(0, extract(epoch from answered_at - created_at)))
				filter (where answered_at is not null) / 3600 as median_hours,
			percentile_cont(0.9) within group (order by greatest(0, extract(epoch from answered_at - created_at)))
				filter (where answered_at is not null) / 3600 as p90_hours,
			count(*) filter (where answered_at is null) as waiting,
			min(created_at) filter (where answered_at is null) as oldest_waiting_since
		from answers
		group by grouping sets ((advisor_id), ())`);
	return rowsOf<Record<string, unknown>>(result).map((row) => ({
		advisorId: (row.advisor_id as string | null) ?? null,
		isTotal: Number(row.is_total) === 1,
		cases: Number(row.cases),
		answered: Number(row.answered),
		medianHours: num(row.median_hours),
		p90Hours: num(row.p90_hours),
		waiting: Number(row.waiting),
		oldestWaitingSince: row.oldest_waiting_since ? new Date(row.oldest_waiting_since as string) : null
	}));
}

export type InstallationDelayRow = {
	advisorId: string | null;
	isTotal: boolean;
	installed: number;
	medianDays: number | null;
	p90Days: number | null;
};

/** Days from first contact (the case's creation) to installation, for households installed since `from`. */
export async function measureInstallationDelays({
	db,
	programmeId,
	from
}: {
	db: Db;
	programmeId: string;
	from: Date | null;
}): Promise<InstallationDelayRow[]> {
	const since = from ? sql`and c.installed_on >= ${from.toISOString().slice(0, 10)}::date` : sql``;
	const result = await db.execute(sql`
		select c.advisor_id, grouping(c.advisor_id) as is_total, count(*) as installed,
			percentile_cont(0.5) within group (order by greatest(0, c.installed_on - (c.created_at at time zone 'UTC')::date)) as median_days,
			percentile_cont(0.9) within group (order by greatest(0, c.installed_on - (c.created_at at time zone 'UTC')::date)) as p90_days
		from cases c
		where c.programme_id = ${programmeId} and c.installed_on is not null ${since}
		group by grouping sets ((c.advisor_id), ())`);
	return rowsOf<Record<string, unknown>>(result).map((row) => ({
		advisorId: (row.advisor_id as string | null) ?? null,
		isTotal: Number(row.is_total) === 1,
		installed: Number(row.installed),
		medianDays: num(row.median_days),
		p90Days: num(row.p90_days)
	}));
}

/** Cases per advisor and stage, for the given stages (the open part of the pipeline). */
export async function countCasesByAdvisorAndStage({
	db,
	programmeId,
	stages
}: {
	db: Db;
	programmeId: string;
	stages: string[];
}): Promise<{ advisorId: string | null; stage: string; count: number }[]> {
	if (stages.length === 0) return [];
	const rows = await db
		.select({
			advisorId: casesTable.advisorId,
			stage: casesTable.stage,
			count: sql<number>`count(*)`.mapWith(Number)
		})
		.from(casesTable)
		.where(and(eq(casesTable.programmeId, programmeId), inArray(casesTable.stage, stages)))
		.groupBy(casesTable.advisorId, casesTable.stage);
	return rows;
}

/** Open tasks past their due date, per assignee (null: unassigned). */
export async function countOverdueTasksByAssignee({
	db,
	programmeId,
	today
}: {
	db: Db;
	programmeId: string;
	today: string;
}): Promise<{ assigneeId: string | null; overdue: number }[]> {
	return db
		.select({ assigneeId: tasksTable.assigneeId, overdue: sql<number>`count(*)`.mapWith(Number) })
		.from(tasksTable)
		.where(
			and(eq(tasksTable.programmeId, programmeId), isNull(tasksTable.doneAt), lt(tasksTable.dueOn, today))
		)
		.groupBy(tasksTable.assigneeId);
}

/** The programme's staff, by name. */
export async function findStaff({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ id: string; name: string; role: string }[]> {
	return db
		.select({ id: usersTable.id, name: usersTable.name, role: membershipsTable.role })
		.from(usersTable)
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(
			and(
				eq(membershipsTable.programmeId, programmeId),
				inArray(membershipsTable.role, ['admin', 'advisor']),
				eq(membershipsTable.status, 'active')
			)
		)
		.orderBy(usersTable.name);
}
