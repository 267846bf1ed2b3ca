import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#server/domain/account/account.seed.ts';
import { signIn } from '#server/domain/account/account.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { forwardSetCookies } from '#server/http/cookies.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import { chooseProgrammePath, PROGRAMME_COOKIE } from '#server/http/programme-choice.ts';
import { homePathFor, landingPathFor, safeNextPath } from '#server/http/redirects.ts';
import { twoFactorStepPath } from '#server/http/two-factor.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.actor) redirect(303, safeNextPath(url.searchParams.get('next')) ?? homePathFor(locals.actor));
	const { programme } = await findPublicProgramme(
		{ programmeId: locals.programmeOfHost },
		{ db: getApp().database.db }
	);
	return {
		// Demo programmes show their synthetic accounts so visitors can try every role.
		demo: programme?.isDemo ? { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD } : null
	};
};

export const actions: Actions = {
	default: async ({ request, cookies, url, locals, getClientAddress }) => {
		const data = await request.formData();
		const values = formValues(data);
		const app = getApp();
		const next = url.searchParams.get('next');
		let target: string;
		try {
			const signedIn = await signIn(
				{
					input: { email: formText(data, 'email'), password: formText(data, 'password') },
					ipAddress: getClientAddress(),
					userAgent: request.headers.get('user-agent'),
					browserHeaders: request.headers,
					programmeId: cookies.get(PROGRAMME_COOKIE) ?? null,
					programmeOfHost: locals.programmeOfHost ?? null
				},
				{ db: app.database.db, auth: app.auth, config: app.config }
			);
			forwardSetCookies(signedIn.headers, cookies);
			// A user who enrolled a second factor gives it on the next page before going on; a person
			// of several programmes picks one (the picker goes on to `next`).
			target = signedIn.isTwoFactorPending
				? twoFactorStepPath(next)
				: signedIn.mustChooseProgramme
					? chooseProgrammePath(next)
					: (safeNextPath(next) ?? landingPathFor(signedIn));
		} catch (error) {
			// A lock may have queued the owner's unlock link: send it now.
			void app.mailer.kick();
			return failForm(error, values);
		}
		redirect(303, target);
	}
};
