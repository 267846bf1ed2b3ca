import { fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import {
	listEventRegistrations,
	recordAttendance
} from '#server/domain/event-registration/event-registration.service.ts';
import { cancelEvent, getManagedEvent } from '#server/domain/event/event.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const managed = await getManagedEvent({ actor, eventId: params.eventId }, { db });
		// Registrants' names and emails are for staff; a draft has none.
		const registrations =
			isStaff(actor) && managed.event.status !== 'draft'
				? await listEventRegistrations({ actor, eventId: params.eventId }, { db })
				: null;
		return { ...managed, registrations, done: url.searchParams.get('done') };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	attendance: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
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
	},
	cancel: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		if (data.get('confirm') !== 'on') {
			return fail(422, { form: 'cancel', values: {}, issues: { confirm: 'event.cancel_unconfirmed' } });
		}
		const app = getApp();
		try {
			const { notified } = await cancelEvent(
				{ actor, eventId: params.eventId },
				{ db: app.database.db, config: app.config }
			);
			return { form: 'cancel', cancelled: { notified } };
		} catch (err) {
			const failure = failForm(err, {});
			return fail(failure.status, { ...failure.data, form: 'cancel' });
		}
	}
};
