/**
 * The territory's communes with light outlines, for the maps of the villages,
 * workspaces and village pages. Outlines are read once per commune and kept for the
 * life of the process (refreshed when `geometryUpdatedAt` changes), rounded to 3
 * decimals and simplified: plenty for a map of a département, and pages stay light.
 */
import type { Db } from '#server/db/index.ts';
import { listCommuneOutlines, listCommunes } from '#server/domain/territory/territory.service.ts';
import { simplifyGeometry, type AreaGeometry, type Position } from '$lib/domain/map.ts';

const DECIMALS = 3;
/**
 * Douglas–Peucker tolerance in degrees (≈ 200 m): a département's 30,000 outline points
 * become about 8,000, which the eye cannot tell apart on a list page's map, and the
 * page (SVG drawn on the server + the same data for Leaflet) stays around 250 KB.
 */
const TOLERANCE = 0.002;

/** Douglas–Peucker on one closed ring; null when fewer than 4 positions remain. */
function simplifyRingShape(ring: Position[]): Position[] | null {
	if (ring.length <= 4) return ring;
	const keep = new Uint8Array(ring.length);
	keep[0] = keep[ring.length - 1] = 1;
	const stack: [number, number][] = [[0, ring.length - 1]];
	while (stack.length > 0) {
		const [a, b] = stack.pop()!;
		const [ax, ay] = ring[a];
		const [bx, by] = ring[b];
		const dx = bx - ax;
		const dy = by - ay;
		const length = Math.hypot(dx, dy);
		let best = -1;
		let index = -1;
		for (let i = a + 1; i < b; i++) {
			const [px, py] = ring[i];
			const distance =
				length > 0 ? Math.abs(dy * px - dx * py + bx * ay - by * ax) / length : Math.hypot(px - ax, py - ay);
			if (distance > best) {
				best = distance;
				index = i;
			}
		}
		if (best > TOLERANCE) {
			keep[index] = 1;
			stack.push([a, index], [index, b]);
		}
	}
	const out = ring.filter((_, i) => keep[i] === 1);
	return out.length >= 4 ? out : null;
}

function simplifyShape(geometry: AreaGeometry): AreaGeometry | null {
	const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates)
		.map((polygon) => {
			const [outer, ...holes] = polygon.map(simplifyRingShape);
			return outer ? [outer, ...holes.filter((hole): hole is Position[] => hole !== null)] : null;
		})
		.filter((polygon): polygon is Position[][] => polygon !== null);
	if (polygons.length === 0) return null;
	return polygons.length === 1
		? { type: 'Polygon', coordinates: polygons[0] }
		: { type: 'MultiPolygon', coordinates: polygons };
}
const outlines = new Map<string, { stamp: string; geometry: AreaGeometry | null }>();

export type TerritoryCommune = {
	code: string;
	name: string;
	population: number | null;
	centroid: { lat: number; lon: number } | null;
	geometry: AreaGeometry | null;
};

export async function loadTerritoryCommunes({
	db,
	departements
}: {
	db: Db;
	departements: string[];
}): Promise<TerritoryCommune[]> {
	if (departements.length === 0) return [];
	const { communes } = await listCommunes({ departements, limit: 5000 }, { db });
	const stampOf = (row: (typeof communes)[number]) => row.geometryUpdatedAt?.toISOString() ?? '';
	const stale = communes.filter((row) => row.hasGeometry && outlines.get(row.code)?.stamp !== stampOf(row));
	if (stale.length > 0) {
		const { outlines: fresh } = await listCommuneOutlines({ codes: stale.map((row) => row.code) }, { db });
		for (const row of stale) {
			const outline = fresh.get(row.code);
			const rounded = outline ? simplifyGeometry(outline, DECIMALS) : null;
			// A commune too small to survive the simplification keeps its rounded outline.
			outlines.set(row.code, {
				stamp: stampOf(row),
				geometry: rounded ? (simplifyShape(rounded) ?? rounded) : null
			});
		}
	}
	const out: TerritoryCommune[] = [];
	for (const row of communes) {
		const geometry = row.hasGeometry ? (outlines.get(row.code)?.geometry ?? null) : null;
		out.push({
			code: row.code,
			name: row.name,
			population: row.population,
			centroid:
				row.centroidLat !== null && row.centroidLon !== null
					? { lat: row.centroidLat, lon: row.centroidLon }
					: null,
			geometry
		});
	}
	return out;
}
