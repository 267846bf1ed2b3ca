/**
 * The public programme's commune outlines, served once from their own cacheable files
 * (`/map/outlines.svg`, `/map/outlines.json`) instead of inside every page that shows a map.
 *
 * - Two levels of detail: `fine` for the map page (positions rounded to 4 decimals ≈ 10 m) and
 *   `light` for the list pages (3 decimals, then Douglas–Peucker at ≈ 200 m).
 * - The version is a short hash of the programme's départements and of each commune's outline
 *   stamp (`geometryUpdatedAt`): it changes when outlines are re-imported or the territory
 *   changes, so a URL carrying it can be cached for ever.
 * - Simplified outlines are kept per commune for the life of the process and refreshed when
 *   their stamp changes; the drawn SVG and JSON are kept per version.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { findPublicProgramme } from '../programme/programme.service.ts';
import type { CommuneSummary } from './territory.repository.ts';
import { listCommuneOutlines, listCommunes } from './territory.service.ts';
import {
	collectionBounds,
	OUTLINES_FORMAT,
	outlinesToSvg,
	simplifyGeometry,
	simplifyShape,
	type AreaGeometry,
	type Bounds
} from '#domain/map.ts';

export const OUTLINE_DETAILS = ['fine', 'light'] as const;
export type OutlineDetail = (typeof OUTLINE_DETAILS)[number];

/** Douglas–Peucker tolerance of the `light` outlines, in degrees (≈ 200 m). */
const LIGHT_TOLERANCE = 0.002;

const SIMPLIFY: Record<
	OutlineDetail,
	(geometry: { type: string; coordinates: unknown }) => AreaGeometry | null
> = {
	fine: (geometry) => simplifyGeometry(geometry),
	light: (geometry) => {
		const rounded = simplifyGeometry(geometry, 3);
		// A commune too small to survive the simplification keeps its rounded outline.
		return rounded ? (simplifyShape(rounded, LIGHT_TOLERANCE) ?? rounded) : null;
	}
};

export type OutlineShape = { code: string; geometry: AreaGeometry };

export type ProgrammeOutlines = {
	detail: OutlineDetail;
	/** Short hash: changes whenever what the files draw changes. */
	version: string;
	/** Box of every shape (the SVG's projection is fitted to it), null when there is none. */
	bounds: Bounds | null;
	shapes: OutlineShape[];
};

const shapeCache = new Map<string, { stamp: string; geometry: AreaGeometry | null }>();
const renderCache = new Map<string, { svg: string; json: string }>();

const stampOf = (row: Pick<CommuneSummary, 'geometryUpdatedAt'>) =>
	row.geometryUpdatedAt?.toISOString() ?? '';

/** Version of the outlines drawn for these départements and communes (pure). */
export function outlinesVersion(
	detail: OutlineDetail,
	departements: readonly string[],
	communes: readonly Pick<CommuneSummary, 'code' | 'hasGeometry' | 'geometryUpdatedAt'>[]
): string {
	const hash = createHash('sha256');
	hash.update(`${OUTLINES_FORMAT}|${detail}|${[...departements].sort().join(',')}`);
	for (const row of [...communes].sort((a, b) => a.code.localeCompare(b.code))) {
		if (row.hasGeometry) hash.update(`|${row.code}:${stampOf(row)}`);
	}
	return hash.digest('base64url').slice(0, 12);
}

/**
 * The public programme's outlines at a level of detail (empty when there is no programme or
 * no outline). `communes` lets a page that has already read the territory's communes pass them.
 */
export async function getPublicOutlines(
	{
		detail,
		communes,
		departements: given,
		programmeId
	}: {
		detail: OutlineDetail;
		communes?: CommuneSummary[];
		/** The programme's départements when the caller has read it; otherwise `programmeId` (or the default programme) is read. */
		departements?: string[];
		programmeId?: string | null;
	},
	{ db }: { db: Db }
): Promise<{ outlines: ProgrammeOutlines }> {
	const departements =
		given ?? (await findPublicProgramme({ programmeId }, { db })).programme?.departements ?? [];
	if (departements.length === 0) {
		return { outlines: { detail, version: outlinesVersion(detail, [], []), bounds: null, shapes: [] } };
	}
	const rows = communes ?? (await listCommunes({ departements, limit: 5000 }, { db })).communes;
	const key = (code: string) => `${detail}:${code}`;
	const stale = rows.filter(
		(row) => row.hasGeometry && shapeCache.get(key(row.code))?.stamp !== stampOf(row)
	);
	if (stale.length > 0) {
		const { outlines } = await listCommuneOutlines({ codes: stale.map((row) => row.code) }, { db });
		for (const row of stale) {
			const outline = outlines.get(row.code);
			shapeCache.set(key(row.code), {
				stamp: stampOf(row),
				geometry: outline ? SIMPLIFY[detail](outline) : null
			});
		}
	}
	const shapes: OutlineShape[] = [];
	for (const row of rows) {
		const geometry = row.hasGeometry ? shapeCache.get(key(row.code))?.geometry : null;
		if (geometry) shapes.push({ code: row.code, geometry });
	}
	const bounds = collectionBounds(
		shapes.map((shape) => ({
			type: 'Feature',
			properties: { code: shape.code, name: '', category: '' },
			geometry: shape.geometry
		}))
	);
	return { outlines: { detail, version: outlinesVersion(detail, departements, rows), bounds, shapes } };
}

/**
 * The files drawn from the outlines, kept per version: the SVG (no-JavaScript drawing, one
 * `<path id="c<code>">` per commune) and the JSON Leaflet reads (a GeoJSON FeatureCollection
 * whose features carry only their `code`).
 */
export function renderOutlines(outlines: ProgrammeOutlines): { svg: string; json: string } {
	const key = `${outlines.detail}:${outlines.version}`;
	const cached = renderCache.get(key);
	if (cached) return cached;
	const rendered = {
		svg: outlines.bounds
			? outlinesToSvg(outlines.shapes, outlines.bounds)
			: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n',
		json: JSON.stringify({
			type: 'FeatureCollection',
			version: outlines.version,
			features: outlines.shapes.map((shape) => ({
				type: 'Feature',
				properties: { code: shape.code },
				geometry: shape.geometry
			}))
		})
	};
	// Old versions leave: only the current one of each detail is asked for.
	for (const old of renderCache.keys()) if (old.startsWith(`${outlines.detail}:`)) renderCache.delete(old);
	renderCache.set(key, rendered);
	return rendered;
}
