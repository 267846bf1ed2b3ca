import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { markdownToText, renderMarkdown } from '#server/content/markdown.ts';
import { listCoverPhotos, listPhotos } from '#server/domain/media/media.service.ts';
import { listVillageStories } from '#server/domain/member/member.service.ts';
import { DEMO_CONNECTIVITY_SOURCE } from '#server/domain/connectivity/connectivity.rules.ts';
import { findCommuneConnectivity } from '#server/domain/connectivity/connectivity.service.ts';
import { searchOffers } from '#server/domain/offer/offer.service.ts';
import { findMetropoleName } from '#server/domain/portal/portal.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { getPublicVillageBySlug, listPublicVillages } from '#server/domain/village/village.service.ts';
import { listPublicWorkspaces } from '#server/domain/workspace/workspace.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { haversineKm } from '$lib/domain/geo.ts';
import type { MapFeature, MapMarker } from '$lib/domain/map.ts';
import { loadTerritoryMap, placesFrom } from '#server/domain/territory/territory-places.service.ts';
import type { PageServerLoad } from './$types';

/** This page runs in the browser for its map (Leaflet, loaded when shown); the public layout turns that off elsewhere. */
export const csr = true;

/** Workspaces within this distance (km, as the crow flies) are "near" the village. */
const NEAR_KM = 20;
/** The small map shows the communes whose centre is within this distance of the village's. */
const MAP_RADIUS_KM = 14;

export const load: PageServerLoad = async ({ params, locals }) => {
	const db = getApp().database.db;
	const locale = locals.locale;
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) error(404, { code: 'village.not_found', message: 'Village not found' });

	const { village } = await getPublicVillageBySlug(
		{ programmeId: programme.id, slug: params.slug, locale },
		{ db }
	).catch(throwHttpError);
	const programmeId = programme.id;
	// Everything else depends only on the village: read in parallel.
	const [
		{ connectivity },
		{ name: metropole },
		{ offers },
		{ workspaces },
		{ photos },
		{ stories },
		neighbours
	] = await Promise.all([
		findCommuneConnectivity({ communeCode: village.communeCode }, { db }),
		findMetropoleName({ programmeId }, { db }),
		searchOffers({ programmeId, filters: { communeCode: village.communeCode }, locale }, { db }),
		listPublicWorkspaces({ programmeId, locale }, { db }),
		listPhotos({ programmeId, ownerKind: 'village', ownerId: village.id }, { db }),
		listVillageStories({ programmeId, communeCode: village.communeCode }, { db }),
		Promise.all([
			village.centroid ? listPublicVillages({ programmeId, locale }, { db }) : null,
			loadTerritoryMap({ programme }, { db })
		])
	]);
	const [partnerList, territory] = neighbours;
	// The locator: the village's commune on the whole territory.
	const places = placesFrom(territory);
	const near = workspaces
		.map((workspace) => ({
			workspace,
			km:
				workspace.communeCode === village.communeCode
					? 0
					: village.centroid && workspace.position
						? haversineKm(village.centroid, workspace.position)
						: null
		}))
		.filter(
			(entry): entry is { workspace: (typeof workspaces)[number]; km: number } =>
				entry.km !== null && entry.km <= NEAR_KM
		)
		.sort((a, b) => a.km - b.km);

	// The small map: the village among its neighbours, other partner villages as links.
	const features: MapFeature[] = [];
	if (village.centroid && partnerList) {
		const centre = village.centroid;
		const { villages: partners } = partnerList;
		const communes = territory.communes;
		const partnerSlugs = new Map(partners.map((v) => [v.communeCode, v.slug]));
		for (const commune of communes) {
			if (!commune.geometry || !commune.centroid) continue;
			if (haversineKm(centre, commune.centroid) > MAP_RADIUS_KM) continue;
			const isVillage = commune.code === village.communeCode;
			const slug = partnerSlugs.get(commune.code);
			features.push({
				type: 'Feature',
				properties: {
					code: commune.code,
					name: commune.name,
					category: isVillage ? 'village' : slug ? 'partner' : 'other',
					href: !isVillage && slug ? `/villages/${slug}` : null,
					...(isVillage && {
						labelled: true,
						labelPosition: [commune.centroid.lon, commune.centroid.lat] as [number, number]
					})
				},
				geometry: commune.geometry
			});
		}
	}
	const markers: MapMarker[] = near
		.filter(({ km }) => km <= MAP_RADIUS_KM)
		.flatMap(({ workspace }) =>
			workspace.position
				? [
						{
							lat: workspace.position.lat,
							lon: workspace.position.lon,
							label: workspace.name,
							href: `/workspaces/${workspace.slug}`,
							kind: 'workspace'
						}
					]
				: []
		);

	// The cards' photos, else their commune on the territory.
	const [{ covers: offerCovers }, { covers: workspaceCovers }] = await Promise.all([
		listCoverPhotos(
			{
				programmeId,
				ownerKind: 'offer',
				ownerIds: offers.filter((o) => !o.isDetailsHidden).map((o) => o.id)
			},
			{ db }
		),
		listCoverPhotos(
			{ programmeId, ownerKind: 'workspace', ownerIds: near.map((n) => n.workspace.id) },
			{ db }
		)
	]);
	return {
		photos,
		offers: offers.map((offer) => ({
			...offer,
			cover: offer.isDetailsHidden
				? { photo: null, place: null }
				: { photo: offerCovers[offer.id] ?? null, place: places.placeOf(offer.communeCode) }
		})),
		stories: stories.map((story) => ({ ...story, storyHtml: renderMarkdown(story.story) })),
		village: {
			slug: village.slug,
			name: village.name,
			communeCode: village.communeCode,
			population: village.population,
			epciName: village.epciName,
			joinedOn: village.joinedOn,
			services: village.services,
			committeeContact: village.committeeContact,
			connectionLevel: village.connectionLevel,
			distanceToMetropoleKm: village.distanceToMetropoleKm,
			isDemo: village.isDemo
		},
		presentationHtml: renderMarkdown(village.presentation),
		summary: markdownToText(village.presentation, 155),
		connectivity: connectivity && {
			fibreShare: connectivity.fibreShare,
			source: connectivity.source,
			isSynthetic: connectivity.source === DEMO_CONNECTIVITY_SOURCE,
			measuredAt: connectivity.measuredAt,
			overrideLevel: connectivity.overrideLevel,
			overrideNote: connectivity.overrideNote
		},
		metropole,
		workspaces: near.map(({ workspace, km }) => ({
			cover: {
				photo: workspaceCovers[workspace.id] ?? null,
				place: places.placeOf(workspace.communeCode, workspace.position)
			},
			slug: workspace.slug,
			name: workspace.name,
			kind: workspace.kind,
			communeName: workspace.communeName,
			capacity: workspace.capacity,
			connection: workspace.connection,
			prices: workspace.prices,
			isDemo: workspace.isDemo,
			km: Math.round(km)
		})),
		nearKm: NEAR_KM,
		features,
		markers,
		placeOutlines: places.outlines,
		place: places.placeOf(village.communeCode, village.centroid)
	};
};
