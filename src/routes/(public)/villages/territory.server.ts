/**
 * The territory's communes with light outlines, for the maps of the villages, workspaces and
 * village pages. The outlines are those of `/map/outlines.svg?d=light` (territory-outlines.service.ts:
 * 3 decimals and Douglas–Peucker at ≈ 200 m, kept per commune for the life of the process);
 * `version` and `bounds` let a page draw them from that file rather than carry them.
 */
import type { Db } from '#server/db/index.ts';
import { getPublicOutlines } from '#server/domain/territory/territory-outlines.service.ts';
import { listCommunes } from '#server/domain/territory/territory.service.ts';
import type { AreaGeometry, Bounds } from '$lib/domain/map.ts';

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
	const { outlines } = await getPublicOutlines({ detail: 'light', communes: rows }, { db });
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

/** The public programme's communes with their light outlines (maps that draw them inline). */
export async function loadTerritoryCommunes(input: {
	db: Db;
	departements: string[];
}): Promise<TerritoryCommune[]> {
	if (input.departements.length === 0) return [];
	return (await loadTerritoryMap(input)).communes;
}
