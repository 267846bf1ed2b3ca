import { error, fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { markdownToText, renderMarkdown } from '#server/content/markdown.ts';
import { getPublicEvent } from '#server/domain/event/event.service.ts';
import {
	getRegistrationSummary,
	registerForEvent
} from '#server/domain/event-registration/event-registration.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { HONEYPOT_FIELD, isHoneypotFilled } from '#server/http/honeypot.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const db = getApp().database.db;
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) error(404, { code: 'event.not_found', message: 'Event not found' });
	const { event } = await getPublicEvent(
		{ programmeId: programme.id, eventId: params.eventId, locale: locals.locale },
		{ db }
	).catch(throwHttpError);
	const registration = await getRegistrationSummary(
		{ actor: locals.actor, programmeId: programme.id, eventId: event.id },
		{ db }
	).catch(throwHttpError);
	return {
		event,
		registration,
		signedIn: locals.actor ? { name: locals.actor.name, email: locals.actor.email } : null,
		isPast: event.endsAt.getTime() < Date.now(),
		descriptionHtml: renderMarkdown(event.description),
		summary: markdownToText(event.description, 155)
	};
};

export const actions: Actions = {
	register: async ({ params, locals, request, getClientAddress }) => {
		const { database, config } = getApp();
		const { programme } = await findPublicProgramme(
			{ programmeId: locals.programmeOfHost },
			{ db: database.db }
		);
		if (!programme) return fail(404, { code: 'event.not_found' });
		const data = await request.formData();
		if (!locals.actor && isHoneypotFilled(data)) {
			// A bot: the usual answer, nothing written or mailed.
			locals.logger.info({ reason: 'honeypot' }, 'Event registration dropped');
			return { registered: { status: 'registered' as const, position: null, isAlreadyRegistered: false } };
		}
		const values = formValues(data, [HONEYPOT_FIELD]);
		try {
			const result = await registerForEvent(
				{
					actor: locals.actor,
					programmeId: programme.id,
					eventId: params.eventId,
					input: locals.actor ? {} : { name: formText(data, 'name'), email: formText(data, 'email') },
					locale: locals.locale,
					clientAddress: getClientAddress()
				},
				{ db: database.db, config }
			);
			// The confirmation (or waiting-list) mail leaves now, not at the worker's next pass.
			void getApp().mailer.kick();
			return {
				registered: {
					status: result.status,
					position: result.position,
					isAlreadyRegistered: result.isAlreadyRegistered
				}
			};
		} catch (err) {
			return failForm(err, values);
		}
	}
};
