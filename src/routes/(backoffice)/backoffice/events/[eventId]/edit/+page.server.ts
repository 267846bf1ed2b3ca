import { getApp } from '#server/app.ts';
import { getManagedEvent, updateEvent } from '#server/domain/event/event.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { formValues, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';
import { communeChoicesOf, failFormOf } from '../../../villages/listing-forms.server.ts';
import { eventChoices, eventInput, eventValues } from '../../event-form.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = getApp().database.db;
	try {
		const managed = await getManagedEvent({ actor, eventId: event.params.eventId }, { db });
		return {
			event: managed.event,
			canEdit: managed.canEdit,
			isPast: managed.isPast,
			values: eventValues(managed.event),
			choices: await eventChoices(actor, { db })
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		const app = getApp();
		let notified: number;
		try {
			({ notified } = await updateEvent(
				{ actor, eventId: event.params.eventId, input: eventInput(data, await communeChoicesOf(actor)) },
				{ db: app.database.db, config: app.config }
			));
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		seeOther(`/backoffice/events/${event.params.eventId}`, {
			done: notified ? `notified-${notified}` : 'saved'
		});
	}
};
