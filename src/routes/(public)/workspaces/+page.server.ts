import { getApp } from '#server/app.ts';
import { listCoverPhotos } from '#server/domain/media/media.service.ts';
import { findMetropoleName } from '#server/domain/portal/portal.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { listPublicVillages } from '#server/domain/village/village.service.ts';
import { listPublicWorkspaces } from '#server/domain/workspace/workspace.service.ts';
import type { Bounds, MapFeatureProperties, MapMarker } from '$lib/domain/map.ts';
import { pickMany } from '../villages/filters.ts';
import {
	loadTerritoryMap,
	outlineUrls,
	placesFrom
} from '#server/domain/territory/territory-places.service.ts';
import type { PageServerLoad } from './$types';

/** This page runs in the browser for its map (Leaflet, loaded when shown); the public layout turns that off elsewhere. */
export const csr = true;

const KINDS = ['telecentre', 'coworking', 'tiers_lieu', 'fablab'] as const;
/** A commune of the map: its shape is in /map/outlines.svg (and .json), not in the page. */
type MapPlace = { type: 'Feature'; properties: MapFeatureProperties };
type MapOutlines = { svg: string; json: string; bounds: Bounds };

export const load: PageServerLoad = async ({ url, locals }) => {
	const db = getApp().database.db;
	const locale = locals.locale;
	const kinds = pickMany(url.searchParams, 'kind', KINDS);
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) {
		return {
			workspaces: [],
			total: 0,
			kinds,
			options: KINDS,
			metropole: null,
			features: [] as MapPlace[],
			outlines: null as MapOutlines | null,
			markers: [],
			placeOutlines: null
		};
	}
	const programmeId = programme.id;
	// Independent reads, in parallel; without a kind chosen, the list shown is the whole list.
	const [{ workspaces }, { workspaces: all }, { name: metropole }, { villages }, { communes, outlines }] =
		await Promise.all([
			listPublicWorkspaces({ programmeId, filters: { kinds }, locale }, { db }),
			kinds.length > 0 ? listPublicWorkspaces({ programmeId, locale }, { db }) : null,
			findMetropoleName({ programmeId }, { db }),
			listPublicVillages({ programmeId, locale }, { db }),
			loadTerritoryMap({ programme }, { db })
		]).then(([shown, whole, ...rest]) => [shown, whole ?? shown, ...rest] as const);

	// The map: partner villages shaded, one marker per workspace shown, coloured by kind.
	const partners = new Map(villages.map((v) => [v.communeCode, v.slug]));
	const features: MapPlace[] = [];
	for (const commune of communes) {
		if (!commune.geometry) continue;
		const slug = partners.get(commune.code);
		features.push({
			type: 'Feature',
			properties: {
				code: commune.code,
				name: commune.name,
				category: slug ? 'partner' : 'other',
				href: slug ? `/villages/${slug}` : null
			}
		});
	}
	const markers: MapMarker[] = workspaces.flatMap((w) =>
		w.position
			? [
					{
						lat: w.position.lat,
						lon: w.position.lon,
						label: w.name,
						href: `/workspaces/${w.slug}`,
						kind: w.kind
					}
				]
			: []
	);

	// Each card's photo, else its commune on the territory.
	const { covers } = await listCoverPhotos(
		{ programmeId, ownerKind: 'workspace', ownerIds: workspaces.map((w) => w.id) },
		{ db }
	);
	const places = placesFrom({ communes, outlines });
	return {
		placeOutlines: places.outlines,
		workspaces: workspaces.map((w) => ({
			cover: { photo: covers[w.id] ?? null, place: places.placeOf(w.communeCode, w.position) },
			slug: w.slug,
			name: w.name,
			kind: w.kind,
			communeName: w.communeName,
			capacity: w.capacity,
			connection: w.connection,
			prices: w.prices,
			distanceToMetropoleKm: w.distanceToMetropoleKm,
			isDemo: w.isDemo
		})),
		total: all.length,
		kinds,
		options: KINDS,
		metropole,
		features,
		outlines: outlines.bounds ? { ...outlineUrls('light', outlines), bounds: outlines.bounds } : null,
		markers
	};
};
