import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { markdownToText, renderMarkdown } from '#server/content/markdown.ts';
import { getPublicEvent } from '#server/domain/event/event.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const db = getApp().database.db;
	const { programme } = await findPublicProgramme({}, { db });
	if (!programme) error(404, { code: 'event.not_found', message: 'Event not found' });
	const { event } = await getPublicEvent(
		{ programmeId: programme.id, eventId: params.eventId, locale: locals.locale },
		{ db }
	).catch(throwHttpError);
	return {
		event,
		isPast: event.endsAt.getTime() < Date.now(),
		descriptionHtml: renderMarkdown(event.description),
		summary: markdownToText(event.description, 155)
	};
};
