import { isStaff, type Actor } from '#server/auth/actor.ts';
import { OFFER_KINDS, OFFER_STATUSES, type Offer } from '#server/db/schema/index.ts';
import type { Db } from '#server/db/index.ts';
import { listOwnerChoices } from '#server/domain/media/listing.service.ts';
import type { UpdateOfferInput } from '#server/domain/offer/offer.schemas.ts';
import { listProgrammeCommuneChoices } from '#server/domain/territory/territory.service.ts';
import { communeCodeOfChoice, type CommuneChoice } from '$lib/domain/communes.ts';
import { isChecked, nullableTextOf, numberOf, textOf } from '../villages/listing-forms.server.ts';

/**
 * The expiry date: a day, the offer running until the end of that day (UTC). The edit
 * form also sends the saved day (`expiresAtSaved`): an unchanged or emptied day is left
 * alone, so fixing a typo neither moves the expiry nor republishes an expired offer.
 */
function expiryOf(data: FormData): { expiresAt?: string } {
	const day = textOf(data, 'expiresAt');
	if (data.has('expiresAtSaved') && (day === '' || day === textOf(data, 'expiresAtSaved'))) return {};
	return { expiresAt: day ? `${day}T23:59:59Z` : '' };
}

/** The offer form's fields → the service input (create and update share them). */
export function offerInput(data: FormData, actor: Actor, communes: readonly CommuneChoice[]) {
	return {
		kind: textOf(data, 'kind') as (typeof OFFER_KINDS)[number],
		titleFr: textOf(data, 'titleFr'),
		titleEn: nullableTextOf(data, 'titleEn'),
		descriptionFr: nullableTextOf(data, 'descriptionFr'),
		descriptionEn: nullableTextOf(data, 'descriptionEn'),
		communeCode: communeCodeOfChoice(textOf(data, 'communeCode'), communes),
		// Owners: staff choose either; committee members one of their villages; partners keep their organisation.
		...(actor.role !== 'partner' ? { villageId: nullableTextOf(data, 'villageId') } : {}),
		...(isStaff(actor) ? { organisationId: nullableTextOf(data, 'organisationId') } : {}),
		price: numberOf(data, 'price'),
		surfaceM2: numberOf(data, 'surfaceM2'),
		rooms: numberOf(data, 'rooms'),
		status: textOf(data, 'status') as (typeof OFFER_STATUSES)[number],
		...expiryOf(data),
		contactEmail: nullableTextOf(data, 'contactEmail'),
		contactPhone: nullableTextOf(data, 'contactPhone'),
		isAnonymised: isChecked(data, 'isAnonymised'),
		sector: nullableTextOf(data, 'sector'),
		areaLabel: nullableTextOf(data, 'areaLabel')
	} satisfies UpdateOfferInput;
}

/** A saved offer as the form's text values. */
export function offerValues(offer: Offer): Record<string, string> {
	const text = (value: string | number | null | undefined) =>
		value === null || value === undefined ? '' : String(value);
	return {
		kind: offer.kind,
		titleFr: offer.titleFr,
		titleEn: text(offer.titleEn),
		descriptionFr: text(offer.descriptionFr),
		descriptionEn: text(offer.descriptionEn),
		communeCode: offer.communeCode,
		villageId: text(offer.villageId),
		organisationId: text(offer.organisationId),
		price: text(offer.price),
		surfaceM2: text(offer.surfaceM2),
		rooms: text(offer.rooms),
		status: offer.status,
		// An expired offer shows no date: choosing one republishes it.
		expiresAt: offer.expiresAt.getTime() > Date.now() ? offer.expiresAt.toISOString().slice(0, 10) : '',
		contactEmail: text(offer.contactEmail),
		contactPhone: text(offer.contactPhone),
		...(offer.isAnonymised ? { isAnonymised: 'on' } : {}),
		sector: text(offer.sector),
		areaLabel: text(offer.areaLabel)
	};
}

/** What the form's selects and commune list offer this actor. */
export async function offerChoices(actor: Actor, { db }: { db: Db }) {
	const { villages, organisations } = await listOwnerChoices({ actor }, { db });
	const { communes } = await listProgrammeCommuneChoices({ programmeId: actor.programmeId }, { db });
	return {
		kinds: OFFER_KINDS,
		statuses: OFFER_STATUSES,
		villages,
		organisations,
		canChooseVillage: actor.role !== 'partner',
		isVillageRequired: actor.role === 'committee',
		canChooseOrganisation: isStaff(actor),
		communes
	};
}
