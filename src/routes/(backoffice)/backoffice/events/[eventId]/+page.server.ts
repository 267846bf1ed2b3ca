import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import {
	listEventRegistrations,
	recordAttendance
} from '#server/domain/event-registration/event-registration.service.ts';
import { failForm, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	return await listEventRegistrations({ actor, eventId: params.eventId }, { db: getApp().database.db }).catch(
		throwHttpError
	);
};

export const actions: Actions = {
	attendance: async ({ locals, params, request, url }) => {
		const actor = locals.actor;
		if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
		const data = await request.formData();
		const attendedIds = data.getAll('attended').map(String);
		try {
			const result = await recordAttendance(
				{ actor, eventId: params.eventId, attendedIds },
				{ db: getApp().database.db }
			);
			return { saved: result };
		} catch (err) {
			return failForm(err, {});
		}
	}
};
