import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { ConnectionLevel, Offer, OfferKind, OfferStatus } from '../../db/schema/index.ts';
import { distanceToMetropoleKm } from '../../../domain/geo.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { findUserInProgramme } from '../account/account.repository.ts';
import { connectionLevelsAtLeast } from '../connectivity/connectivity.rules.ts';
import { queueMail } from '../mail/mail.service.ts';
import { refreshOfferMatches } from '../offer-match/offer-match.service.ts';
import { findOrganisationById } from '../organisation/organisation.repository.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { getProgrammeAddress } from '../programme/programme-host.service.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import {
	findCommitteeVillageIds,
	findProgrammeMetropole,
	findVillageById
} from '../village/village.repository.ts';
import { pickLocalised } from '../village/village.rules.ts';
import {
	offerCommuneNotFound,
	offerForbidden,
	offerInvalidDisclosure,
	offerInvalidOwner,
	offerNotFound
} from './offer.errors.ts';
import { buildOfferExpiryMail } from './offer.mails.ts';
import {
	claimOfferReminder,
	findOfferById,
	findOfferOwnerRecipient,
	findOfferRows,
	findOffersDueForReminder,
	hasOfferDisclosure,
	insertOffer,
	insertOfferDisclosure,
	updateOfferRow,
	type OfferRow
} from './offer.repository.ts';
import {
	assertCanManageOffer,
	assertValidExpiry,
	canManageOffer,
	canSeeOfferDetails,
	isOfferPublic,
	OFFER_REMINDER_DAYS,
	priceBand,
	type PriceBand
} from './offer.rules.ts';
import {
	createOfferSchema,
	findOffersExpiringSoonSchema,
	offerIdSchema,
	searchOffersSchema,
	updateOfferSchema,
	type CreateOfferInput,
	type SearchOffersInput,
	type UpdateOfferInput
} from './offer.schemas.ts';

const log = createLogger({ namespace: 'offer:service' });
const DAY_MS = 86_400_000;

/**
 * An offer as the public portal shows it. For an anonymised business takeover seen by
 * someone not approved, only kind, sector, area and price band are filled in: title,
 * description, commune, exact price, surface and contact are null (`isDetailsHidden`).
 */
export type PublicOffer = {
	id: string;
	kind: OfferKind;
	status: OfferStatus;
	title: string | null;
	/** Markdown. */
	description: string | null;
	communeCode: string | null;
	communeName: string | null;
	villageSlug: string | null;
	/** Whole euros; per month for rents. */
	price: number | null;
	priceBand: PriceBand | null;
	surfaceM2: number | null;
	rooms: number | null;
	sector: string | null;
	areaLabel: string | null;
	connectionLevel: ConnectionLevel | null;
	distanceToMetropoleKm: number | null;
	contactEmail: string | null;
	contactPhone: string | null;
	publishedAt: Date | null;
	expiresAt: Date;
	isAnonymised: boolean;
	isDetailsHidden: boolean;
	isDemo: boolean;
};

function toPublicOffer(
	row: OfferRow,
	{
		locale,
		metropole,
		isDetailsVisible
	}: { locale: 'fr' | 'en'; metropole: { lat: number; lon: number } | null; isDetailsVisible: boolean }
): PublicOffer {
	const centroid =
		row.centroidLat !== null && row.centroidLon !== null
			? { lat: row.centroidLat, lon: row.centroidLon }
			: null;
	const common = {
		id: row.id,
		kind: row.kind,
		status: row.status,
		sector: row.sector,
		areaLabel: row.areaLabel,
		priceBand: row.isAnonymised ? priceBand(row.price, row.kind) : null,
		publishedAt: row.publishedAt,
		expiresAt: row.expiresAt,
		isAnonymised: row.isAnonymised,
		isDemo: row.isDemo
	};
	if (!isDetailsVisible) {
		return {
			...common,
			title: null,
			description: null,
			communeCode: null,
			communeName: null,
			villageSlug: null,
			price: null,
			surfaceM2: null,
			rooms: null,
			connectionLevel: null,
			distanceToMetropoleKm: null,
			contactEmail: null,
			contactPhone: null,
			isDetailsHidden: true
		};
	}
	return {
		...common,
		title: pickLocalised({ fr: row.titleFr, en: row.titleEn }, locale),
		description: pickLocalised({ fr: row.descriptionFr, en: row.descriptionEn }, locale),
		communeCode: row.communeCode,
		communeName: row.communeName,
		villageSlug: row.villageSlug,
		price: row.price,
		surfaceM2: row.surfaceM2,
		rooms: row.rooms,
		connectionLevel: row.connectionLevel,
		distanceToMetropoleKm: distanceToMetropoleKm(centroid, metropole),
		contactEmail: row.contactEmail,
		contactPhone: row.contactPhone,
		isDetailsHidden: false
	};
}

