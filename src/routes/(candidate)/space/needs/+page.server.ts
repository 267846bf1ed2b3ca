import { fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { getNeeds, saveNeeds } from '#server/domain/matching/matching.service.ts';
import { needsInputFromForm } from '#server/domain/matching/matching.schemas.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, STATUS, throwHttpError, issuesByField } from '#server/http/errors.ts';
import { ValidationError } from '#server/validation.ts';
import type { Actions, PageServerLoad } from './$types';

/** The candidate's needs questionnaire (the service refuses anyone but the case's candidate). */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		return await getNeeds({ actor }, { db: getApp().database.db });
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const input = needsInputFromForm(await request.formData());
		try {
			await saveNeeds({ actor, input }, { db: getApp().database.db });
		} catch (err) {
			// What was typed comes back as typed, children included, with each field's error.
			if (err instanceof ValidationError)
				return fail(STATUS.invalid, { input, issues: issuesByField(err.issues) });
			return failForm(err, {});
		}
		return { isSaved: true };
	}
};
