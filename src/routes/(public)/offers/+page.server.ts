import { getApp } from '#server/app.ts';
import { listCoverPhotos } from '#server/domain/media/media.service.ts';
import { searchOffers, type PublicOffer } from '#server/domain/offer/offer.service.ts';
import { findMetropoleName } from '#server/domain/portal/portal.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { listPublicVillages } from '#server/domain/village/village.service.ts';
import {
	distanceAvailability,
	distanceChoices,
	LEVEL_OPTIONS,
	pickDistance,
	pickMany,
	pickOne,
	readWholeNumber
} from '../villages/filters.ts';
import { loadPlaces } from '#server/domain/territory/territory-places.service.ts';
import type { PageServerLoad } from './$types';

const KINDS = [
	'house_rent',
	'house_sale',
	'flat_rent',
	'flat_sale',
	'premises_rent',
	'premises_sale',
	'business_takeover',
	'land',
	'partner_job'
] as const;
const SORTS = ['recent', 'price_asc', 'price_desc', 'surface_desc'] as const;
type Sort = (typeof SORTS)[number];

/** Sorts a copy; offers without a price or surface go last whatever the direction. */
function sortOffers(offers: PublicOffer[], sort: Sort): PublicOffer[] {
	if (sort === 'recent') return offers;
	const value = (offer: PublicOffer) => (sort === 'surface_desc' ? offer.surfaceM2 : offer.price);
	const direction = sort === 'price_asc' ? 1 : -1;
	return [...offers].sort((a, b) => {
		const [x, y] = [value(a), value(b)];
		if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
		return (x - y) * direction;
	});
}

export const load: PageServerLoad = async ({ url, locals }) => {
	const db = getApp().database.db;
	const locale = locals.locale;
	const params = url.searchParams;
	const maxPrice = readWholeNumber(params, 'max');
	const minSurface = readWholeNumber(params, 'surface');
	const filters = {
		kinds: pickMany(params, 'kind', KINDS),
		max: maxPrice.raw,
		surface: minSurface.raw,
		commune: params.get('commune') ?? '',
		km: pickDistance(params),
		level: pickOne(params, 'level', LEVEL_OPTIONS),
		sort: pickOne(params, 'sort', SORTS) ?? 'recent'
	};
	const invalid = { max: maxPrice.isInvalid, surface: minSurface.isInvalid };
	const options = {
		kinds: KINDS,
		sorts: SORTS,
		levels: LEVEL_OPTIONS,
		distances: distanceChoices(filters.km)
	};
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	const empty = {
		offers: [],
		total: 0,
		communes: [],
		metropole: null,
		activeCount: 0,
		isLocating: false,
		distance: { isAvailable: false, unlocated: 0, isIgnored: false },
		placeOutlines: null
	};
	if (!programme) return { ...empty, filters, invalid, options };

	// Independent reads, in parallel. Every public offer (filters apart): the description's count,
	// and whether distances are known.
	const [{ villages }, { offers: all }, { name: metropole }, places] = await Promise.all([
		listPublicVillages({ programmeId: programme.id, locale }, { db }),
		searchOffers({ programmeId: programme.id, locale }, { db }),
		findMetropoleName({ programmeId: programme.id }, { db }),
		loadPlaces({ programme }, { db })
	]);
	const communes = villages.map((v) => ({ code: v.communeCode, name: v.name }));
	const commune = communes.some((c) => c.code === filters.commune) ? filters.commune : undefined;
	// Anonymised offers never show a place (a note says so): they are not "unlocated".
	const availability = distanceAvailability(all.filter((offer) => !offer.isDetailsHidden));
	const distance = { ...availability, isIgnored: Boolean(filters.km) && !availability.isAvailable };
	const { offers } = await searchOffers(
		{
			programmeId: programme.id,
			filters: {
				kinds: filters.kinds,
				maxPrice: maxPrice.value,
				minSurface: minSurface.value,
				communeCode: commune,
				maxDistanceToMetropoleKm: availability.isAvailable ? filters.km : undefined,
				minConnectionLevel: filters.level
			},
			locale
		},
		{ db }
	);
	const activeCount = [
		filters.kinds.length > 0,
		maxPrice.value !== undefined,
		minSurface.value !== undefined,
		commune,
		filters.km,
		filters.level
	].filter(Boolean).length;

	// Each card's photo, else its commune on the territory; a confidential takeover shows neither
	// (a picture or a commune would reveal the business): the bare territory.
	const shown = offers.filter((offer) => !offer.isDetailsHidden);
	const { covers } = await listCoverPhotos(
		{ programmeId: programme.id, ownerKind: 'offer', ownerIds: shown.map((offer) => offer.id) },
		{ db }
	);
	return {
		placeOutlines: places.outlines,
		offers: sortOffers(offers, filters.sort).map((offer) => ({
			cover: offer.isDetailsHidden
				? { photo: null, place: null }
				: { photo: covers[offer.id] ?? null, place: places.placeOf(offer.communeCode) },
			id: offer.id,
			kind: offer.kind,
			title: offer.title,
			communeName: offer.communeName,
			price: offer.price,
			priceBand: offer.priceBand,
			surfaceM2: offer.surfaceM2,
			rooms: offer.rooms,
			sector: offer.sector,
			areaLabel: offer.areaLabel,
			connectionLevel: offer.connectionLevel,
			distanceToMetropoleKm: offer.distanceToMetropoleKm,
			isDetailsHidden: offer.isDetailsHidden,
			isDemo: offer.isDemo
		})),
		total: all.length,
		communes,
		metropole,
		filters: { ...filters, commune: commune ?? '' },
		invalid,
		options,
		activeCount,
		isLocating: Boolean(commune || filters.km),
		distance
	};
};
