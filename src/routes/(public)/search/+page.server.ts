import { getApp } from '#server/app.ts';
import { listCoverPhotos } from '#server/domain/media/media.service.ts';
import { searchPortal, type PortalSearchResult } from '#server/domain/portal/portal.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { loadPlaces } from '#server/domain/territory/territory-places.service.ts';
import { readSearch } from '../villages/filters.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const db = getApp().database.db;
	const q = readSearch(url.searchParams);
	const none: PortalSearchResult = { terms: [], villages: [], workspaces: [], offers: [] };
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme || q === '') return { q, result: none };
	const result = await searchPortal({ programmeId: programme.id, q, locale: locals.locale }, { db });
	// The offers' cards as on /offers: their photo, else their commune on the territory; a
	// confidential takeover shows neither (a picture or a commune would reveal the business).
	const shown = result.offers.filter((offer) => !offer.isAnonymised);
	const [{ covers }, places] = await Promise.all([
		listCoverPhotos(
			{ programmeId: programme.id, ownerKind: 'offer', ownerIds: shown.map((offer) => offer.id) },
			{ db }
		),
		loadPlaces({ programme }, { db })
	]);
	const offerCovers = Object.fromEntries(
		result.offers.map((offer) => [
			offer.id,
			offer.isAnonymised
				? { photo: null, place: null }
				: { photo: covers[offer.id] ?? null, place: places.placeOf(offer.communeCode) }
		])
	);
	return { q, result, offerCovers, placeOutlines: places.outlines };
};
