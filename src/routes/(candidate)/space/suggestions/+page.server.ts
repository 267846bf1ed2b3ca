import { getApp } from '#server/app.ts';
import {
	getSuggestions,
	removeSuggestion,
	saveSuggestion
} from '#server/domain/matching/matching.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/** The partner villages ranked for the candidate's household, and the ones they kept. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		return { suggestions: await getSuggestions({ actor }, { db: getApp().database.db }) };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	save: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const villageId = formText(await request.formData(), 'villageId');
		try {
			await saveSuggestion({ actor, villageId }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, { villageId });
		}
		return { isSaved: true };
	},
	remove: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const villageId = formText(await request.formData(), 'villageId');
		try {
			await removeSuggestion({ actor, villageId }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, { villageId });
		}
		return { isRemoved: true };
	}
};
