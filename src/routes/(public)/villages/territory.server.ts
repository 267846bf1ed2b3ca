/**
 * The territory's communes with light outlines, for the maps of the villages, workspaces and
 * village pages. The outlines are those of `/map/outlines.svg?d=light` (territory-outlines.service.ts:
 * 3 decimals and Douglas–Peucker at ≈ 200 m, kept per commune for the life of the process);
 * `version` and `bounds` let a page draw them from that file rather than carry them.
 */
import type { Db } from '#server/db/index.ts';
import { getPublicOutlines } from '#server/domain/territory/territory-outlines.service.ts';
import { listCommunes } from '#server/domain/territory/territory.service.ts';
import {
	outlinesViewBox,
	pointOnOutlines,
	type AreaGeometry,
	type Bounds,
	type OutlinePlace,
	type PlaceOutlines
} from '$lib/domain/map.ts';
import { outlineUrls } from '../map/outlines.server.ts';

export type TerritoryCommune = {
	code: string;
	name: string;
	population: number | null;
	centroid: { lat: number; lon: number } | null;
	geometry: AreaGeometry | null;
};

export type TerritoryOutlines = { version: string; bounds: Bounds | null };

/** The public programme's communes (its `departements`), with their light outlines and the outlines' version. */
export async function loadTerritoryMap({
	db,
	departements
}: {
	db: Db;
	departements: string[];
}): Promise<{ communes: TerritoryCommune[]; outlines: TerritoryOutlines }> {
	const rows = departements.length
		? (await listCommunes({ departements, limit: 5000 }, { db })).communes
		: [];
	const { outlines } = await getPublicOutlines({ detail: 'light', communes: rows, departements }, { db });
	const shapes = new Map(outlines.shapes.map((shape) => [shape.code, shape.geometry]));
	const communes = rows.map((row) => ({
		code: row.code,
		name: row.name,
		population: row.population,
		centroid:
			row.centroidLat !== null && row.centroidLon !== null
				? { lat: row.centroidLat, lon: row.centroidLon }
				: null,
		geometry: shapes.get(row.code) ?? null
	}));
	return { communes, outlines: { version: outlines.version, bounds: outlines.bounds } };
}

/**
 * What cards and locator maps need to draw a place on the territory (PlaceOutline.svelte): the
 * light outlines file with its viewBox, and `placeOf`, which gives a commune's code and the point
 * to mark (the listing's own position when known, else the commune's centre). `outlines` is null
 * when the territory has no outline: cards then show their plain placeholder.
 */
export function placesFrom({
	communes,
	outlines
}: {
	communes: TerritoryCommune[];
	outlines: TerritoryOutlines;
}): {
	outlines: PlaceOutlines | null;
	placeOf: (code: string | null, position?: { lat: number; lon: number } | null) => OutlinePlace | null;
} {
	const bounds = outlines.bounds;
	if (!bounds) return { outlines: null, placeOf: () => null };
	const drawn = new Map(communes.filter((c) => c.geometry).map((c) => [c.code, c]));
	return {
		outlines: { svg: outlineUrls('light', outlines.version).svg, ...outlinesViewBox(bounds) },
		placeOf: (code, position) => {
			const commune = code ? drawn.get(code) : undefined;
			const at = position ?? commune?.centroid ?? null;
			const point = at ? pointOnOutlines(bounds, [at.lon, at.lat]) : null;
			return { code: commune ? commune.code : null, point: point && { x: point.x, y: point.y } };
		}
	};
}

/** `placesFrom` for a page that has not read the territory's communes yet. */
export async function loadPlaces({ db, departements }: { db: Db; departements: string[] }) {
	return placesFrom(await loadTerritoryMap({ db, departements }));
}
