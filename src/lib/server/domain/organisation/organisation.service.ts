import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { Organisation } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { recordRecordChange } from '../audit/audit.service.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { organisationForbidden, organisationNotFound } from './organisation.errors.ts';
import {
	findOrganisationById,
	findOrganisationPeople,
	findOrganisations,
	insertOrganisationRow,
	updateOrganisationRow,
	type OrganisationPerson
} from './organisation.repository.ts';
import { canManageOrganisations, canViewOrganisation } from './organisation.rules.ts';
import {
	createOrganisationSchema,
	organisationIdSchema,
	updateOrganisationSchema,
	type CreateOrganisationInput,
	type UpdateOrganisationInput
} from './organisation.schemas.ts';

/*
 * The programme's partner organisations (employment service, bank, chambers, coworking network,
 * housing agency…): staff list, create, edit and retire them; a partner sees their own. A retired
 * organisation receives no new referral but stays on the past ones.
 */

const log = createLogger({ namespace: 'organisation:service' });

/** Staff: every organisation of the programme (retired ones last); partners: their own; others: none. */
export async function listOrganisations(
	{ actor }: { actor: Actor },
	{ db }: { db: Db }
): Promise<{ organisations: Organisation[] }> {
	const rows = await findOrganisations({ db, programmeId: actor.programmeId });
	const visible = rows.filter((row) => canViewOrganisation(actor, row));
	return {
		organisations: [...visible.filter((row) => !row.archivedAt), ...visible.filter((row) => row.archivedAt)]
	};
}

async function loadVisibleOrganisation(db: Db, actor: Actor, organisationId: string): Promise<Organisation> {
	if (!v.is(organisationIdSchema, organisationId)) throw organisationNotFound({ organisationId });
	const organisation = await findOrganisationById({ db, programmeId: actor.programmeId, organisationId });
	if (!organisation || !canViewOrganisation(actor, organisation))
		throw organisationNotFound({ organisationId });
	return organisation;
}

/** One organisation with its people; `canManage` says whether the actor may edit it. */
export async function getOrganisation(
	{ actor, organisationId }: { actor: Actor; organisationId: string },
	{ db }: { db: Db }
): Promise<{ organisation: Organisation; people: OrganisationPerson[]; canManage: boolean }> {
	const organisation = await loadVisibleOrganisation(db, actor, organisationId);
	const people = await findOrganisationPeople({ db, programmeId: organisation.programmeId, organisationId });
	return { organisation, people, canManage: canManageOrganisations(actor) };
}

/**
 * Adds a partner organisation. Operators (seed, CLI: no actor) or the programme's admins and
 * advisors; partners and others get `organisation.forbidden`, other programmes `programme.not_found`.
 */
export async function createOrganisation(
	{ actor, input }: { actor?: Actor; input: CreateOrganisationInput },
	{ db }: { db: Db }
): Promise<{ organisation: Organisation }> {
	if (actor && !canManageOrganisations(actor)) throw organisationForbidden({ userId: actor.userId });
	const data = parseInput(createOrganisationSchema, input);
	if (actor && actor.programmeId !== data.programmeId)
		throw programmeNotFound({ programmeId: data.programmeId });
	return db.transaction(async (tx) => {
		const programme = await findProgrammeById({ db: tx, programmeId: data.programmeId });
		if (!programme) throw programmeNotFound({ programmeId: data.programmeId });
		const organisation = await insertOrganisationRow({
			db: tx,
			organisation: {
				programmeId: programme.id,
				name: data.name,
				kind: data.kind,
				email: data.email ?? null,
				phone: data.phone ?? null,
				website: data.website ?? null,
				isDemo: data.isDemo
			}
		});
		await recordRecordChange(
			{
				programmeId: programme.id,
				entityType: 'organisation',
				entityId: organisation.id,
				action: 'create',
				actor,
				before: null,
				after: organisation
			},
			{ db: tx }
		);
		log.info(
			{ organisationId: organisation.id, programmeId: programme.id, userId: actor?.userId },
			'Organisation created'
		);
		return { organisation };
	});
}

/** Edits an organisation's name, kind and contact details. Staff of its programme only. */
export async function updateOrganisation(
	{ actor, organisationId, input }: { actor: Actor; organisationId: string; input: UpdateOrganisationInput },
	{ db }: { db: Db }
): Promise<{ organisation: Organisation }> {
	const data = parseInput(updateOrganisationSchema, input);
	return db.transaction(async (tx) => {
		const organisation = await loadVisibleOrganisation(tx, actor, organisationId);
		if (!canManageOrganisations(actor)) throw organisationForbidden({ userId: actor.userId });
		const values = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
		if (Object.keys(values).length === 0) return { organisation };
		const updated = await updateOrganisationRow({
			db: tx,
			programmeId: organisation.programmeId,
			organisationId: organisation.id,
			values: { ...values, updatedAt: new Date() }
		});
		await recordRecordChange(
			{
				programmeId: organisation.programmeId,
				entityType: 'organisation',
				entityId: organisation.id,
				action: 'update',
				actor,
				before: organisation,
				after: updated
			},
			{ db: tx }
		);
		log.info({ organisationId, userId: actor.userId, fields: Object.keys(values) }, 'Organisation updated');
		return { organisation: updated };
	});
}

/**
 * Retires an organisation (`isRetired: true`) or brings it back (`false`). A retired
 * organisation is offered for no new referral but stays on past referrals and listings.
 * Doing it twice changes nothing. Staff of its programme only.
 */
export async function setOrganisationRetired(
	{ actor, organisationId, isRetired }: { actor: Actor; organisationId: string; isRetired: boolean },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ organisation: Organisation }> {
	return db.transaction(async (tx) => {
		const organisation = await loadVisibleOrganisation(tx, actor, organisationId);
		if (!canManageOrganisations(actor)) throw organisationForbidden({ userId: actor.userId });
		if (Boolean(organisation.archivedAt) === isRetired) return { organisation };
		const updated = await updateOrganisationRow({
			db: tx,
			programmeId: organisation.programmeId,
			organisationId: organisation.id,
			values: { archivedAt: isRetired ? now : null, updatedAt: now }
		});
		await recordRecordChange(
			{
				programmeId: organisation.programmeId,
				entityType: 'organisation',
				entityId: organisation.id,
				action: isRetired ? 'retire' : 'update',
				actor,
				before: organisation,
				after: updated
			},
			{ db: tx }
		);
		log.info({ organisationId, userId: actor.userId, isRetired }, 'Organisation retirement changed');
		return { organisation: updated };
	});
}
