import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	auditEntriesTable,
	casesTable,
	mailMessagesTable,
	membershipsTable,
	offersTable,
	personsTable,
	programmesTable,
	villagesTable,
	type Programme
} from '../../db/schema/index.ts';

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

const countOf = (
	table: typeof casesTable | typeof personsTable | typeof villagesTable | typeof offersTable
) =>
	sql<number>`(select count(*) from ${table} where ${table.programmeId} = ${programmesTable.id})`.mapWith(
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
			cases: countOf(casesTable),
			persons: countOf(personsTable),
			villages: countOf(villagesTable),
			offers: countOf(offersTable),
			staff:
				sql<number>`(select count(*) from ${membershipsTable} where ${membershipsTable.programmeId} = ${programmesTable.id} and ${membershipsTable.status} = 'active' and ${membershipsTable.role} in ('admin', 'advisor'))`.mapWith(
					Number
				),
			lastActivityAt: sql<
				string | null
			>`(select max(${auditEntriesTable.at}) from ${auditEntriesTable} where ${auditEntriesTable.programmeId} = ${programmesTable.id})`,
			mailsThisMonth:
				sql<number>`(select count(*) from ${mailMessagesTable} where ${mailMessagesTable.programmeId} = ${programmesTable.id} and ${mailMessagesTable.createdAt} >= ${monthStart.toISOString()})`.mapWith(
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
