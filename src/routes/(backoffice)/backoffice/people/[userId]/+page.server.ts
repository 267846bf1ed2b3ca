import { getApp } from '#server/app.ts';
import {
	changePersonRole,
	deactivatePerson,
	getPerson,
	getScopeChoices,
	reactivatePerson
} from '#server/domain/people/people.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formValues, throwHttpError } from '#server/http/errors.ts';
import { roleScopeInput } from '../people-form.server.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const result = await getPerson({ actor, userId: params.userId }, { db });
		const choices = result.canManage
			? await getScopeChoices({ actor }, { db })
			: { villages: [], organisations: [] };
		return { ...result, ...choices, isSelf: result.person.id === actor.userId };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	changeRole: async ({ locals, request, url, params }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			await changePersonRole(
				{ actor, input: { userId: params.userId, ...roleScopeInput(data) } },
				{ db: getApp().database.db }
			);
			return { changed: true };
		} catch (err) {
			return failForm(err, formValues(data));
		}
	},
	deactivate: async ({ locals, url, params }) => {
		const actor = requireActor({ locals, url });
		try {
			await deactivatePerson({ actor, userId: params.userId }, { db: getApp().database.db });
			return { deactivated: true };
		} catch (err) {
			return failForm(err, {});
		}
	},
	reactivate: async ({ locals, url, params }) => {
		const actor = requireActor({ locals, url });
		try {
			await reactivatePerson({ actor, userId: params.userId }, { db: getApp().database.db });
			return { reactivated: true };
		} catch (err) {
			return failForm(err, {});
		}
	}
};
