import { listPhotos } from '#server/domain/media/media.service.ts';
import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { markdownToText, renderMarkdown } from '#server/content/markdown.ts';
import { findCommuneConnectivity } from '#server/domain/connectivity/connectivity.service.ts';
import { findMetropoleName } from '#server/domain/portal/portal.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { listPublicVillages } from '#server/domain/village/village.service.ts';
import { getPublicWorkspaceBySlug } from '#server/domain/workspace/workspace.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { haversineKm } from '$lib/domain/geo.ts';
import type { MapFeature, MapMarker } from '$lib/domain/map.ts';
import { loadTerritoryMap, placesFrom } from '#server/domain/territory/territory-places.service.ts';
import type { PageServerLoad } from './$types';

/** This page runs in the browser for its map (Leaflet, loaded when shown); the public layout turns that off elsewhere. */
export const csr = true;

const MAP_RADIUS_KM = 12;

export const load: PageServerLoad = async ({ params, locals }) => {
	const db = getApp().database.db;
	const locale = locals.locale;
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) error(404, { code: 'workspace.not_found', message: 'Workspace not found' });
	const { workspace } = await getPublicWorkspaceBySlug(
		{ programmeId: programme.id, slug: params.slug, locale },
		{ db }
	).catch(throwHttpError);
	const { connectivity } = await findCommuneConnectivity({ communeCode: workspace.communeCode }, { db });
	const { name: metropole } = await findMetropoleName({ programmeId: programme.id }, { db });
	const { villages } = await listPublicVillages({ programmeId: programme.id, locale }, { db });
	const partners = new Map(villages.map((v) => [v.communeCode, v.slug]));

	const territory = await loadTerritoryMap({ programme }, { db });
	// The locator: the workspace on the whole territory, its commune highlighted.
	const places = placesFrom(territory);
	const features: MapFeature[] = [];
	const markers: MapMarker[] = [];
	if (workspace.position) {
		const centre = workspace.position;
		for (const commune of territory.communes) {
			if (!commune.geometry || !commune.centroid) continue;
			if (haversineKm(centre, commune.centroid) > MAP_RADIUS_KM) continue;
			const slug = partners.get(commune.code);
			features.push({
				type: 'Feature',
				properties: {
					code: commune.code,
					name: commune.name,
					category: slug ? 'partner' : 'other',
					href: slug ? `/villages/${slug}` : null,
					...(commune.code === workspace.communeCode && {
						labelled: true,
						labelPosition: [commune.centroid.lon, commune.centroid.lat] as [number, number]
					})
				},
				geometry: commune.geometry
			});
		}
		markers.push({ lat: centre.lat, lon: centre.lon, label: workspace.name, kind: 'workspace' });
	}

	const { photos } = await listPhotos(
		{ programmeId: programme.id, ownerKind: 'workspace', ownerId: workspace.id },
		{ db }
	);
	return {
		photos,
		workspace,
		descriptionHtml: renderMarkdown(workspace.description),
		summary: markdownToText(workspace.description, 155),
		connectionLevel: connectivity?.effectiveLevel ?? null,
		villageSlug: partners.get(workspace.communeCode) ?? null,
		metropole,
		features,
		markers,
		placeOutlines: places.outlines,
		place: places.placeOf(workspace.communeCode, workspace.position)
	};
};
