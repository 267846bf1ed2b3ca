import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type {
	ConnectionLevel,
	OfferKind,
	OfferStatus,
	VillageStatus,
	WorkspaceKind
} from '../../db/schema/index.ts';
import { findUsersOfProgramme } from '../account/account.repository.ts';
import { offerForbidden } from '../offer/offer.errors.ts';
import { findOfferRows } from '../offer/offer.repository.ts';
import { canManageOffer, isOfferPublic } from '../offer/offer.rules.ts';
import { getOffer } from '../offer/offer.service.ts';
import { findCommitteeVillageIds, findVillageRows } from '../village/village.repository.ts';
import { canEditVillage } from '../village/village.rules.ts';
import { findOrganisationsOfProgramme, findWorkspaceRows } from '../workspace/workspace.repository.ts';
import { canEditWorkspace } from '../workspace/workspace.rules.ts';
import { findDisclosedUserIds } from './listing.repository.ts';

/*
 * The back office's lists of what an actor may edit. They filter with the very rules
 * the village, workspace and offer services enforce (canEditVillage, canEditWorkspace,
 * canManageOffer), so a list never shows a record whose edit page would answer 404.
 * They belong with their areas' services; they live here until those grow list use cases.
 */

export type EditableVillage = {
	id: string;
	slug: string;
	name: string;
	communeCode: string;
	status: VillageStatus;
	connectionLevel: ConnectionLevel | null;
	offerCount: number;
	isDemo: boolean;
};

/** Staff: every village of the programme; committee members: the villages they sit on; others: none. */
export async function listEditableVillages(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ villages: EditableVillage[] }> {
	if (!isStaff(actor) && actor.role !== 'committee') return { villages: [] };
	const committeeVillageIds =
		actor.role === 'committee' ? await findCommitteeVillageIds({ db, userId: actor.userId }) : [];
	const rows = await findVillageRows({ db, programmeId: actor.programmeId, now });
	return {
		villages: rows
			.filter((row) => canEditVillage(actor, row, committeeVillageIds))
			.map((row) => ({
				id: row.id,
				slug: row.slug,
				name: row.name,
				communeCode: row.communeCode,
				status: row.status,
				connectionLevel: row.connectionLevel,
				offerCount: row.offerCount,
				isDemo: row.isDemo
			}))
	};
}

export type EditableWorkspace = {
	id: string;
	slug: string;
	name: string;
	kind: WorkspaceKind;
	communeName: string;
	operatorName: string | null;
	isDemo: boolean;
};

/** Staff: every workspace of the programme; partners: their organisation's; others: none. */
export async function listEditableWorkspaces(
	{ actor }: { actor: Actor },
	{ db }: { db: Db }
): Promise<{ workspaces: EditableWorkspace[] }> {
	const rows = await findWorkspaceRows({ db, programmeId: actor.programmeId });
	return {
		workspaces: rows
			.filter((row) => canEditWorkspace(actor, row))
			.map((row) => ({
				id: row.id,
				slug: row.slug,
				name: row.name,
				kind: row.kind,
				communeName: row.communeName,
				operatorName: row.organisationName,
				isDemo: row.isDemo
			}))
	};
}

export type EditableOffer = {
	id: string;
	kind: OfferKind;
	status: OfferStatus;
	titleFr: string;
	titleEn: string | null;
	communeName: string;
	expiresAt: Date;
	/** Shown on the portal now (available, published, not expired). */
	isPublic: boolean;
	isExpired: boolean;
	isAnonymised: boolean;
	isDemo: boolean;
};

/**
 * Staff: every offer of the programme; committee members: their villages' offers;
 * partners: their organisation's. Expired and taken offers are included (they stay
 * in the back office). Newest first.
 */
export async function listEditableOffers(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ offers: EditableOffer[] }> {
	if (!isStaff(actor) && actor.role !== 'committee' && actor.role !== 'partner') return { offers: [] };
	const committeeVillageIds =
		actor.role === 'committee' ? await findCommitteeVillageIds({ db, userId: actor.userId }) : [];
	const rows = await findOfferRows({ db, programmeId: actor.programmeId });
	return {
		offers: rows
			.filter((row) => canManageOffer(actor, row, committeeVillageIds))
			.map((row) => ({
				id: row.id,
				kind: row.kind,
				status: row.status,
				titleFr: row.titleFr,
				titleEn: row.titleEn,
				communeName: row.communeName,
				expiresAt: row.expiresAt,
				isPublic: isOfferPublic(row, now),
				isExpired: row.expiresAt.getTime() <= now.getTime(),
				isAnonymised: row.isAnonymised,
				isDemo: row.isDemo
			}))
	};
}

export type OwnerChoice = { id: string; name: string };

/**
 * Whom an actor may make an offer's or a workspace's owner: staff any village or
 * organisation of the programme; committee members their villages; partners their
 * own organisation.
 */
export async function listOwnerChoices(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ villages: OwnerChoice[]; organisations: OwnerChoice[] }> {
	const { villages } = await listEditableVillages({ actor }, { db, now });
	const organisations = (await findOrganisationsOfProgramme({ db, programmeId: actor.programmeId }))
		.filter((organisation) => isStaff(actor) || organisation.id === actor.organisationId)
		.filter(() => isStaff(actor) || actor.role === 'partner')
		.map((organisation) => ({ id: organisation.id, name: organisation.name }));
	return {
		villages: villages.map((village) => ({ id: village.id, name: village.name })),
		organisations
	};
}

export type DisclosureCandidate = { id: string; name: string; email: string; isApproved: boolean };

/**
 * The candidates and members an advisor may let see an anonymised offer's details,
 * with who already may. Staff only (`offer.forbidden`); `offer.not_found` out of scope.
 */
export async function listDisclosureCandidates(
	{ actor, offerId }: { actor: Actor; offerId: string },
	{ db }: { db: Db }
): Promise<{ candidates: DisclosureCandidate[] }> {
	const { offer } = await getOffer({ actor, offerId }, { db });
	if (!isStaff(actor)) throw offerForbidden({ userId: actor.userId });
	const approved = new Set(await findDisclosedUserIds({ db, offerId: offer.id }));
	const users = await findUsersOfProgramme({ db, programmeId: offer.programmeId });
	return {
		candidates: users
			.filter((user) => user.role === 'candidate' || user.role === 'member')
			.map((user) => ({ id: user.id, name: user.name, email: user.email, isApproved: approved.has(user.id) }))
	};
}
