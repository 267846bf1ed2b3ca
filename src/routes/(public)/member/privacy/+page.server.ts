import { requireRole } from '#server/http/actor.ts';
import { loadOwnConsents, withdrawOwnConsentForm } from '#server/http/own-privacy.ts';
import type { Actions, PageServerLoad } from './$types';

/** Candidates and members see here what they agreed to, withdraw it, and download their data. */
const OWN_ROLES = ['member', 'candidate'] as const;
const OWN_ONLY = { code: 'privacy.forbidden', message: 'This page is for members and candidates.' };

export const load: PageServerLoad = async (event) =>
	loadOwnConsents(requireRole(event, OWN_ROLES, OWN_ONLY), event.url);

export const actions: Actions = {
	withdraw: async (event) =>
		withdrawOwnConsentForm(requireRole(event, OWN_ROLES, OWN_ONLY), event.request, '/member/privacy')
};
