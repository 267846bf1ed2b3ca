import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { programmeHostsTable, type ProgrammeHost } from '../../db/schema/index.ts';

/** A programme's hosts, the primary one first. */
export async function findProgrammeHosts({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<ProgrammeHost[]> {
	return db
		.select()
		.from(programmeHostsTable)
		.where(eq(programmeHostsTable.programmeId, programmeId))
		.orderBy(desc(programmeHostsTable.isPrimary), asc(programmeHostsTable.host));
}

/** The row of a host name, whichever programme holds it (a host belongs to one programme). */
export async function findHostRow({ db, host }: { db: Db; host: string }): Promise<ProgrammeHost | null> {
	const [row] = await db.select().from(programmeHostsTable).where(eq(programmeHostsTable.host, host));
	return row ?? null;
}

/** Every host of the instance and its programme: the map requests are resolved with. */
export async function findAllHosts({
	db
}: {
	db: Db;
}): Promise<{ host: string; programmeId: string; isPrimary: boolean }[]> {
	return db
		.select({
			host: programmeHostsTable.host,
			programmeId: programmeHostsTable.programmeId,
			isPrimary: programmeHostsTable.isPrimary
		})
		.from(programmeHostsTable);
}

export async function insertProgrammeHost({
	db,
	host
}: {
	db: Db;
	host: typeof programmeHostsTable.$inferInsert;
}): Promise<ProgrammeHost> {
	const [created] = await db.insert(programmeHostsTable).values(host).returning();
	return created;
}

export async function deleteProgrammeHost({
	db,
	programmeId,
	host
}: {
	db: Db;
	programmeId: string;
	host: string;
}): Promise<void> {
	await db
		.delete(programmeHostsTable)
		.where(and(eq(programmeHostsTable.programmeId, programmeId), eq(programmeHostsTable.host, host)));
}

/** Makes `host` the programme's only primary host (the partial unique index allows one). */
export async function updatePrimaryHost({
	db,
	programmeId,
	host
}: {
	db: Db;
	programmeId: string;
	host: string;
}): Promise<void> {
	await db
		.update(programmeHostsTable)
		.set({ isPrimary: false })
		.where(and(eq(programmeHostsTable.programmeId, programmeId), eq(programmeHostsTable.isPrimary, true)));
	await db
		.update(programmeHostsTable)
		.set({ isPrimary: true })
		.where(and(eq(programmeHostsTable.programmeId, programmeId), eq(programmeHostsTable.host, host)));
}
