import type { RequestEvent } from '@sveltejs/kit';
import { getApp } from '../app.ts';
import type { Actor } from '../auth/actor.ts';
import { listOwnConsents, withdrawOwnConsent } from '../domain/privacy/consent.service.ts';
import { failForm, formText, throwHttpError } from './errors.ts';
import { seeOther } from './redirects.ts';

/*
 * The person's own consents page, served both at /member/privacy and in the candidate's space
 * (/space/consents): each route checks who may open it, then both use the same privacy services
 * (each withdrawal is recorded and audited there).
 */

/** The actor's consents, and whether the page follows a withdrawal (`?withdrawn`). */
export async function loadOwnConsents(actor: Actor, url: URL) {
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
		withdrawn: url.searchParams.has('withdrawn')
	};
}

/** The withdraw form: withdraws the consent, then comes back to `pagePath` with `?withdrawn=1`. */
export async function withdrawOwnConsentForm(
	actor: Actor,
	request: RequestEvent['request'],
	pagePath: string
) {
	const data = await request.formData();
	try {
		await withdrawOwnConsent({ actor, consentId: formText(data, 'consentId') }, { db: getApp().database.db });
	} catch (err) {
		return failForm(err, {});
	}
	seeOther(pagePath, { withdrawn: '1' });
}
