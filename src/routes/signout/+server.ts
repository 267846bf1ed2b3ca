import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { signOut } from '#server/domain/account/account.service.ts';
import { forwardSetCookies } from '#server/http/cookies.ts';
import type { RequestHandler } from './$types';

/** Sign-out is a POST from a form (SvelteKit checks its Origin, so no other site can sign people out). */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const { headers } = await signOut({ requestHeaders: request.headers }, { auth: getApp().auth });
	forwardSetCookies(headers, cookies);
	redirect(303, '/');
};
