import { getApp } from '#server/app.ts';
import { publicOrigin } from '#server/config.ts';
import { renderOwnStaysCalendar } from '#server/domain/discovery-stay/discovery-stay.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { RequestHandler } from './$types';

/** The candidate's own stays and meetings as an iCalendar file; the service refuses anyone else. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const { database, config } = getApp();
	const { ics } = await renderOwnStaysCalendar(
		{ actor },
		{ db: database.db, domain: new URL(publicOrigin(config)).host }
	).catch(throwHttpError);
	return new Response(ics, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'attachment; filename="stays.ics"',
			'cache-control': 'private, no-store'
		}
	});
};
