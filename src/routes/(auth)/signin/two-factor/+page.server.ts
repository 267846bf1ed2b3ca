import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { findActorBySession } from '#server/domain/account/account.service.ts';
import { findPendingSignIn, verifySecondFactor } from '#server/domain/account/account-security.service.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import { chooseProgrammePath, PROGRAMME_COOKIE } from '#server/http/programme-choice.ts';
import { homePathFor, landingPathFor, safeNextPath } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/** The second step of sign-in: reached only with a session that awaits its second factor. */
export const load: PageServerLoad = async ({ locals, request, url }) => {
	if (locals.actor) redirect(303, safeNextPath(url.searchParams.get('next')) ?? homePathFor(locals.actor));
	const app = getApp();
	const pending = await findPendingSignIn(
		{ requestHeaders: request.headers },
		{ db: app.database.db, auth: app.auth }
	);
	if (!pending) redirect(303, '/signin');
	return {};
};

export const actions: Actions = {
	default: async ({ request, url, cookies, locals }) => {
		const data = await request.formData();
		const app = getApp();
		const deps = { db: app.database.db, auth: app.auth, config: app.config };
		try {
			await verifySecondFactor(
				{ requestHeaders: request.headers, input: { code: formText(data, 'code') } },
				deps
			);
		} catch (error) {
			return failForm(error, formValues(data, ['code']));
		}
		// The same cookie now opens a full session, in the programme chosen as on every request (the
		// host's, the remembered one, their only one); a person of several programmes picks one next.
		const resolution = await findActorBySession(
			{
				requestHeaders: request.headers,
				programmeId: cookies.get(PROGRAMME_COOKIE) ?? null,
				programmeOfHost: locals.programmeOfHost ?? null
			},
			deps
		);
		const next = url.searchParams.get('next');
		redirect(
			303,
			resolution.mustChooseProgramme
				? chooseProgrammePath(next)
				: (safeNextPath(next) ?? landingPathFor(resolution))
		);
	}
};
