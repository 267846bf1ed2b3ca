import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import { renderMarkdown } from '#server/content/markdown.ts';
import { listDisclosureCandidates } from '#server/domain/media/listing.service.ts';
import { listPhotos } from '#server/domain/media/media.service.ts';
import {
	approveOfferDisclosure,
	expireOffer,
	getOffer,
	updateOffer
} from '#server/domain/offer/offer.service.ts';
import { isOfferPublic } from '#server/domain/offer/offer.rules.ts';
import { getOfferHouseholds } from '#server/domain/offer-match/offer-match.service.ts';
import { findListingPlace } from '#server/domain/territory/territory-places.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';
import { communeChoicesOf, failFormOf, photoActions } from '../../villages/listing-forms.server.ts';
import { offerChoices, offerInput, offerValues } from '../offer-form.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = getApp().database.db;
	try {
		const { offer } = await getOffer({ actor, offerId: event.params.offerId }, { db });
		const { photos } = await listPhotos(
			{ programmeId: offer.programmeId, ownerKind: 'offer', ownerId: offer.id },
			{ db }
		);
		const { place } = await findListingPlace({ actor, communeCode: offer.communeCode }, { db });
		const now = new Date();
		return {
			offer: {
				id: offer.id,
				titleFr: offer.titleFr,
				titleEn: offer.titleEn,
				isAnonymised: offer.isAnonymised,
				expiresAt: offer.expiresAt,
				isExpired: offer.expiresAt.getTime() <= now.getTime(),
				isPublic: isOfferPublic(offer, now)
			},
			values: offerValues(offer),
			previews: {
				descriptionFr: renderMarkdown(offer.descriptionFr),
				descriptionEn: renderMarkdown(offer.descriptionEn)
			},
			photos,
			place,
			choices: await offerChoices(actor, { db }),
			// Staff approve candidates for an anonymised takeover's details.
			candidates:
				isStaff(actor) && offer.isAnonymised
					? (await listDisclosureCandidates({ actor, offerId: offer.id }, { db })).candidates
					: null,
			// The households the offer matches: staff all, a committee member those of their villages.
			households:
				isStaff(actor) || actor.role === 'committee'
					? (await getOfferHouseholds({ actor, offerId: offer.id }, { db })).households
					: null,
			isCreated: event.url.searchParams.has('created')
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		try {
			await updateOffer(
				{
					actor,
					offerId: event.params.offerId,
					input: offerInput(data, actor, await communeChoicesOf(actor))
				},
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		return { form: 'edit', success: 'saved' };
	},
	expire: async (event) => {
		const actor = requireActor(event);
		try {
			await expireOffer({ actor, offerId: event.params.offerId }, { db: getApp().database.db });
		} catch (err) {
			return failFormOf('expire', err, {});
		}
		return { form: 'expire', success: 'expired' };
	},
	approveDisclosure: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		try {
			await approveOfferDisclosure(
				{ actor, offerId: event.params.offerId, userId: formText(data, 'userId') },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failFormOf('disclosure', err, values);
		}
		return { form: 'disclosure', success: 'disclosed' };
	},
	...photoActions('offer', 'offerId')
};
