import { requireActor } from '#server/http/actor.ts';
import { loadOwnConsents, withdrawOwnConsentForm } from '#server/http/own-privacy.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * The household's consents, in the space: the same page as /member/privacy, with the data
 * download beside them.
 */
export const load: PageServerLoad = async (event) => loadOwnConsents(requireActor(event), event.url);

export const actions: Actions = {
	withdraw: async (event) => withdrawOwnConsentForm(requireActor(event), event.request, '/space/consents')
};
