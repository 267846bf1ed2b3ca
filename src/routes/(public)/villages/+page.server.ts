import { getApp } from '#server/app.ts';
import { listCoverPhotos } from '#server/domain/media/media.service.ts';
import { findMetropoleName } from '#server/domain/portal/portal.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { connectionLevelsAtLeast } from '#server/domain/connectivity/connectivity.rules.ts';
import { VILLAGE_SERVICE_FILTERS } from '#server/domain/village/village.schemas.ts';
import { listPublicVillages, type PublicVillage } from '#server/domain/village/village.service.ts';
import { labelPoint, type Bounds, type MapFeatureProperties } from '$lib/domain/map.ts';
import {
	distanceAvailability,
	distanceChoices,
	LEVEL_OPTIONS,
	pickDistance,
	pickOne,
	readSearch
} from './filters.ts';
import {
	loadTerritoryMap,
	outlineUrls,
	placesFrom
} from '#server/domain/territory/territory-places.service.ts';
import type { PageServerLoad } from './$types';

/** This page runs in the browser for its map (Leaflet, loaded when shown); the public layout turns that off elsewhere. */
export const csr = true;

/** How many of the most populated communes get their name printed on the map. */
const LABELLED = 6;

export type VillageCategory = 'match' | 'partner' | 'prospect' | 'other';
/** A commune of the map: its shape is in /map/outlines.svg (and .json), not in the page. */
type MapPlace = { type: 'Feature'; properties: MapFeatureProperties };
type MapOutlines = { svg: string; json: string; bounds: Bounds };

const toCard = (village: PublicVillage) => ({
	slug: village.slug,
	name: village.name,
	population: village.population,
	status: village.status,
	connectionLevel: village.connectionLevel,
	distanceToMetropoleKm: village.distanceToMetropoleKm,
	offerCount: village.offerCount,
	services: village.services,
	isDemo: village.isDemo
});

export const load: PageServerLoad = async ({ url, locals }) => {
	const db = getApp().database.db;
	const locale = locals.locale;
	const params = url.searchParams;
	const filters = {
		q: readSearch(params),
		scope: pickOne(params, 'scope', ['partner', 'all'] as const) ?? 'partner',
		level: pickOne(params, 'level', LEVEL_OPTIONS),
		km: pickDistance(params),
		service: pickOne(params, 'service', VILLAGE_SERVICE_FILTERS),
		offers: params.get('offers') === '1'
	};
	const activeCount = [
		filters.q,
		filters.scope === 'all',
		filters.level,
		filters.km,
		filters.service,
		filters.offers
	].filter(Boolean).length;
	const options = {
		levels: LEVEL_OPTIONS,
		distances: distanceChoices(filters.km),
		services: VILLAGE_SERVICE_FILTERS
	};
	const noDistance = { isAvailable: false, unlocated: 0, isIgnored: false };

	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) {
		return {
			villages: [],
			partnerCount: 0,
			filters,
			activeCount,
			options,
			metropole: null,
			features: [] as MapPlace[],
			outlines: null as MapOutlines | null,
			distance: noDistance,
			placeOutlines: null
		};
	}
	// Independent reads, in parallel.
	const [{ villages: all }, { name: metropole }, { communes, outlines }] = await Promise.all([
		listPublicVillages({ programmeId: programme.id, filters: { isPartnerOnly: false }, locale }, { db }),
		findMetropoleName({ programmeId: programme.id }, { db }),
		loadTerritoryMap({ programme }, { db })
	]);
	// Villages of the chosen scope: the distance filter is offered only if some have a known distance.
	const inScope = all.filter((v) => filters.scope === 'all' || v.status === 'partner');
	const availability = distanceAvailability(inScope);
	const distance = {
		...availability,
		// A distance in the URL that cannot be applied is ignored, and the page says so.
		isIgnored: Boolean(filters.km) && !availability.isAvailable
	};
	const { villages } = await listPublicVillages(
		{
			programmeId: programme.id,
			filters: {
				isPartnerOnly: filters.scope !== 'all',
				connectionLevels: filters.level ? connectionLevelsAtLeast(filters.level) : [],
				maxDistanceToMetropoleKm: availability.isAvailable ? filters.km : undefined,
				hasOffers: filters.offers,
				service: filters.service,
				search: filters.q || undefined
			},
			locale
		},
		{ db }
	);

	const matching = new Set(villages.filter((v) => v.status === 'partner').map((v) => v.communeCode));
	const byCode = new Map(all.map((v) => [v.communeCode, v]));
	const labelled = new Set(
		communes
			.filter((c) => c.population !== null)
			.sort((a, b) => (b.population ?? 0) - (a.population ?? 0))
			.slice(0, LABELLED)
			.map((c) => c.code)
	);
	const features: MapPlace[] = [];
	for (const commune of communes) {
		if (!commune.geometry) continue;
		const village = byCode.get(commune.code);
		const category: VillageCategory = !village
			? 'other'
			: village.status !== 'partner'
				? 'prospect'
				: matching.has(commune.code)
					? 'match'
					: 'partner';
		features.push({
			type: 'Feature',
			properties: {
				code: commune.code,
				name: commune.name,
				category,
				href: village?.status === 'partner' ? `/villages/${village.slug}` : null,
				...(labelled.has(commune.code) && {
					labelled: true,
					labelPosition: commune.centroid
						? [commune.centroid.lon, commune.centroid.lat]
						: labelPoint(commune.geometry)
				})
			}
		});
	}

	// Each card's photo, else its commune on the territory.
	const { covers } = await listCoverPhotos(
		{ programmeId: programme.id, ownerKind: 'village', ownerIds: villages.map((v) => v.id) },
		{ db }
	);
	const places = placesFrom({ communes, outlines });
	return {
		villages: villages.map((village) => ({
			...toCard(village),
			cover: {
				photo: covers[village.id] ?? null,
				place: places.placeOf(village.communeCode, village.centroid)
			}
		})),
		placeOutlines: places.outlines,
		partnerCount: all.filter((v) => v.status === 'partner').length,
		filters,
		activeCount,
		options,
		metropole,
		features,
		outlines: outlines.bounds ? { ...outlineUrls('light', outlines), bounds: outlines.bounds } : null,
		distance
	};
};