/**
 * The public offer search: only available, published offers that have not expired at
 * `now`. Filters: kinds, maximum price, minimum surface, commune, village, distance to
 * the metropole, minimum broadband level. Anonymised takeovers never match a commune,
 * village or distance filter, which would reveal where they are.
 */
export async function searchOffers(
	input: SearchOffersInput,
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ offers: PublicOffer[] }> {
	const { programmeId, filters, locale, withDetailsOnly, limit } = parseInput(searchOffersSchema, input);
	const isLocating =
		filters.communeCode !== undefined ||
		filters.villageId !== undefined ||
		filters.maxDistanceToMetropoleKm !== undefined;
	const rows = await findOfferRows({
		db,
		programmeId,
		publicAt: now,
		kinds: filters.kinds,
		maxPrice: filters.maxPrice,
		minSurface: filters.minSurface,
		communeCode: filters.communeCode,
		villageId: filters.villageId,
		connectionLevels: filters.minConnectionLevel
			? connectionLevelsAtLeast(filters.minConnectionLevel)
			: undefined,
		// Locating filters never show an anonymised takeover: the database leaves them out.
		isAnonymisedExcluded: withDetailsOnly || isLocating,
		// The distance is computed here, after the query: only without it can the database cut.
		limit: filters.maxDistanceToMetropoleKm === undefined ? limit : undefined
	});
	const metropole = await findProgrammeMetropole({ db, programmeId });
	const offers = rows
		.map((row) => ({
			row,
			distance: distanceToMetropoleKm({ lat: row.centroidLat, lon: row.centroidLon }, metropole)
		}))
		.filter(
			({ distance }) =>
				filters.maxDistanceToMetropoleKm === undefined ||
				(distance !== null && distance <= filters.maxDistanceToMetropoleKm)
		)
		.slice(0, limit)
		.map(({ row }) => toPublicOffer(row, { locale, metropole, isDetailsVisible: !row.isAnonymised }));
	return { offers };
}

/**
 * One offer's public page. Public offers are shown to anyone; an anonymised takeover
 * shows its details only to staff, its managers and candidates an advisor approved.
 * Offers that are not public are shown to those who manage them, `offer.not_found` otherwise.
 */
export async function getPublicOffer(
	{
		programmeId,
		offerId,
		viewer = null,
		locale = 'fr'
	}: { programmeId: string; offerId: string; viewer?: Actor | null; locale?: 'fr' | 'en' },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ offer: PublicOffer }> {
	if (!v.is(offerIdSchema, offerId)) throw offerNotFound({ offerId });
	const [row] = await findOfferRows({ db, programmeId, offerId });
	if (!row) throw offerNotFound({ offerId });
	const inProgramme = viewer !== null && viewer.programmeId === row.programmeId ? viewer : null;
	const committeeVillageIds =
		inProgramme?.role === 'committee'
			? await findCommitteeVillageIds({ db, userId: inProgramme.userId })
			: [];
	const canManage = inProgramme !== null && canManageOffer(inProgramme, row, committeeVillageIds);
	if (!isOfferPublic(row, now) && !canManage) throw offerNotFound({ offerId });
	const isApproved =
		row.isAnonymised && inProgramme !== null && !canManage
			? await hasOfferDisclosure({ db, offerId: row.id, userId: inProgramme.userId })
			: false;
	const metropole = await findProgrammeMetropole({ db, programmeId });
	return {
		offer: toPublicOffer(row, {
			locale,
			metropole,
			isDetailsVisible: canSeeOfferDetails({ isAnonymised: row.isAnonymised, canManage, isApproved })
		})
	};
}

