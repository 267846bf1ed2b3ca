import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type {
	CommitteeContact,
	ConnectionLevel,
	Village,
	VillageServices,
	VillageStatus
} from '../../db/schema/index.ts';
import { distanceToMetropoleKm } from '../../../domain/geo.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findUserInProgramme } from '../account/account.repository.ts';
import { recordRecordChange } from '../audit/audit.service.ts';
import { findCommuneByCode, findCommunes } from '../territory/territory.repository.ts';
import {
	villageAlreadyExists,
	villageCommuneNotFound,
	villageForbidden,
	villageInvalidCommitteeMember,
	villageNotFound,
	villageSlugTaken
} from './village.errors.ts';
import {
	findCommitteeMembers,
	findCommitteeVillageIds,
	findContactMembers,
	findProgrammeMetropole,
	findVillageByCommune,
	findVillageById,
	findVillageForOperator,
	findVillageBySlug,
	findVillageCommuneCodes,
	findVillageRows,
	insertVillage,
	updateProgrammeMetropole,
	updateVillageRow,
	upsertCommitteeMember,
	type CommitteeMemberRow,
	type VillageRow
} from './village.repository.ts';
import {
	assertCanChangeVillageStatus,
	assertCanEditVillage,
	hasVillageService,
	pickLocalised,
	resolveCommitteeContact,
	slugify
} from './village.rules.ts';
import {
	addCommitteeMemberSchema,
	createVillageSchema,
	listPublicVillagesSchema,
	metropolePositionSchema,
	updateVillageSchema,
	villageIdSchema,
	type AddCommitteeMemberInput,
	type CreateVillageInput,
	type ListPublicVillagesInput,
	type UpdateVillageInput
} from './village.schemas.ts';

const log = createLogger({ namespace: 'village:service' });

/** A partner village as the public portal shows it, texts in the reader's language. */
export type PublicVillage = {
	id: string;
	slug: string;
	communeCode: string;
	name: string;
	population: number | null;
	epciName: string | null;
	status: VillageStatus;
	joinedOn: string | null;
	/** Markdown, in the requested locale (French when not translated). */
	presentation: string | null;
	services: VillageServices;
	committeeContact: CommitteeContact | null;
	/** Effective level (override ?? imported); null when unknown. */
	connectionLevel: ConnectionLevel | null;
	fibreShare: number | null;
	/** Straight-line km from the commune centroid to the programme's metropole; null when unknown. */
	distanceToMetropoleKm: number | null;
	centroid: { lat: number; lon: number } | null;
	/** Public offers in the village (available, not expired). */
	offerCount: number;
	isDemo: boolean;
};

function toPublicVillage(
	row: VillageRow,
	{
		locale,
		metropole,
		contactMember
	}: {
		locale: 'fr' | 'en';
		metropole: { lat: number; lon: number } | null;
		contactMember: { name: string; email: string } | null;
	}
): PublicVillage {
	const centroid =
		row.centroidLat !== null && row.centroidLon !== null
			? { lat: row.centroidLat, lon: row.centroidLon }
			: null;
	return {
		id: row.id,
		slug: row.slug,
		communeCode: row.communeCode,
		name: row.name,
		population: row.population,
		epciName: row.epciName,
		status: row.status,
		joinedOn: row.joinedOn,
		presentation: pickLocalised({ fr: row.presentationFr, en: row.presentationEn }, locale),
		services: row.services,
		committeeContact: resolveCommitteeContact(row.committeeContact, contactMember),
		connectionLevel: row.connectionLevel,
		fibreShare: row.fibreShare,
		distanceToMetropoleKm: distanceToMetropoleKm(centroid, metropole),
		centroid,
		offerCount: row.offerCount,
		isDemo: row.isDemo
	};
}

/**
 * The villages of a programme for the public portal, by name. Filters: partner villages
 * only (default), effective broadband level among `connectionLevels`, distance to the
 * metropole, having public offers, offering a service, name (accents ignored).
 */
export async function listPublicVillages(
	input: ListPublicVillagesInput,
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ villages: PublicVillage[] }> {
	const { programmeId, filters, locale, order, limit } = parseInput(listPublicVillagesSchema, input);
	const rows = await findVillageRows({
		db,
		programmeId,
		now,
		isPartnerOnly: filters.isPartnerOnly,
		connectionLevels: filters.connectionLevels,
		search: filters.search || undefined
	});
	const metropole = await findProgrammeMetropole({ db, programmeId });
	const kept = rows
		.map((row) => ({ row, village: toPublicVillage(row, { locale, metropole, contactMember: null }) }))
		.filter(
			({ village }) =>
				(filters.maxDistanceToMetropoleKm === undefined ||
					(village.distanceToMetropoleKm !== null &&
						village.distanceToMetropoleKm <= filters.maxDistanceToMetropoleKm)) &&
				(!filters.hasOffers || village.offerCount > 0) &&
				(!filters.service || hasVillageService(village.services, filters.service))
		);
	if (order === 'most_offers') {
		kept.sort(
			(a, b) =>
				b.village.offerCount - a.village.offerCount || a.village.name.localeCompare(b.village.name, locale)
		);
	}
	const shown = kept.slice(0, limit);
	// Contact members only for the villages shown (a teaser of 3 asks for 3, not all).
	const contacts = await findContactMembers({ db, villageIds: shown.map(({ row }) => row.id) });
	const villages = shown.map(({ row, village }) => {
		const contactMember = contacts.get(row.id) ?? null;
		return contactMember ? toPublicVillage(row, { locale, metropole, contactMember }) : village;
	});
	return { villages };
}

