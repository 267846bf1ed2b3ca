import { getApp } from '#server/app.ts';
import { createOffer } from '#server/domain/offer/offer.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { formValues } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';
import { communeChoicesOf, failFormOf } from '../../villages/listing-forms.server.ts';
import { offerChoices, offerInput } from '../offer-form.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const inNinetyDays = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
	return { choices: await offerChoices(actor, { db: getApp().database.db }), defaultExpiry: inNinetyDays };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		let offerId: string;
		try {
			const { offer } = await createOffer(
				{
					actor,
					input: {
						programmeId: actor.programmeId,
						expiresAt: '',
						...offerInput(data, actor, await communeChoicesOf(actor))
					}
				},
				{ db: getApp().database.db }
			);
			offerId = offer.id;
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		seeOther(`/backoffice/offers/${offerId}`, { created: '1' });
	}
};
