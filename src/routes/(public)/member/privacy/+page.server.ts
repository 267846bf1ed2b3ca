import { getApp } from '#server/app.ts';
import { listOwnConsents, withdrawOwnConsent } from '#server/domain/privacy/consent.service.ts';
import { requireRole } from '#server/http/actor.ts';
import { failForm, formText, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/** Candidates and members see here what they agreed to, withdraw it, and download their data. */
const OWN_ROLES = ['member', 'candidate'] as const;
const OWN_ONLY = { code: 'privacy.forbidden', message: 'This page is for members and candidates.' };

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, OWN_ROLES, OWN_ONLY);
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
		const actor = requireRole(event, OWN_ROLES, OWN_ONLY);
		const data = await event.request.formData();
		try {
			await withdrawOwnConsent(
				{ actor, consentId: formText(data, 'consentId') },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, {});
		}
		seeOther('/member/privacy', { withdrawn: '1' });
	}
};
