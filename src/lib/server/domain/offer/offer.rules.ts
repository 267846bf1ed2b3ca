import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { OfferKind } from '../../db/schema/index.ts';
import { offerInvalidExpiry, offerNotFound } from './offer.errors.ts';

/** Reminders go to owners of offers expiring within this many days. */
export const OFFER_REMINDER_DAYS = 7;
/** An offer runs for at most a year; the owner renews it after that. */
export const OFFER_MAX_DURATION_DAYS = 366;

const DAY_MS = 86_400_000;

/** Kinds priced per month (the others are priced in total). */
export const RENT_KINDS: readonly OfferKind[] = ['house_rent', 'flat_rent', 'premises_rent'];

/** What an offer looks like to the permission rules. */
export type OfferScope = {
	id: string;
	programmeId: string;
	villageId: string | null;
	organisationId: string | null;
};

/**
 * Who may manage an offer: programme staff any of their programme; committee members
 * the offers of the villages they sit on; partners their organisation's offers.
 */
export function canManageOffer(
	actor: Actor,
	offer: OfferScope,
	committeeVillageIds: readonly string[]
): boolean {
	if (offer.programmeId !== actor.programmeId) return false;
	if (isStaff(actor)) return true;
	if (actor.role === 'committee')
		return offer.villageId !== null && committeeVillageIds.includes(offer.villageId);
	if (actor.role === 'partner') {
		return actor.organisationId !== null && offer.organisationId === actor.organisationId;
	}
	return false;
}

/** Throws `offer.not_found` (not forbidden) so that existence does not leak. */
export function assertCanManageOffer(
	actor: Actor,
	offer: OfferScope,
	committeeVillageIds: readonly string[]
): void {
	if (!canManageOffer(actor, offer, committeeVillageIds)) throw offerNotFound({ offerId: offer.id });
}

/** Public: available, published and not expired at `now`. Under-offer and taken offers leave the portal. */
export function isOfferPublic(
	offer: { status: string; publishedAt: Date | null; expiresAt: Date },
	now: Date
): boolean {
	return (
		offer.status === 'available' &&
		offer.publishedAt !== null &&
		offer.publishedAt.getTime() <= now.getTime() &&
		offer.expiresAt.getTime() > now.getTime()
	);
}

/** An expiry date must be in the future and at most a year away. */
export function assertValidExpiry(expiresAt: Date, now: Date): void {
	const max = now.getTime() + OFFER_MAX_DURATION_DAYS * DAY_MS;
	if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > max) {
		throw offerInvalidExpiry({ maxDays: OFFER_MAX_DURATION_DAYS });
	}
}

/** Whether an offer's owner should be reminded now: it expires within OFFER_REMINDER_DAYS and was not reminded. */
export function isDueForExpiryReminder(
	offer: { status: string; expiresAt: Date; expiryRemindedAt: Date | null },
	now: Date
): boolean {
	const left = offer.expiresAt.getTime() - now.getTime();
	return (
		offer.status !== 'taken' &&
		offer.expiryRemindedAt === null &&
		left > 0 &&
		left <= OFFER_REMINDER_DAYS * DAY_MS
	);
}

/** Price band of an anonymised offer, in euros: [min, max) with max null for the top band. */
export type PriceBand = { min: number; max: number | null };

const SALE_BANDS = [0, 50_000, 100_000, 200_000, 500_000, 1_000_000];
const RENT_BANDS = [0, 500, 800, 1_200, 2_000];

/** The band a price falls in, coarse enough not to identify a business. */
export function priceBand(price: number | null, kind: OfferKind): PriceBand | null {
	if (price === null) return null;
	const bounds = RENT_KINDS.includes(kind) ? RENT_BANDS : SALE_BANDS;
	let index = 0;
	while (index + 1 < bounds.length && price >= bounds[index + 1]) index++;
	return { min: bounds[index], max: bounds[index + 1] ?? null };
}

/** Whether a viewer sees an anonymised offer's details: staff, its managers, or an approved candidate. */
export function canSeeOfferDetails({
	isAnonymised,
	canManage,
	isApproved
}: {
	isAnonymised: boolean;
	canManage: boolean;
	isApproved: boolean;
}): boolean {
	return !isAnonymised || canManage || isApproved;
}
