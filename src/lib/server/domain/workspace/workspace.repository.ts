import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	communesTable,
	organisationsTable,
	membershipsTable,
	usersTable,
	workspacesTable,
	type Organisation,
	type Workspace,
	type WorkspaceKind
} from '../../db/schema/index.ts';

export async function findWorkspaceById({
	db,
	programmeId,
	workspaceId
}: {
	db: Db;
	programmeId: string;
	workspaceId: string;
}): Promise<Workspace | null> {
	const [workspace] = await db
		.select()
		.from(workspacesTable)
		.where(and(eq(workspacesTable.id, workspaceId), eq(workspacesTable.programmeId, programmeId)));
	return workspace ?? null;
}

export async function findWorkspaceBySlug({
	db,
	programmeId,
	slug
}: {
	db: Db;
	programmeId: string;
	slug: string;
}): Promise<Workspace | null> {
	const [workspace] = await db
		.select()
		.from(workspacesTable)
		.where(and(eq(workspacesTable.programmeId, programmeId), eq(workspacesTable.slug, slug)));
	return workspace ?? null;
}

export async function insertWorkspace({
	db,
	workspace
}: {
	db: Db;
	workspace: typeof workspacesTable.$inferInsert;
}): Promise<Workspace> {
	const [created] = await db.insert(workspacesTable).values(workspace).returning();
	return created;
}

export async function updateWorkspaceRow({
	db,
	programmeId,
	workspaceId,
	values
}: {
	db: Db;
	programmeId: string;
	workspaceId: string;
	values: Partial<typeof workspacesTable.$inferInsert>;
}): Promise<Workspace> {
	const [updated] = await db
		.update(workspacesTable)
		.set(values)
		.where(and(eq(workspacesTable.programmeId, programmeId), eq(workspacesTable.id, workspaceId)))
		.returning();
	return updated;
}

export type WorkspaceRow = Workspace & {
	communeName: string;
	centroidLat: number | null;
	centroidLon: number | null;
	organisationName: string | null;
};

/** Workspaces of a programme with their commune and operator, by name. */
export async function findWorkspaceRows({
	db,
	programmeId,
	kinds = [],
	communeCode,
	slug
}: {
	db: Db;
	programmeId: string;
	kinds?: WorkspaceKind[];
	communeCode?: string;
	slug?: string;
}): Promise<WorkspaceRow[]> {
	const conditions: SQL[] = [eq(workspacesTable.programmeId, programmeId)];
	if (kinds.length) conditions.push(inArray(workspacesTable.kind, kinds));
	if (communeCode) conditions.push(eq(workspacesTable.communeCode, communeCode));
	if (slug) conditions.push(eq(workspacesTable.slug, slug));
	const rows = await db
		.select({
			workspace: workspacesTable,
			communeName: communesTable.name,
			centroidLat: communesTable.centroidLat,
			centroidLon: communesTable.centroidLon,
			organisationName: organisationsTable.name
		})
		.from(workspacesTable)
		.innerJoin(communesTable, eq(communesTable.code, workspacesTable.communeCode))
		.leftJoin(organisationsTable, eq(organisationsTable.id, workspacesTable.organisationId))
		.where(and(...conditions))
		.orderBy(asc(workspacesTable.name));
	return rows.map(({ workspace, ...rest }) => ({ ...workspace, ...rest }));
}

export async function insertOrganisation({
	db,
	organisation
}: {
	db: Db;
	organisation: typeof organisationsTable.$inferInsert;
}): Promise<Organisation> {
	const [created] = await db.insert(organisationsTable).values(organisation).returning();
	return created;
}

/** Attaches a partner user to the organisation they act for (demo seed). */
export async function updateUserOrganisation({
	db,
	programmeId,
	email,
	organisationId
}: {
	db: Db;
	programmeId: string;
	email: string;
	organisationId: string;
}): Promise<boolean> {
	const [user] = await db.select({ id: usersTable.id }).from(usersTable).where(eq(usersTable.email, email));
	if (!user) return false;
	const rows = await db
		.update(membershipsTable)
		.set({ organisationId, updatedAt: new Date() })
		.where(and(eq(membershipsTable.programmeId, programmeId), eq(membershipsTable.userId, user.id)))
		.returning({ id: membershipsTable.id });
	return rows.length > 0;
}

export async function findOrganisationsOfProgramme({
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
		.orderBy(asc(organisationsTable.name));
}