/** One village's public page; former partners and prospects are not public. */
export async function getPublicVillageBySlug(
	{ programmeId, slug, locale = 'fr' }: { programmeId: string; slug: string; locale?: 'fr' | 'en' },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ village: PublicVillage }> {
	const [row] = await findVillageRows({ db, programmeId, now, isPartnerOnly: true, slug });
	if (!row) throw villageNotFound({ slug });
	const metropole = await findProgrammeMetropole({ db, programmeId });
	const contacts = await findContactMembers({ db, villageIds: [row.id] });
	return {
		village: toPublicVillage(row, { locale, metropole, contactMember: contacts.get(row.id) ?? null })
	};
}

/** Loads a village the actor may edit; anything else is `village.not_found`. */
async function getEditableVillage({ db, actor, villageId }: { db: Db; actor: Actor; villageId: string }) {
	if (!v.is(villageIdSchema, villageId)) throw villageNotFound({ villageId });
	const village = await findVillageById({ db, programmeId: actor.programmeId, villageId });
	if (!village) throw villageNotFound({ villageId });
	const committeeVillageIds =
		actor.role === 'committee' ? await findCommitteeVillageIds({ db, userId: actor.userId }) : [];
	assertCanEditVillage(actor, village, committeeVillageIds);
	return village;
}

/** A village as its editors see it (back office form). */
export async function getVillage(
	{ actor, villageId }: { actor: Actor; villageId: string },
	{ db }: { db: Db }
): Promise<{ village: Village }> {
	return { village: await getEditableVillage({ db, actor, villageId }) };
}

/**
 * Makes a commune a village of a programme. Operators (seed, CLI: no actor) and
 * programme staff only.
 */
export async function createVillage(
	{ actor, input }: { actor?: Actor; input: CreateVillageInput },
	{ db }: { db: Db }
): Promise<{ village: Village }> {
	const data = parseInput(createVillageSchema, input);
	// Anyone but staff of this very programme is refused as if the programme did not exist.
	if (actor && (!isStaff(actor) || actor.programmeId !== data.programmeId)) {
		throw programmeNotFound({ programmeId: data.programmeId });
	}
	return db.transaction(async (tx) => {
		const programme = await findProgrammeById({ db: tx, programmeId: data.programmeId });
		if (!programme) throw programmeNotFound({ programmeId: data.programmeId });
		const commune = await findCommuneByCode({ db: tx, code: data.communeCode });
		if (!commune || !programme.departements.includes(commune.departementCode)) {
			throw villageCommuneNotFound({ code: data.communeCode });
		}
		if (await findVillageByCommune({ db: tx, programmeId: programme.id, communeCode: commune.code })) {
			throw villageAlreadyExists({ code: commune.code });
		}
		const slug = data.slug ?? slugify(commune.name);
		if (await findVillageBySlug({ db: tx, programmeId: programme.id, slug }))
			throw villageSlugTaken({ slug });
		const village = await insertVillage({
			db: tx,
			village: {
				programmeId: programme.id,
				communeCode: commune.code,
				slug,
				status: data.status,
				joinedOn: data.joinedOn ?? null,
				presentationFr: data.presentationFr ?? null,
				presentationEn: data.presentationEn ?? null,
				services: data.services,
				committeeContact: data.committeeContact ?? null,
				isDemo: data.isDemo
			}
		});
		if (actor) {
			await recordRecordChange(
				{
					programmeId: programme.id,
					entityType: 'village',
					entityId: village.id,
					action: 'create',
					actor,
					before: null,
					after: village
				},
				{ db: tx }
			);
		}
		log.info({ villageId: village.id, programmeId: programme.id, userId: actor?.userId }, 'Village created');
		return { village };
	});
}

/**
 * Edits a village's page: presentation, services, committee contact. Staff edit any
 * village of their programme (and its status); committee members only their villages.
 */
export async function updateVillage(
	{ actor, villageId, input }: { actor: Actor; villageId: string; input: UpdateVillageInput },
	{ db }: { db: Db }
): Promise<{ village: Village }> {
	const data = parseInput(updateVillageSchema, input);
	return db.transaction(async (tx) => {
		const village = await getEditableVillage({ db: tx, actor, villageId });
		if (data.status !== undefined || data.joinedOn !== undefined)
			assertCanChangeVillageStatus(actor, village);
		const values = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
		if (Object.keys(values).length === 0) return { village };
		const updated = await updateVillageRow({ db: tx, programmeId: actor.programmeId, villageId, values });
		await recordRecordChange(
			{
				programmeId: village.programmeId,
				entityType: 'village',
				entityId: village.id,
				action: data.status === 'former_partner' && village.status !== 'former_partner' ? 'retire' : 'update',
				actor,
				before: village,
				after: updated
			},
			{ db: tx }
		);
		log.info({ villageId, userId: actor.userId, fields: Object.keys(values) }, 'Village updated');
		return { village: updated };
	});
}

