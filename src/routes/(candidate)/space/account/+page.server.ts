import { getApp } from '#server/app.ts';
import { MIN_PASSWORD_LENGTH } from '#server/auth/auth.ts';
import { getOwnPasswordStatus, setOwnPassword } from '#server/domain/account/account-sign-in-link.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/** The candidate's sign-in: links by default, a password if they add one. */
export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return {
		email: actor.email,
		minLength: MIN_PASSWORD_LENGTH,
		...(await getOwnPasswordStatus({ actor }, { db: getApp().database.db }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const app = getApp();
		try {
			await setOwnPassword(
				{
					actor,
					input: { password: formText(data, 'password'), confirmation: formText(data, 'confirmation') },
					requestHeaders: event.request.headers
				},
				{ db: app.database.db, auth: app.auth }
			);
		} catch (err) {
			return failForm(err, formValues(data));
		}
		return { isSet: true };
	}
};
