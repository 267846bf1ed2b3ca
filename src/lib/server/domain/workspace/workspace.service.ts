import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { Workspace, WorkspaceKind, WorkspacePrices } from '../../db/schema/index.ts';
import { distanceToMetropoleKm } from '../../../domain/geo.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { findOrganisationById } from '../organisation/organisation.repository.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import { findProgrammeMetropole } from '../village/village.repository.ts';
import { pickLocalised, slugify } from '../village/village.rules.ts';
import {
	workspaceCommuneNotFound,
	workspaceForbidden,
	workspaceInvalidOrganisation,
	workspaceNotFound,
	workspaceSlugTaken
} from './workspace.errors.ts';
import {
	findWorkspaceById,
	findWorkspaceBySlug,
	findWorkspaceRows,
	insertWorkspace,
	updateWorkspaceRow,
	type WorkspaceRow
} from './workspace.repository.ts';
import { assertCanEditWorkspace, canCreateWorkspace } from './workspace.rules.ts';
import {
	createWorkspaceSchema,
	listPublicWorkspacesSchema,
	updateWorkspaceSchema,
	workspaceIdSchema,
	type CreateWorkspaceInput,
	type ListPublicWorkspacesInput,
	type UpdateWorkspaceInput
} from './workspace.schemas.ts';

const log = createLogger({ namespace: 'workspace:service' });

/** A workspace as the public portal shows it, texts in the reader's language. */
export type PublicWorkspace = {
	id: string;
	slug: string;
	kind: WorkspaceKind;
	name: string;
	communeCode: string;
	communeName: string;
	operatorName: string | null;
	address: string | null;
	/** The workspace's own position, else its commune's centroid; null when neither is known. */
	position: { lat: number; lon: number } | null;
	capacity: number | null;
	equipment: string[];
	connection: string | null;
	prices: WorkspacePrices;
	openingHours: string | null;
	/** Markdown. */
	description: string | null;
	contactEmail: string | null;
	contactPhone: string | null;
	website: string | null;
	distanceToMetropoleKm: number | null;
	isDemo: boolean;
};

function toPublicWorkspace(
	row: WorkspaceRow,
	{ locale, metropole }: { locale: 'fr' | 'en'; metropole: { lat: number; lon: number } | null }
): PublicWorkspace {
	const position =
		row.lat !== null && row.lon !== null
			? { lat: row.lat, lon: row.lon }
			: row.centroidLat !== null && row.centroidLon !== null
				? { lat: row.centroidLat, lon: row.centroidLon }
				: null;
	return {
		id: row.id,
		slug: row.slug,
		kind: row.kind,
		name: row.name,
		communeCode: row.communeCode,
		communeName: row.communeName,
		operatorName: row.organisationName,
		address: row.address,
		position,
		capacity: row.capacity,
		equipment: row.equipment,
		connection: row.connection,
		prices: row.prices,
		openingHours: pickLocalised({ fr: row.openingHoursFr, en: row.openingHoursEn }, locale),
		description: pickLocalised({ fr: row.descriptionFr, en: row.descriptionEn }, locale),
		contactEmail: row.contactEmail,
		contactPhone: row.contactPhone,
		website: row.website,
		distanceToMetropoleKm: distanceToMetropoleKm(position, metropole),
		isDemo: row.isDemo
	};
}

/** The workspaces of a programme for the public portal, by name; filter by kinds and commune. */
export async function listPublicWorkspaces(
	input: ListPublicWorkspacesInput,
	{ db }: { db: Db }
): Promise<{ workspaces: PublicWorkspace[] }> {
	const { programmeId, filters, locale } = parseInput(listPublicWorkspacesSchema, input);
	const rows = await findWorkspaceRows({
		db,
		programmeId,
		kinds: filters.kinds,
		communeCode: filters.communeCode
	});
	const metropole = await findProgrammeMetropole({ db, programmeId });
	return { workspaces: rows.map((row) => toPublicWorkspace(row, { locale, metropole })) };
}

export async function getPublicWorkspaceBySlug(
	{ programmeId, slug, locale = 'fr' }: { programmeId: string; slug: string; locale?: 'fr' | 'en' },
	{ db }: { db: Db }
): Promise<{ workspace: PublicWorkspace }> {
	const [row] = await findWorkspaceRows({ db, programmeId, slug });
	if (!row) throw workspaceNotFound({ slug });
	const metropole = await findProgrammeMetropole({ db, programmeId });
	return { workspace: toPublicWorkspace(row, { locale, metropole }) };
}

/** A workspace the actor may edit (back office form); anything else is `workspace.not_found`. */
export async function getWorkspace(
	{ actor, workspaceId }: { actor: Actor; workspaceId: string },
	{ db }: { db: Db }
): Promise<{ workspace: Workspace }> {
	if (!v.is(workspaceIdSchema, workspaceId)) throw workspaceNotFound({ workspaceId });
	const workspace = await findWorkspaceById({ db, programmeId: actor.programmeId, workspaceId });
	if (!workspace) throw workspaceNotFound({ workspaceId });
	assertCanEditWorkspace(actor, workspace);
	return { workspace };
}

