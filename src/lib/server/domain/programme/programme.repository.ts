import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { programmesTable, type Programme } from '../../db/schema/index.ts';

export async function findProgrammeBySlug({ db, slug }: { db: Db; slug: string }): Promise<Programme | null> {
	const [programme] = await db.select().from(programmesTable).where(eq(programmesTable.slug, slug));
	return programme ?? null;
}

export async function findProgrammeById({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<Programme | null> {
	const [programme] = await db.select().from(programmesTable).where(eq(programmesTable.id, programmeId));
	return programme ?? null;
}

/**
 * Every programme's id and slug, the oldest first (the default programme, shown on a host no
 * programme holds and reached at the bare public origin): what requests and addresses are
 * resolved with (programme-host.service.ts).
 */
export async function findProgrammeSlugs({ db }: { db: Db }): Promise<{ id: string; slug: string }[]> {
	return db
		.select({ id: programmesTable.id, slug: programmesTable.slug })
		.from(programmesTable)
		.orderBy(asc(programmesTable.createdAt), asc(programmesTable.id));
}

export async function findProgrammes({ db }: { db: Db }): Promise<Programme[]> {
	return db.select().from(programmesTable).orderBy(asc(programmesTable.createdAt), asc(programmesTable.id));
}

export async function insertProgramme({
	db,
	programme
}: {
	db: Db;
	programme: typeof programmesTable.$inferInsert;
}): Promise<Programme> {
	const [created] = await db.insert(programmesTable).values(programme).returning();
	return created;
}

export async function updateProgrammeDepartements({
	db,
	programmeId,
	departements
}: {
	db: Db;
	programmeId: string;
	departements: string[];
}): Promise<void> {
	await db.update(programmesTable).set({ departements }).where(eq(programmesTable.id, programmeId));
}

/** Changes columns of a programme's row (its settings, identity, metropole, pipeline). */
export async function updateProgrammeRow({
	db,
	programmeId,
	changes
}: {
	db: Db;
	programmeId: string;
	changes: Partial<typeof programmesTable.$inferInsert>;
}): Promise<Programme> {
	const [updated] = await db
		.update(programmesTable)
		.set(changes)
		.where(eq(programmesTable.id, programmeId))
		.returning();
	return updated;
}