/** Loads an offer the actor may manage; anything else is `offer.not_found`. */
async function getManageableOffer({ db, actor, offerId }: { db: Db; actor: Actor; offerId: string }) {
	if (!v.is(offerIdSchema, offerId)) throw offerNotFound({ offerId });
	const offer = await findOfferById({ db, programmeId: actor.programmeId, offerId });
	if (!offer) throw offerNotFound({ offerId });
	const committeeVillageIds =
		actor.role === 'committee' ? await findCommitteeVillageIds({ db, userId: actor.userId }) : [];
	assertCanManageOffer(actor, offer, committeeVillageIds);
	return { offer, committeeVillageIds };
}

/** An offer as its managers see it (back office). */
export async function getOffer(
	{ actor, offerId }: { actor: Actor; offerId: string },
	{ db }: { db: Db }
): Promise<{ offer: Offer }> {
	return { offer: (await getManageableOffer({ db, actor, offerId })).offer };
}

/** Checks the owner fields an actor sets: their own organisation, villages they sit on, the programme's. */
async function assertValidOwner(
	db: Db,
	{
		actor,
		programmeId,
		villageId,
		organisationId,
		committeeVillageIds
	}: {
		actor: Actor | undefined;
		programmeId: string;
		villageId: string | null;
		organisationId: string | null;
		committeeVillageIds: readonly string[];
	}
): Promise<void> {
	if (villageId) {
		if (!(await findVillageById({ db, programmeId, villageId }))) throw offerInvalidOwner({ villageId });
		if (actor?.role === 'committee' && !committeeVillageIds.includes(villageId))
			throw offerInvalidOwner({ villageId });
	}
	if (organisationId) {
		if (!(await findOrganisationById({ db, programmeId, organisationId }))) {
			throw offerInvalidOwner({ organisationId });
		}
		if (actor?.role === 'partner' && organisationId !== actor.organisationId) {
			throw offerInvalidOwner({ organisationId });
		}
	}
	if (actor?.role === 'committee' && (!villageId || organisationId)) throw offerInvalidOwner({ villageId });
	if (actor?.role === 'partner' && organisationId !== actor.organisationId)
		throw offerInvalidOwner({ organisationId });
}

async function assertCommuneOfProgramme(db: Db, communeCode: string, programmeId: string) {
	const [commune, programme] = [
		await findCommuneByCode({ db, code: communeCode }),
		await findProgrammeById({ db, programmeId })
	];
	if (!programme) throw programmeNotFound({ programmeId });
	if (!commune || !programme.departements.includes(commune.departementCode)) {
		throw offerCommuneNotFound({ code: communeCode });
	}
}

/**
 * Publishes an offer. Operators (no actor) and staff for any owner of the programme;
 * a committee member for a village they sit on; a partner for their organisation
 * (set by default). Members and candidates cannot publish offers.
 */
export async function createOffer(
	{ actor, input }: { actor?: Actor; input: CreateOfferInput },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ offer: Offer }> {
	const data = parseInput(createOfferSchema, input);
	if (actor) {
		if (actor.programmeId !== data.programmeId) throw programmeNotFound({ programmeId: data.programmeId });
		const isPartnerWithOrganisation = actor.role === 'partner' && actor.organisationId !== null;
		if (!isStaff(actor) && actor.role !== 'committee' && !isPartnerWithOrganisation) {
			throw offerForbidden({ userId: actor.userId });
		}
	}
	assertValidExpiry(data.expiresAt, now);
	const organisationId =
		data.organisationId ?? (actor?.role === 'partner' ? actor.organisationId : null) ?? null;
	const villageId = data.villageId ?? null;
	return db.transaction(async (tx) => {
		await assertCommuneOfProgramme(tx, data.communeCode, data.programmeId);
		const committeeVillageIds =
			actor?.role === 'committee' ? await findCommitteeVillageIds({ db: tx, userId: actor.userId }) : [];
		await assertValidOwner(tx, {
			actor,
			programmeId: data.programmeId,
			villageId,
			organisationId,
			committeeVillageIds
		});
		const offer = await insertOffer({
			db: tx,
			offer: {
				programmeId: data.programmeId,
				kind: data.kind,
				titleFr: data.titleFr,
				titleEn: data.titleEn ?? null,
				descriptionFr: data.descriptionFr ?? null,
				descriptionEn: data.descriptionEn ?? null,
				communeCode: data.communeCode,
				villageId,
				price: data.price ?? null,
				surfaceM2: data.surfaceM2 ?? null,
				rooms: data.rooms ?? null,
				status: data.status ?? 'available',
				publishedAt: data.publishedAt ?? now,
				expiresAt: data.expiresAt,
				organisationId,
				createdBy: actor?.userId ?? null,
				contactEmail: data.contactEmail ?? null,
				contactPhone: data.contactPhone ?? null,
				isAnonymised: data.isAnonymised ?? false,
				sector: data.sector ?? null,
				areaLabel: data.areaLabel ?? null,
				isDemo: data.isDemo
			}
		});
		// The households it matches are recorded with the offer (the daily digests tell them).
		await refreshOfferMatches({ programmeId: offer.programmeId, offerId: offer.id }, { db: tx, now });
		log.info({ offerId: offer.id, programmeId: offer.programmeId, userId: actor?.userId }, 'Offer created');
		return { offer };
	});
}

