import { fail, redirect } from '@sveltejs/kit';
import { rememberProgramme } from '#server/http/programme-choice.ts';
import { signInPathFor } from '#server/http/actor.ts';
import { homePathFor, safeNextPath } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * A person of several programmes picks the one they act in. The list is their active memberships
 * of active programmes (`locals.programmes`, resolved by the auth handle); the choice is only a
 * wish kept in a cookie, checked again against those memberships on every request.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.sessionToken) redirect(303, signInPathFor(url));
	return {
		programmes: locals.programmes,
		current: locals.actor?.programmeId ?? null,
		next: safeNextPath(url.searchParams.get('next'))
	};
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url }) => {
		if (!locals.sessionToken) redirect(303, signInPathFor(url));
		const data = await request.formData();
		const programmeId = String(data.get('programmeId') ?? '');
		const chosen = locals.programmes.find((p) => p.programmeId === programmeId);
		if (!chosen) return fail(403, { code: 'account.programme_not_choosable' });
		rememberProgramme(cookies, chosen.programmeId, { secure: url.protocol === 'https:' });
		const next = safeNextPath(url.searchParams.get('next'));
		if (next) redirect(303, next);
		redirect(303, homePathFor(chosen));
	}
};
