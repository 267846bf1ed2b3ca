import { getApp } from '#server/app.ts';
import {
	cancelRegistration,
	getRegistrationByToken
} from '#server/domain/event-registration/event-registration.service.ts';
import { failForm, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/** The personal link of a registration: where the person stands, and a button to cancel. */
export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	// A personal page: never cached, never indexed.
	setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	const view = await getRegistrationByToken(
		{ token: params.token, locale: locals.locale },
		{ db: getApp().database.db }
	).catch(throwHttpError);
	return { view };
};

export const actions: Actions = {
	cancel: async ({ params, locals }) => {
		const { database, config } = getApp();
		try {
			await cancelRegistration({ token: params.token, locale: locals.locale }, { db: database.db, config });
			// A freed seat goes to the first person waiting, who is told by mail: now.
			void getApp().mailer.kick();
			return { isCancelled: true };
		} catch (err) {
			return failForm(err, {});
		}
	}
};
