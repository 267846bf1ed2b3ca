import { getApp } from '#server/app.ts';
import {
	createObservatoryToken,
	listObservatoryTokens,
	revokeObservatoryToken
} from '#server/domain/observatory/observatory-token.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/** Funders' API tokens: admins create (shown once), list and revoke them. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		const { tokens } = await listObservatoryTokens({ actor }, { db: getApp().database.db });
		return { tokens, apiUrl: `${url.origin}/api/v1/observatory` };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	create: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			const { token, item } = await createObservatoryToken(
				{ actor, input: { label: formText(data, 'label') } },
				{ db: getApp().database.db }
			);
			// The secret leaves the server once, in this answer; it is never stored or shown again.
			return { created: { token, label: item.label } };
		} catch (err) {
			return failForm(err, formValues(data));
		}
	},
	revoke: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			await revokeObservatoryToken(
				{ actor, tokenId: formText(data, 'tokenId') },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, {});
		}
		return { isRevoked: true };
	}
};
