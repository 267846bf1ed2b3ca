import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	membershipsTable,
	organisationsTable,
	usersTable,
	type Organisation,
	type Role
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id. */

export async function findOrganisationById({
	db,
	programmeId,
	organisationId
}: {
	db: Db;
	programmeId: string;
	organisationId: string;
}): Promise<Organisation | null> {
	const [row] = await db
		.select()
		.from(organisationsTable)
		.where(and(eq(organisationsTable.programmeId, programmeId), eq(organisationsTable.id, organisationId)));
	return row ?? null;
}

/** The programme's organisations by name, retired ones included. */
export async function findOrganisations({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<Organisation[]> {
	return db
		.select()
		.from(organisationsTable)
		.where(eq(organisationsTable.programmeId, programmeId))
		.orderBy(asc(organisationsTable.name), asc(organisationsTable.id));
}

export async function insertOrganisationRow({
	db,
	organisation
}: {
	db: Db;
	organisation: typeof organisationsTable.$inferInsert;
}): Promise<Organisation> {
	const [row] = await db.insert(organisationsTable).values(organisation).returning();
	return row;
}

export async function updateOrganisationRow({
	db,
	programmeId,
	organisationId,
	values
}: {
	db: Db;
	programmeId: string;
	organisationId: string;
	values: Partial<typeof organisationsTable.$inferInsert>;
}): Promise<Organisation> {
	const [row] = await db
		.update(organisationsTable)
		.set(values)
		.where(and(eq(organisationsTable.programmeId, programmeId), eq(organisationsTable.id, organisationId)))
		.returning();
	return row;
}

export type OrganisationPerson = { id: string; name: string; email: string; role: Role };

/**
 * The people who act for an organisation (their partner scope is this organisation), by name.
 * The ONE place that reads this scope: the person's membership of the programme names the
 * organisation (deactivated memberships included: the page shows their status).
 */
export async function findOrganisationPeople({
	db,
	programmeId,
	organisationId
}: {
	db: Db;
	programmeId: string;
	organisationId: string;
}): Promise<OrganisationPerson[]> {
	return db
		.select({
			id: usersTable.id,
			name: usersTable.name,
			email: usersTable.email,
			role: membershipsTable.role
		})
		.from(membershipsTable)
		.innerJoin(usersTable, eq(usersTable.id, membershipsTable.userId))
		.where(
			and(eq(membershipsTable.programmeId, programmeId), eq(membershipsTable.organisationId, organisationId))
		)
		.orderBy(asc(usersTable.name), asc(usersTable.id));
}
