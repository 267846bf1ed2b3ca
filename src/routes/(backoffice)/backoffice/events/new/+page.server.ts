import { getApp } from '#server/app.ts';
import { createEvent } from '#server/domain/event/event.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { formValues } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';
import { communeChoicesOf, failFormOf } from '../../villages/listing-forms.server.ts';
import { eventChoices, eventInput } from '../event-form.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return { choices: await eventChoices(actor, { db: getApp().database.db }) };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		let eventId: string;
		try {
			const { event: created } = await createEvent(
				{
					actor,
					input: { programmeId: actor.programmeId, ...eventInput(data, await communeChoicesOf(actor)) }
				},
				{ db: getApp().database.db }
			);
			eventId = created.id;
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		seeOther(`/backoffice/events/${eventId}`, { done: 'created' });
	}
};
