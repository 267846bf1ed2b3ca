import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { getEventCalendarFile } from '#server/domain/event-registration/event-registration.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { RequestHandler } from './$types';

/** The event as an iCalendar file, for the visitor's calendar application. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { database, config } = getApp();
	const { programme } = await findPublicProgramme(
		{ programmeId: locals.programmeOfHost },
		{ db: database.db }
	);
	if (!programme) error(404, { code: 'event.not_found', message: 'Event not found' });
	const { fileName, text } = await getEventCalendarFile(
		{ programmeId: programme.id, eventId: params.eventId, locale: locals.locale },
		{ db: database.db, config }
	).catch(throwHttpError);
	return new Response(text, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'public, max-age=300'
		}
	});
};
