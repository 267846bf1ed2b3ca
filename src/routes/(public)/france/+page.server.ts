import { getApp } from '#server/app.ts';
import { NATIONAL_KINDS, type NationalKind } from '#server/domain/national/national.schemas.ts';
import { searchNational, type NationalSearchResult } from '#server/domain/national/national.service.ts';
import { getProgrammeAddresses } from '#server/domain/programme/programme-host.service.ts';
import { getPublicOutlines } from '#server/domain/territory/territory-outlines.service.ts';
import { listCommunes } from '#server/domain/territory/territory.service.ts';
import { ValidationError } from '#server/validation.ts';
import { translate } from '$lib/i18n/index.ts';
import type { MapFeature, MapMarker } from '$lib/domain/map.ts';
import type { PageServerLoad } from './$types';

/** This page runs in the browser for its map (Leaflet, loaded when shown); the public layout turns that off elsewhere. */
export const csr = true;

/** How many programmes get a colour of their own on the map; the others share the last one. */
const PROGRAMME_COLOURS = 8;

/**
 * The national portal: one search and one map across the programmes that take part
 * (searchNational). The page is the same for every visitor, so it is cached as the other public
 * pages; any write to a programme, its hosts or its listings drops it (public-cache.ts).
 */
export const load: PageServerLoad = async ({ url, locals }) => {
	const { database, config } = getApp();
	const db = database.db;
	const params = url.searchParams;
	const kinds = params.getAll('kind');
	const input = {
		q: params.get('q') ?? '',
		kinds: kinds as NationalKind[],
		programme: params.get('programme') ?? '',
		region: params.get('region') ?? '',
		page: Number(params.get('page') || '1'),
		locale: locals.locale
	};
	let result: NationalSearchResult;
	let issues: Record<string, string> = {};
	try {
		result = await searchNational(input, { db });
	} catch (err) {
		if (!(err instanceof ValidationError)) throw err;
		issues = Object.fromEntries(err.issues.map((issue) => [issue.field, issue.code]));
		result = await searchNational({ q: '', locale: locals.locale, page: 1 }, { db });
		result = { ...result, hits: [], total: 0, places: [], pageCount: 1 };
	}
	// Each result links to its programme's own site: its primary host, else its address on this origin.
	const origins = Object.fromEntries(
		await getProgrammeAddresses(
			{ programmeIds: result.programmes.map((p) => p.id), origin: url.origin },
			{ db, config }
		)
	);
	const colourOf = new Map(
		result.programmes.map((p, index) => [p.id, `p${Math.min(index, PROGRAMME_COLOURS - 1)}`])
	);

	// The map: the communes holding this page's results, simplified as the public maps' outlines.
	const codes = [...new Set(result.hits.flatMap((hit) => (hit.communeCode ? [hit.communeCode] : [])))];
	const { communes } = codes.length ? await listCommunes({ codes, limit: 5000 }, { db }) : { communes: [] };
	const { outlines } = communes.length
		? await getPublicOutlines(
				{ detail: 'light', communes, departements: [...new Set(communes.map((c) => c.departementCode))] },
				{ db }
			)
		: { outlines: { shapes: [] as { code: string; geometry: MapFeature['geometry'] }[] } };
	const shapes = new Map(outlines.shapes.map((shape) => [shape.code, shape.geometry]));
	const features: MapFeature[] = [];
	for (const commune of communes) {
		const geometry = shapes.get(commune.code);
		const hit = result.hits.find((h) => h.communeCode === commune.code);
		if (!geometry || !hit) continue;
		features.push({
			type: 'Feature',
			properties: {
				code: commune.code,
				name: commune.name,
				category: colourOf.get(hit.programme.id) ?? 'p0',
				detail: hit.programme.name
			},
			geometry
		});
	}
	// Where every result of the search is (communes, or départements when they are many), under
	// the markers of this page's results.
	const placeMarkers: MapMarker[] = result.places.map((place) => ({
		lat: place.position.lat,
		lon: place.position.lon,
		label: translate(locals.locale, `national_map_place_${place.kind}`, {
			name: place.name,
			count: place.count,
			programmes: place.programmes.map((p) => p.name).join(', ')
		}),
		href: null,
		kind: 'place'
	}));
	const hitMarkers: MapMarker[] = result.hits.flatMap((hit) =>
		hit.position
			? [
					{
						lat: hit.position.lat,
						lon: hit.position.lon,
						label: `${hit.title ?? hit.communeName ?? ''} — ${hit.programme.name}`,
						href: `${origins[hit.programme.id]}${hit.path}`,
						kind: hit.kind
					}
				]
			: []
	);
	return {
		q: input.q,
		result,
		issues,
		origins,
		kinds: NATIONAL_KINDS,
		programmeColours: Object.fromEntries(colourOf),
		map: { type: 'FeatureCollection' as const, features },
		markers: [...placeMarkers, ...hitMarkers],
		tileUrl: config.tileUrl || null,
		tileAttribution: config.tileAttribution || null
	};
};
