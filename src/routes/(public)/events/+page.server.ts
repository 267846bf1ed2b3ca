import { getApp } from '#server/app.ts';
import { publicOrigin } from '#server/config.ts';
import { programmeAddress } from '#server/http/programme-hosts.ts';
import { EVENTS_CALENDAR_FEED_PATH } from '#server/http/sitemap.ts';
import { listPastEvents, listPublicEvents, type PublicEvent } from '#server/domain/event/event.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { EVENT_KINDS } from '#server/db/schema/index.ts';
import { pickMany } from '../villages/filters.ts';
import type { PageServerLoad } from './$types';

/** How many past events the collapsed "past events" block shows. */
const PAST_SHOWN = 12;

const toCard = (event: PublicEvent) => ({
	id: event.id,
	kind: event.kind,
	title: event.title,
	startsAt: event.startsAt,
	endsAt: event.endsAt,
	placeName: event.workspace?.name ?? event.address,
	communeName: event.workspace ? event.communeName : null,
	capacity: event.capacity,
	isOnline: event.isOnline,
	isDemo: event.isDemo
});

export const load: PageServerLoad = async ({ url, locals }) => {
	const { database, config } = getApp();
	const db = database.db;
	const locale = locals.locale;
	// The programme's calendar feed: webcal:// opens the calendar application's "subscribe".
	const kinds = pickMany(url.searchParams, 'kind', EVENT_KINDS);
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	const origin = await programmeAddress(programme?.id, { fallback: publicOrigin(config) });
	const feedUrl = `${origin}${EVENTS_CALENDAR_FEED_PATH}?lang=${locale}`;
	const feed = { https: feedUrl, webcal: feedUrl.replace(/^https?:/, 'webcal:') };
	if (!programme) {
		const none: ReturnType<typeof toCard>[] = [];
		return { upcoming: none, past: none, kinds, options: EVENT_KINDS, feed: null };
	}
	const now = new Date();
	const { events: upcoming } = await listPublicEvents(
		{ programmeId: programme.id, kinds, locale },
		{ db, now }
	);
	const { events: past } = await listPastEvents(
		{ programmeId: programme.id, kinds, locale, limit: PAST_SHOWN },
		{ db, now }
	);
	return { upcoming: upcoming.map(toCard), past: past.map(toCard), kinds, options: EVENT_KINDS, feed };
};