/**
 * Retires a partner village: its status becomes `former_partner`, so it leaves the public
 * lists and its public page, while its history (cases, offers, events, committee) stays.
 * Retiring twice changes nothing. Staff of its programme only (`village.forbidden` for its
 * committee, `village.not_found` for anyone else).
 */
export async function retireVillage(
	{ actor, villageId }: { actor: Actor; villageId: string },
	{ db }: { db: Db }
): Promise<{ village: Village }> {
	return db.transaction(async (tx) => {
		const village = await getEditableVillage({ db: tx, actor, villageId });
		assertCanChangeVillageStatus(actor, village);
		if (village.status === 'former_partner') return { village };
		const updated = await updateVillageRow({
			db: tx,
			programmeId: village.programmeId,
			villageId: village.id,
			values: { status: 'former_partner', updatedAt: new Date() }
		});
		await recordRecordChange(
			{
				programmeId: village.programmeId,
				entityType: 'village',
				entityId: village.id,
				action: 'retire',
				actor,
				before: village,
				after: updated
			},
			{ db: tx }
		);
		log.info({ villageId: village.id, userId: actor.userId }, 'Village retired');
		return { village: updated };
	});
}

/** The members of a village's welcome committee, for those who may edit the village. */
export async function listCommitteeMembers(
	{ actor, villageId }: { actor: Actor; villageId: string },
	{ db }: { db: Db }
): Promise<{ members: CommitteeMemberRow[] }> {
	const village = await getEditableVillage({ db, actor, villageId });
	return { members: await findCommitteeMembers({ db, villageId: village.id }) };
}

/**
 * The communes a new partner village may be made of: the programme's territory (its
 * départements) less the communes that already are villages of the programme, by name.
 * Staff only (`village.forbidden`).
 */
export async function listVillageCommuneChoices(
	{ actor }: { actor: Actor },
	{ db }: { db: Db }
): Promise<{ communes: { code: string; name: string }[] }> {
	if (!isStaff(actor)) throw villageForbidden({ userId: actor.userId });
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) throw programmeNotFound({ programmeId: actor.programmeId });
	const taken = new Set(await findVillageCommuneCodes({ db, programmeId: programme.id }));
	const communes = await findCommunes({ db, departements: programme.departements, limit: 10_000 });
	return {
		communes: communes
			.filter((commune) => !taken.has(commune.code))
			.map((commune) => ({ code: commune.code, name: commune.name }))
			.sort((a, b) => a.name.localeCompare(b.name, 'fr'))
	};
}

/**
 * Seats a user on a village's welcome committee (or changes their committee role).
 * Staff of the programme or operators (no actor); the user must have the `committee`
 * role in the same programme.
 */
export async function addCommitteeMember(
	{ actor, ...input }: { actor?: Actor } & AddCommitteeMemberInput,
	{ db }: { db: Db }
): Promise<{ villageId: string; userId: string }> {
	const data = parseInput(addCommitteeMemberSchema, input);
	return db.transaction(async (tx) => {
		// Operators (no actor) name the village alone; anyone else looks in their own programme.
		const village = actor
			? await findVillageById({ db: tx, programmeId: actor.programmeId, villageId: data.villageId })
			: await findVillageForOperator({ db: tx, villageId: data.villageId });
		if (!village) throw villageNotFound({ villageId: data.villageId });
		if (actor) {
			const committeeVillageIds =
				actor.role === 'committee' ? await findCommitteeVillageIds({ db: tx, userId: actor.userId }) : [];
			assertCanEditVillage(actor, village, committeeVillageIds);
			assertCanChangeVillageStatus(actor, village);
		}
		const user = await findUserInProgramme({ db: tx, programmeId: village.programmeId, userId: data.userId });
		if (!user || user.role !== 'committee') {
			throw villageInvalidCommitteeMember({ userId: data.userId });
		}
		await upsertCommitteeMember({
			db: tx,
			villageId: village.id,
			userId: user.id,
			committeeRole: data.committeeRole,
			isContact: data.isContact
		});
		log.info({ villageId: village.id, userId: user.id, by: actor?.userId }, 'Committee member added');
		return { villageId: village.id, userId: user.id };
	});
}

/**
 * Records where the programme's metropole is (WGS84), for distances: the metropole is
 * usually outside the imported départements. Operators only (seed, CLI).
 */
export async function setProgrammeMetropolePosition(
	{ programmeId, lat, lon }: { programmeId: string; lat: number; lon: number },
	{ db }: { db: Db }
): Promise<void> {
	const data = parseInput(metropolePositionSchema, { lat, lon });
	await updateProgrammeMetropole({ db, programmeId, ...data });
}
