import { getApp } from '#server/app.ts';
import { checkSignInUnlock, unlockSignIn } from '#server/domain/account/account.service.ts';
import { failForm } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * The sign-in unlock link mailed to an account's owner. Opening it changes nothing (mail
 * scanners open links); the person confirms with a button.
 */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// A personal link: never cached, never indexed.
	setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	return checkSignInUnlock({ token: params.token }, { db: getApp().database.db });
};

export const actions: Actions = {
	default: async ({ params }) => {
		try {
			await unlockSignIn({ token: params.token }, { db: getApp().database.db });
		} catch (error) {
			return failForm(error, {});
		}
		return { done: true };
	}
};