/** The fields whose change may change which households an offer matches (texts do not). */
const MATCHING_FIELDS = new Set([
	'kind',
	'price',
	'communeCode',
	'villageId',
	'rooms',
	'surfaceM2',
	'status',
	'publishedAt',
	'expiresAt'
]);

/**
 * Edits an offer (texts, price, status, expiry…). A new expiry date must be in the
 * future and re-arms the expiry reminder. Owners cannot hand the offer to an owner
 * outside their scope.
 */
export async function updateOffer(
	{ actor, offerId, input }: { actor: Actor; offerId: string; input: UpdateOfferInput },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ offer: Offer }> {
	const data = parseInput(updateOfferSchema, input);
	return db.transaction(async (tx) => {
		const { offer, committeeVillageIds } = await getManageableOffer({ db: tx, actor, offerId });
		if (data.communeCode && data.communeCode !== offer.communeCode) {
			await assertCommuneOfProgramme(tx, data.communeCode, offer.programmeId);
		}
		if (data.villageId !== undefined || data.organisationId !== undefined) {
			await assertValidOwner(tx, {
				actor,
				programmeId: offer.programmeId,
				villageId: data.villageId === undefined ? offer.villageId : data.villageId,
				organisationId: data.organisationId === undefined ? offer.organisationId : data.organisationId,
				committeeVillageIds
			});
		}
		const values: Partial<Offer> = Object.fromEntries(
			Object.entries(data).filter(([, value]) => value !== undefined)
		);
		if (data.expiresAt && data.expiresAt.getTime() !== offer.expiresAt.getTime()) {
			assertValidExpiry(data.expiresAt, now);
			values.expiryRemindedAt = null;
		}
		if (Object.keys(values).length === 0) return { offer };
		const updated = await updateOfferRow({
			db: tx,
			programmeId: offer.programmeId,
			offerId: offer.id,
			values
		});
		if (Object.keys(values).some((field) => MATCHING_FIELDS.has(field)))
			await refreshOfferMatches({ programmeId: offer.programmeId, offerId: offer.id }, { db: tx, now });
		log.info({ offerId: offer.id, userId: actor.userId, fields: Object.keys(values) }, 'Offer updated');
		return { offer: updated };
	});
}

/** Takes an offer off the portal now (it stays in the back office). Idempotent. */
export async function expireOffer(
	{ actor, offerId }: { actor: Actor; offerId: string },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ offer: Offer }> {
	return db.transaction(async (tx) => {
		const { offer } = await getManageableOffer({ db: tx, actor, offerId });
		if (offer.expiresAt.getTime() <= now.getTime()) return { offer };
		const updated = await updateOfferRow({
			db: tx,
			programmeId: offer.programmeId,
			offerId: offer.id,
			values: { expiresAt: now }
		});
		// Off the portal: it matches nobody any more.
		await refreshOfferMatches({ programmeId: offer.programmeId, offerId: offer.id }, { db: tx, now });
		log.info({ offerId: offer.id, userId: actor.userId }, 'Offer expired');
		return { offer: updated };
	});
}

/**
 * Lets a candidate (or member) see the details of an anonymised offer. Staff only:
 * the advisor judges the candidate serious; others get `offer.not_found` or `offer.forbidden`.
 */
