import { getApp } from '#server/app.ts';
import { listOwnConsents, withdrawOwnConsent } from '#server/domain/privacy/consent.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * The household's consents, in the space: the same privacy services as /member/privacy (each
 * withdrawal is recorded and audited there), with the data download beside them.
 */
export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { consents } = await listOwnConsents({ actor }, { db: getApp().database.db }).catch(throwHttpError);
	return {
		consents: consents.map((consent) => ({
			id: consent.id,
			purpose: consent.purpose,
			textVersion: consent.textVersion,
			givenAt: consent.givenAt,
			withdrawnAt: consent.withdrawnAt,
			source: consent.source
		})),
		withdrawn: event.url.searchParams.has('withdrawn')
	};
};

export const actions: Actions = {
	withdraw: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		try {
			await withdrawOwnConsent(
				{ actor, consentId: formText(data, 'consentId') },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, {});
		}
		seeOther('/space/consents', { withdrawn: '1' });
	}
};
