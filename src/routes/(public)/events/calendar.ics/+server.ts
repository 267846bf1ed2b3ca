import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { getProgrammeCalendarFeed } from '#server/domain/event-registration/event-registration.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import type { RequestHandler } from './$types';

/** The programme's calendar feed: calendar applications subscribe to this address. */
export const GET: RequestHandler = async ({ locals }) => {
	const { database, config } = getApp();
	const { programme } = await findPublicProgramme(
		{ programmeId: locals.programmeOfHost },
		{ db: database.db }
	);
	if (!programme) error(404, { code: 'event.not_found', message: 'No programme' });
	const { text } = await getProgrammeCalendarFeed(
		{ programmeId: programme.id, locale: locals.locale },
		{ db: database.db, config }
	);
	return new Response(text, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `inline; filename="${programme.slug}-events.ics"`,
			'cache-control': 'public, max-age=900'
		}
	});
};