export async function approveOfferDisclosure(
	{ actor, offerId, userId }: { actor: Actor; offerId: string; userId: string },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ offerId: string; userId: string }> {
	return db.transaction(async (tx) => {
		const { offer } = await getManageableOffer({ db: tx, actor, offerId });
		if (!isStaff(actor)) throw offerForbidden({ userId: actor.userId });
		const user = await findUserInProgramme({ db: tx, programmeId: offer.programmeId, userId });
		if (!offer.isAnonymised || !user || !['candidate', 'member'].includes(user.role)) {
			throw offerInvalidDisclosure({ offerId, userId });
		}
		await insertOfferDisclosure({
			db: tx,
			offerId: offer.id,
			userId: user.id,
			approvedBy: actor.userId,
			approvedAt: now
		});
		log.info({ offerId: offer.id, userId: user.id, by: actor.userId }, 'Offer details disclosed');
		return { offerId: offer.id, userId: user.id };
	});
}

/** Offers of a programme not taken that expire within `withinDays` (reminded or not), soonest first. */
export async function findOffersExpiringSoon(
	input: { programmeId: string; withinDays?: number },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<Offer[]> {
	const { programmeId, withinDays } = parseInput(findOffersExpiringSoonSchema, input);
	return findOffersDueForReminder({
		db,
		programmeId,
		now,
		until: new Date(now.getTime() + withinDays * DAY_MS),
		isRemindedIncluded: true
	});
}

export type ExpiryReminderResult = {
	/** Offers whose owner was sent a reminder. */
	reminded: number;
	/** Offers due but with no owner address to write to (marked, so not retried every run). */
	withoutRecipient: number;
	offerIds: string[];
};

/**
 * Queues one reminder per offer expiring within OFFER_REMINDER_DAYS, to its owner, in
 * the owner's language. Idempotent: each offer is claimed (`expiry_reminded_at`) in
 * the transaction that queues its mail, so a second run, or a concurrent one, sends
 * nothing more. Changing the expiry date re-arms the reminder. Called by the scheduler
 * and `soho offers remind-expiring`.
 */
export async function sendOfferExpiryReminders(
	{ now = new Date(), programmeId }: { now?: Date; programmeId?: string },
	{ db, config }: { db: Db; config: Config }
): Promise<ExpiryReminderResult> {
	const due = await findOffersDueForReminder({
		db,
		programmeId,
		now,
		until: new Date(now.getTime() + OFFER_REMINDER_DAYS * DAY_MS)
	});
	const result: ExpiryReminderResult = { reminded: 0, withoutRecipient: 0, offerIds: [] };
	const programmeNames = new Map<string, string>();
	/** Each programme's links go to its primary host (programme-host.service.ts). */
	const programmeOrigins = new Map<string, string>();
	for (const offer of due) {
		// One short transaction per offer: PGlite has a single connection.
		const outcome = await db.transaction(async (tx) => {
			if (!(await claimOfferReminder({ db: tx, offerId: offer.id, now }))) return 'already' as const;
			const recipient = await findOfferOwnerRecipient({ db: tx, offer });
			if (!recipient) return 'no_recipient' as const;
			if (!programmeNames.has(offer.programmeId)) {
				const programme = await findProgrammeById({ db: tx, programmeId: offer.programmeId });
				programmeNames.set(offer.programmeId, programme?.name ?? 'soho');
				const { address: origin } = await getProgrammeAddress(
					{ programmeId: offer.programmeId },
					{ db: tx, config }
				);
				programmeOrigins.set(offer.programmeId, origin);
			}
			const mail = buildOfferExpiryMail({
				locale: recipient.locale,
				name: recipient.name,
				title: pickLocalised({ fr: offer.titleFr, en: offer.titleEn }, recipient.locale) ?? offer.titleFr,
				expiresAt: offer.expiresAt,
				programmeName: programmeNames.get(offer.programmeId)!,
				link: `${programmeOrigins.get(offer.programmeId)}/offers/${offer.id}`
			});
			await queueMail(
				{ programmeId: offer.programmeId, kind: 'offer.expiry_reminder', to: recipient.email, ...mail },
				{ db: tx, config }
			);
			return 'reminded' as const;
		});
		if (outcome === 'reminded') {
			result.reminded++;
			result.offerIds.push(offer.id);
		} else if (outcome === 'no_recipient') {
			result.withoutRecipient++;
			log.warn({ offerId: offer.id }, 'Offer expiring without an owner address');
		}
	}
	log.info(
		{ reminded: result.reminded, withoutRecipient: result.withoutRecipient },
		'Offer expiry reminders'
	);
	return result;
}