async function assertOrganisationOfProgramme(db: Db, organisationId: string, programmeId: string) {
	if (!(await findOrganisationById({ db, programmeId, organisationId }))) {
		throw workspaceInvalidOrganisation({ organisationId });
	}
}

async function assertCommuneOfProgramme(db: Db, communeCode: string, departements: string[]) {
	const commune = await findCommuneByCode({ db, code: communeCode });
	if (!commune || !departements.includes(commune.departementCode)) {
		throw workspaceCommuneNotFound({ code: communeCode });
	}
	return commune;
}

/**
 * Lists a workspace. Operators (no actor) and staff for any organisation of the
 * programme; a partner for their own organisation only (it becomes the operator).
 */
export async function createWorkspace(
	{ actor, input }: { actor?: Actor; input: CreateWorkspaceInput },
	{ db }: { db: Db }
): Promise<{ workspace: Workspace }> {
	const data = parseInput(createWorkspaceSchema, input);
	if (actor) {
		if (actor.programmeId !== data.programmeId) throw programmeNotFound({ programmeId: data.programmeId });
		if (!canCreateWorkspace(actor)) throw workspaceForbidden({ userId: actor.userId });
	}
	let organisationId = data.organisationId ?? null;
	if (actor && !isStaff(actor)) {
		if (organisationId && organisationId !== actor.organisationId) {
			throw workspaceInvalidOrganisation({ organisationId });
		}
		organisationId = actor.organisationId;
	}
	return db.transaction(async (tx) => {
		const programme = await findProgrammeById({ db: tx, programmeId: data.programmeId });
		if (!programme) throw programmeNotFound({ programmeId: data.programmeId });
		await assertCommuneOfProgramme(tx, data.communeCode, programme.departements);
		if (organisationId) await assertOrganisationOfProgramme(tx, organisationId, programme.id);
		const slug = data.slug ?? slugify(data.name);
		if (await findWorkspaceBySlug({ db: tx, programmeId: programme.id, slug }))
			throw workspaceSlugTaken({ slug });
		const workspace = await insertWorkspace({
			db: tx,
			workspace: {
				programmeId: programme.id,
				organisationId,
				communeCode: data.communeCode,
				kind: data.kind,
				name: data.name,
				slug,
				address: data.address ?? null,
				lat: data.lat ?? null,
				lon: data.lon ?? null,
				capacity: data.capacity ?? null,
				equipment: data.equipment,
				connection: data.connection ?? null,
				prices: data.prices,
				openingHoursFr: data.openingHoursFr ?? null,
				openingHoursEn: data.openingHoursEn ?? null,
				descriptionFr: data.descriptionFr ?? null,
				descriptionEn: data.descriptionEn ?? null,
				contactEmail: data.contactEmail ?? null,
				contactPhone: data.contactPhone ?? null,
				website: data.website ?? null,
				isDemo: data.isDemo
			}
		});
		log.info(
			{ workspaceId: workspace.id, programmeId: programme.id, userId: actor?.userId },
			'Workspace created'
		);
		return { workspace };
	});
}

/**
 * Edits a workspace: staff any of their programme; a partner only their organisation's,
 * and they cannot hand it to another organisation. Others get `workspace.not_found`.
 */
export async function updateWorkspace(
	{ actor, workspaceId, input }: { actor: Actor; workspaceId: string; input: UpdateWorkspaceInput },
	{ db }: { db: Db }
): Promise<{ workspace: Workspace }> {
	const data = parseInput(updateWorkspaceSchema, input);
	return db.transaction(async (tx) => {
		const { workspace } = await getWorkspace({ actor, workspaceId }, { db: tx });
		if (data.organisationId !== undefined && data.organisationId !== workspace.organisationId) {
			if (!isStaff(actor)) throw workspaceInvalidOrganisation({ organisationId: data.organisationId });
			if (data.organisationId)
				await assertOrganisationOfProgramme(tx, data.organisationId, workspace.programmeId);
		}
		if (data.communeCode && data.communeCode !== workspace.communeCode) {
			const programme = await findProgrammeById({ db: tx, programmeId: workspace.programmeId });
			await assertCommuneOfProgramme(tx, data.communeCode, programme?.departements ?? []);
		}
		if (data.slug && data.slug !== workspace.slug) {
			if (await findWorkspaceBySlug({ db: tx, programmeId: workspace.programmeId, slug: data.slug })) {
				throw workspaceSlugTaken({ slug: data.slug });
			}
		}
		const values = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
		if (Object.keys(values).length === 0) return { workspace };
		const updated = await updateWorkspaceRow({
			db: tx,
			programmeId: actor.programmeId,
			workspaceId: workspace.id,
			values
		});
		log.info(
			{ workspaceId: workspace.id, userId: actor.userId, fields: Object.keys(values) },
			'Workspace updated'
		);
		return { workspace: updated };
	});
}
