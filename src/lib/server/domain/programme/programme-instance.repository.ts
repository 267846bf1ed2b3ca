import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { programmesTable, type Programme } from '../../db/schema/index.ts';

/** A programme with the figures an instance admin sees (never a household's data). */
export type ProgrammeUsage = Pick<
	Programme,
	'id' | 'slug' | 'name' | 'status' | 'suspendedAt' | 'suspensionReason' | 'isDemo' | 'createdAt'
> & {
	cases: number;
	persons: number;
	/** Active admins and advisors. */
	staff: number;
	villages: number;
	offers: number;
	/** The latest audited change (cases, people, settings…), or null. */
	lastActivityAt: Date | null;
	/** Mails queued since `monthStart`. */
	mailsThisMonth: number;
};

/*
 * Correlated sub-queries with the table names written out: drizzle leaves columns unqualified in
 * a single-table select, which inside a sub-query would bind to the inner table.
 */
const countWhere = (table: string, extra = '') =>
	sql<number>`(select count(*) from ${sql.raw(table)} t where t.programme_id = "programmes"."id"${sql.raw(extra)})`.mapWith(
		Number
	);

/** Every programme of the instance with its usage, oldest first: one query, counted in SQL. */
export async function findProgrammeUsage({
	db,
	monthStart
}: {
	db: Db;
	monthStart: Date;
}): Promise<ProgrammeUsage[]> {
	const rows = await db
		.select({
			id: programmesTable.id,
			slug: programmesTable.slug,
			name: programmesTable.name,
			status: programmesTable.status,
			suspendedAt: programmesTable.suspendedAt,
			suspensionReason: programmesTable.suspensionReason,
			isDemo: programmesTable.isDemo,
			createdAt: programmesTable.createdAt,
			cases: countWhere('cases'),
			persons: countWhere('persons'),
			villages: countWhere('villages'),
			offers: countWhere('offers'),
			staff: countWhere('memberships', ` and t.status = 'active' and t.role in ('admin', 'advisor')`),
			lastActivityAt: sql<
				string | null
			>`(select max(t.at) from audit_entries t where t.programme_id = "programmes"."id")`,
			mailsThisMonth:
				sql<number>`(select count(*) from mail_messages t where t.programme_id = "programmes"."id" and t.created_at >= ${monthStart.toISOString()})`.mapWith(
					Number
				)
		})
		.from(programmesTable)
		.orderBy(asc(programmesTable.createdAt), asc(programmesTable.id));
	return rows.map((row) => ({
		...row,
		lastActivityAt: row.lastActivityAt ? new Date(row.lastActivityAt) : null
	}));
}

/** Sets a programme's status (suspension or resumption); null when there is no such programme. */
export async function updateProgrammeStatus({
	db,
	programmeId,
	values
}: {
	db: Db;
	programmeId: string;
	values: Pick<Programme, 'status' | 'suspendedAt' | 'suspensionReason'>;
}): Promise<Programme | null> {
	const [programme] = await db
		.update(programmesTable)
		.set({ ...values, updatedAt: new Date() })
		.where(eq(programmesTable.id, programmeId))
		.returning();
	return programme ?? null;
}
