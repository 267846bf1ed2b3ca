import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { personsTable, type Person } from '../../db/schema/index.ts';

/** Every query here filters by programme_id (directly or through the person it reads). */

export async function findPersonById({
	db,
	programmeId,
	personId
}: {
	db: Db;
	programmeId: string;
	personId: string;
}): Promise<Person | null> {
	const [person] = await db
		.select()
		.from(personsTable)
		.where(and(eq(personsTable.programmeId, programmeId), eq(personsTable.id, personId)));
	return person ?? null;
}

export async function updatePerson({
	db,
	personId,
	values
}: {
	db: Db;
	personId: string;
	values: Partial<typeof personsTable.$inferInsert>;
}): Promise<Person> {
	const [updated] = await db
		.update(personsTable)
		.set(values)
		.where(eq(personsTable.id, personId))
		.returning();
	return updated;
}

export async function deletePerson({ db, personId }: { db: Db; personId: string }): Promise<void> {
	await db.delete(personsTable).where(eq(personsTable.id, personId));
}
