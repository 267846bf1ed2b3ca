import { getApp } from '#server/app.ts';
import { duplicateEvent, getManagedEvent } from '#server/domain/event/event.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { formValues, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import { fromLocalInput } from '$lib/domain/datetime.ts';
import type { Actions, PageServerLoad } from './$types';
import { failFormOf, nullableTextOf, textOf } from '../../../villages/listing-forms.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	try {
		const { event: source } = await getManagedEvent(
			{ actor, eventId: event.params.eventId },
			{ db: getApp().database.db }
		);
		return { event: source };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	duplicate: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		const endsAt = nullableTextOf(data, 'endsAt');
		let eventId: string;
		try {
			const { event: copy } = await duplicateEvent(
				{
					actor,
					eventId: event.params.eventId,
					input: {
						startsAt: fromLocalInput(textOf(data, 'startsAt')),
						endsAt: endsAt === null ? null : fromLocalInput(endsAt)
					}
				},
				{ db: getApp().database.db }
			);
			eventId = copy.id;
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		seeOther(`/backoffice/events/${eventId}`, { done: 'duplicated' });
	}
};
