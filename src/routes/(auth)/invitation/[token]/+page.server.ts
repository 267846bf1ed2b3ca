import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { MIN_PASSWORD_LENGTH } from '#server/auth/auth.ts';
import { acceptInvitation, getInvitationByToken } from '#server/domain/people/people.service.ts';
import { DomainError } from '#server/errors.ts';
import { forwardSetCookies } from '#server/http/cookies.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import { rememberProgramme } from '#server/http/programme-choice.ts';
import { landingPathFor } from '#server/http/redirects.ts';
import { twoFactorStepPath } from '#server/http/two-factor.ts';
import { ValidationError } from '#server/validation.ts';
import type { Actions, PageServerLoad } from './$types';

/** An unusable link (unknown, expired, revoked, used) gets a page that says which, not an error page. */
export const load: PageServerLoad = async ({ params }) => {
	try {
		const { invitation, programmeName, hasAccount } = await getInvitationByToken(
			{ token: params.token },
			{ db: getApp().database.db }
		);
		return { invitation, programmeName, hasAccount, minLength: MIN_PASSWORD_LENGTH, invalid: null };
	} catch (err) {
		if (err instanceof ValidationError) return { invalid: 'people.invitation_invalid' };
		if (err instanceof DomainError && err.code.startsWith('people.invitation_')) return { invalid: err.code };
		throw err;
	}
};

export const actions: Actions = {
	default: async ({ request, params, cookies, url, getClientAddress }) => {
		const data = await request.formData();
		const app = getApp();
		let home: string;
		try {
			const accepted = await acceptInvitation(
				{
					input: {
						token: params.token,
						name: formText(data, 'name'),
						password: formText(data, 'password'),
						confirmation: formText(data, 'confirmation')
					},
					ipAddress: getClientAddress(),
					userAgent: request.headers.get('user-agent'),
					browserHeaders: request.headers
				},
				{ db: app.database.db, auth: app.auth, config: app.config }
			);
			forwardSetCookies(accepted.headers, cookies);
			// They act in the programme that invited them (one person may hold several).
			rememberProgramme(cookies, accepted.programmeId, { secure: url.protocol === 'https:' });
			home = accepted.isTwoFactorPending ? twoFactorStepPath(null) : landingPathFor(accepted);
		} catch (err) {
			if (err instanceof DomainError && err.code.startsWith('people.invitation_'))
				return { invalid: err.code };
			return failForm(err, formValues(data));
		}
		redirect(303, home);
	}
};
