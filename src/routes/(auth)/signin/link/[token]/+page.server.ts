import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { checkSignInLink, signInWithLink } from '#server/domain/account/account-sign-in-link.service.ts';
import { forwardSetCookies } from '#server/http/cookies.ts';
import { failForm } from '#server/http/errors.ts';
import { PROGRAMME_COOKIE } from '#server/http/programme-choice.ts';
import { landingPathFor } from '#server/http/redirects.ts';
import { twoFactorStepPath } from '#server/http/two-factor.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * A sign-in link from a mail. Opening it changes nothing (mail scanners open links): the person
 * confirms with a button. An expired, used or unknown link says so and offers a new one.
 */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// A personal link: never cached, never indexed.
	setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	return checkSignInLink({ token: params.token }, { db: getApp().database.db });
};

export const actions: Actions = {
	default: async ({ params, request, cookies, locals, getClientAddress }) => {
		const app = getApp();
		let target: string;
		try {
			const signedIn = await signInWithLink(
				{
					token: params.token,
					ipAddress: getClientAddress(),
					userAgent: request.headers.get('user-agent'),
					browserHeaders: request.headers,
					programmeId: cookies.get(PROGRAMME_COOKIE) ?? null,
					programmeOfHost: locals.programmeOfHost ?? null
				},
				{ db: app.database.db, auth: app.auth }
			);
			forwardSetCookies(signedIn.headers, cookies);
			// As after a password: the second factor first, then the programme picker for a person
			// of several programmes without a choice, else their home.
			target = signedIn.isTwoFactorPending ? twoFactorStepPath(null) : landingPathFor(signedIn);
		} catch (error) {
			return failForm(error, {});
		}
		redirect(303, target);
	}
};
