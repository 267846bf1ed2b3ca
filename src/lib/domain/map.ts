/**
 * Pure map helpers shared by the server (SVG drawn without JavaScript) and the browser
 * (Leaflet): GeoJSON types of the public map, coordinate simplification, an
 * equirectangular projection and SVG path building. No I/O.
 */

/** [longitude, latitude], as in GeoJSON. */
export type Position = [number, number];
export type PolygonGeometry = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export type MapFeatureProperties = {
	/** INSEE code (or any unique id). */
	code: string;
	name: string;
	/** Key of a legend entry: decides the fill colour. */
	category: string;
	/** Page of the place; makes the shape a link. */
	href?: string | null;
	/** Extra line of the tooltip (population, number of offers…). */
	detail?: string | null;
	/** Print the name on the map (keep it for a handful of places). */
	labelled?: boolean;
	/** Where to print the name, [lon, lat]; defaults to the centre of the shape's box. */
	labelPosition?: Position | null;
};
export type MapFeature = { type: 'Feature'; properties: MapFeatureProperties; geometry: AreaGeometry };
export type MapFeatureCollection = { type: 'FeatureCollection'; features: MapFeature[] };

export type MapMarker = {
	lat: number;
	lon: number;
	label: string;
	href?: string | null;
	/** Key of a legend entry of type `marker` (workspace, offer…). */
	kind: string;
};

export type LegendItem = {
	key: string;
	label: string;
	/** Fill colour (any CSS colour). */
	color: string;
	/** `area` colours communes (default), `marker` colours markers of that kind. */
	type?: 'area' | 'marker';
};

export type Bounds = { minLon: number; minLat: number; maxLon: number; maxLat: number };

const DEFAULT_DECIMALS = 4;

export function roundTo(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	const rounded = Math.round(value * factor) / factor;
	return Object.is(rounded, -0) ? 0 : rounded;
}

/**
 * Rounds a ring's positions (4 decimals ≈ 10 m) and drops consecutive duplicates.
 * Returns null when fewer than three distinct positions remain (the ring vanished).
 */
export function simplifyRing(
	ring: readonly (readonly number[])[],
	decimals = DEFAULT_DECIMALS
): Position[] | null {
	const out: Position[] = [];
	for (const position of ring) {
		const next: Position = [roundTo(position[0], decimals), roundTo(position[1], decimals)];
		const last = out[out.length - 1];
		if (last && last[0] === next[0] && last[1] === next[1]) continue;
		out.push(next);
	}
	// GeoJSON rings are closed: first and last positions are equal.
	if (out.length > 1) {
		const [first, last] = [out[0], out[out.length - 1]];
		if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
	}
	return out.length >= 4 ? out : null;
}

function simplifyPolygon(
	polygon: readonly (readonly (readonly number[])[])[],
	decimals: number
): Position[][] | null {
	const [outer, ...holes] = polygon;
	const shell = outer ? simplifyRing(outer, decimals) : null;
	if (!shell) return null;
	return [
		shell,
		...holes.map((hole) => simplifyRing(hole, decimals)).filter((r): r is Position[] => r !== null)
	];
}

/** A lighter copy of a Polygon/MultiPolygon for the page payload, or null when nothing is left. */
export function simplifyGeometry(
	geometry: { type: string; coordinates: unknown },
	decimals = DEFAULT_DECIMALS
): AreaGeometry | null {
	if (geometry.type === 'Polygon') {
		const polygon = simplifyPolygon(geometry.coordinates as number[][][], decimals);
		return polygon ? { type: 'Polygon', coordinates: polygon } : null;
	}
	if (geometry.type === 'MultiPolygon') {
		const polygons = (geometry.coordinates as number[][][][])
			.map((polygon) => simplifyPolygon(polygon, decimals))
			.filter((p): p is Position[][] => p !== null);
		if (polygons.length === 0) return null;
		return polygons.length === 1
			? { type: 'Polygon', coordinates: polygons[0] }
			: { type: 'MultiPolygon', coordinates: polygons };
	}
	return null;
}

/** The polygons of a geometry, whatever its type. */
export function polygonsOf(geometry: AreaGeometry): Position[][][] {
	return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Counts positions, to measure what a simplification saved. */
export function countPositions(geometry: AreaGeometry): number {
	let count = 0;
	for (const polygon of polygonsOf(geometry)) for (const ring of polygon) count += ring.length;
	return count;
}

function extend(bounds: Bounds | null, lon: number, lat: number): Bounds {
	if (!bounds) return { minLon: lon, minLat: lat, maxLon: lon, maxLat: lat };
	bounds.minLon = Math.min(bounds.minLon, lon);
	bounds.minLat = Math.min(bounds.minLat, lat);
	bounds.maxLon = Math.max(bounds.maxLon, lon);
	bounds.maxLat = Math.max(bounds.maxLat, lat);
	return bounds;
}

/** Outer box of a geometry (outer rings are enough). */
export function geometryBounds(geometry: AreaGeometry): Bounds | null {
	let bounds: Bounds | null = null;
	for (const polygon of polygonsOf(geometry))
		for (const [lon, lat] of polygon[0]) bounds = extend(bounds, lon, lat);
	return bounds;
}

/** Box around every feature and marker, or null when there is nothing to draw. */
export function collectionBounds(
	features: readonly MapFeature[],
	markers: readonly MapMarker[] = []
): Bounds | null {
	let bounds: Bounds | null = null;
	for (const feature of features) {
		const box = geometryBounds(feature.geometry);
		if (!box) continue;
		bounds = extend(bounds, box.minLon, box.minLat);
		bounds = extend(bounds, box.maxLon, box.maxLat);
	}
	for (const marker of markers) bounds = extend(bounds, marker.lon, marker.lat);
	return bounds;
}

export type Projection = {
	/** Size of the SVG viewBox, in its units. */
	width: number;
	height: number;
	/** [lon, lat] → [x, y] in viewBox units (y grows downwards). */
	project: (lon: number, lat: number) => [number, number];
	/** [x, y] → [lon, lat]. */
	invert: (x: number, y: number) => [number, number];
};

/**
 * Equirectangular projection fitted to `bounds`: longitudes are scaled by the cosine
 * of the mean latitude, so a département keeps its shape (at 44° N a degree of
 * longitude is 72 % of a degree of latitude). Plenty for a département or a region.
 */
export function createProjection(bounds: Bounds, { width = 1000, padding = 12 } = {}): Projection {
	const meanLat = (bounds.minLat + bounds.maxLat) / 2;
	const kx = Math.cos((meanLat * Math.PI) / 180);
	const spanX = Math.max((bounds.maxLon - bounds.minLon) * kx, 1e-9);
	const spanY = Math.max(bounds.maxLat - bounds.minLat, 1e-9);
	const inner = width - 2 * padding;
	// A very tall territory must not produce a page-long map: cap the height at 1.25 × width.
	const scale = Math.min(inner / spanX, (1.25 * width - 2 * padding) / spanY);
	const drawnWidth = spanX * scale;
	const offsetX = padding + (inner - drawnWidth) / 2;
	const height = Math.ceil(spanY * scale + 2 * padding);
	return {
		width,
		height,
		project: (lon, lat) => [
			offsetX + (lon - bounds.minLon) * kx * scale,
			padding + (bounds.maxLat - lat) * scale
		],
		invert: (x, y) => [bounds.minLon + (x - offsetX) / (kx * scale), bounds.maxLat - (y - padding) / scale]
	};
}

/**
 * SVG path data of a geometry: absolute start of each ring, then relative moves
 * between positions rounded to `precision` decimals (no drift: deltas are taken
 * between rounded absolute positions); positions that round to the same point are dropped.
 */
export function geometryToPath(geometry: AreaGeometry, projection: Projection, precision = 1): string {
	const parts: string[] = [];
	for (const polygon of polygonsOf(geometry)) {
		for (const ring of polygon) {
			let previous: [number, number] | null = null;
			let segment = '';
			let points = 0;
			for (const [lon, lat] of ring) {
				const [px, py] = projection.project(lon, lat);
				const x = roundTo(px, precision);
				const y = roundTo(py, precision);
				if (!previous) segment = `M${x} ${y}l`;
				else {
					const dx = roundTo(x - previous[0], precision);
					const dy = roundTo(y - previous[1], precision);
					if (dx === 0 && dy === 0) continue;
					segment += `${points > 1 ? ' ' : ''}${dx} ${dy}`;
				}
				previous = [x, y];
				points++;
			}
			if (points >= 3) parts.push(compactPath(segment) + 'z');
		}
	}
	return parts.join('');
}

/** Shorter but equivalent path data: `0.5` → `.5`, `-0.5` → `-.5`, no space before a minus sign. */
function compactPath(path: string): string {
	return path.replace(/(^|[ lM-])0\./g, '$1.').replace(/ -/g, '-');
}

/** Centre of the box of the largest polygon: a good enough place for a label. */
export function labelPoint(geometry: AreaGeometry): Position {
	let best: { area: number; bounds: Bounds } | null = null;
	for (const polygon of polygonsOf(geometry)) {
		const bounds = geometryBounds({ type: 'Polygon', coordinates: polygon });
		if (!bounds) continue;
		const area = (bounds.maxLon - bounds.minLon) * (bounds.maxLat - bounds.minLat);
		if (!best || area > best.area) best = { area, bounds };
	}
	if (!best) return [0, 0];
	return [(best.bounds.minLon + best.bounds.maxLon) / 2, (best.bounds.minLat + best.bounds.maxLat) / 2];
}

/** Population classes of the communes map (INSEE municipal population), smallest first. */
export const POPULATION_CLASSES = [
	{ key: 'pop-lt-200', min: 0, max: 199 },
	{ key: 'pop-200-499', min: 200, max: 499 },
	{ key: 'pop-500-1999', min: 500, max: 1999 },
	{ key: 'pop-2000-4999', min: 2000, max: 4999 },
	{ key: 'pop-gte-5000', min: 5000, max: Infinity }
] as const;
export type PopulationClassKey = (typeof POPULATION_CLASSES)[number]['key'] | 'pop-unknown';

export function populationClass(population: number | null | undefined): PopulationClassKey {
	if (population === null || population === undefined || !Number.isFinite(population) || population < 0)
		return 'pop-unknown';
	return POPULATION_CLASSES.find((c) => population >= c.min && population <= c.max)?.key ?? 'pop-unknown';
}

/** Douglas–Peucker on one closed ring, `tolerance` in degrees; null when fewer than 4 positions remain. */
function simplifyRingShape(ring: Position[], tolerance: number): Position[] | null {
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
		if (best > tolerance) {
			keep[index] = 1;
			stack.push([a, index], [index, b]);
		}
	}
	const out = ring.filter((_, i) => keep[i] === 1);
	return out.length >= 4 ? out : null;
}

/** Douglas–Peucker on every ring of a geometry (`tolerance` in degrees); null when nothing is left. */
export function simplifyShape(geometry: AreaGeometry, tolerance: number): AreaGeometry | null {
	const polygons = polygonsOf(geometry)
		.map((polygon) => {
			const [outer, ...holes] = polygon.map((ring) => simplifyRingShape(ring, tolerance));
			return outer ? [outer, ...holes.filter((hole): hole is Position[] => hole !== null)] : null;
		})
		.filter((polygon): polygon is Position[][] => polygon !== null);
	if (polygons.length === 0) return null;
	return polygons.length === 1
		? { type: 'Polygon', coordinates: polygons[0] }
		: { type: 'MultiPolygon', coordinates: polygons };
}

/** Size and margin of the SVG drawing of a territory, shared by the outlines file and the pages that use it. */
export const OUTLINES_VIEW = { width: 1000, padding: 14 } as const;

/** The id of a commune's shape in the outlines SVG (`<use href="…#c12345">`). */
export const outlineId = (code: string) => `c${code}`;

/** The id of the group of every commune in the outlines SVG: `<use href="…#territory">` draws the whole territory. */
export const TERRITORY_ID = 'territory';

/**
 * Revision of what the outlines SVG holds (2: the communes are grouped in `#territory`).
 * It is part of the files' version, so a browser never pairs a page with a file cached
 * for ever in an older layout.
 */
export const OUTLINES_FORMAT = 2;

/** Where a place sits on a drawing of the outlines: the viewBox's size and the point, in its units. */
export type OutlinePoint = { width: number; height: number; x: number; y: number };

/**
 * A point ([lon, lat]) placed on the outlines drawing fitted to `bounds` (OUTLINES_VIEW), for
 * the marker of a locator map; null when it falls outside the drawing (a place outside the territory).
 */
export function pointOnOutlines(bounds: Bounds, [lon, lat]: Position): OutlinePoint | null {
	const projection = createProjection(bounds, OUTLINES_VIEW);
	const [x, y] = projection.project(lon, lat);
	if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
	if (x < 0 || y < 0 || x > projection.width || y > projection.height) return null;
	return { width: projection.width, height: projection.height, x: roundTo(x, 1), y: roundTo(y, 1) };
}

/** The outlines file a page draws places from: its URL (with its version) and its viewBox's size. */
export type PlaceOutlines = { svg: string; width: number; height: number };

/** A commune to highlight on the outlines, and the point to mark (its centre, or the listing's own position). */
export type OutlinePlace = { code: string | null; point: { x: number; y: number } | null };

/** The size of the outlines drawing fitted to `bounds` (its viewBox). */
export function outlinesViewBox(bounds: Bounds): { width: number; height: number } {
	const { width, height } = createProjection(bounds, OUTLINES_VIEW);
	return { width, height };
}

const escapeXml = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!
	);

/**
 * The outlines as a standalone SVG document: one `<path id="c<code>">` per commune, in the
 * projection fitted to `bounds` (OUTLINES_VIEW). Paths carry no fill: a page colours each one
 * through `<use href="outlines.svg#c<code>" fill="…">`, or the whole territory at once through
 * `<use href="outlines.svg#territory">` (the group of every path); opened alone, the file draws
 * every commune in a neutral colour.
 */
export function outlinesToSvg(
	shapes: readonly { code: string; geometry: AreaGeometry }[],
	bounds: Bounds
): string {
	const projection = createProjection(bounds, OUTLINES_VIEW);
	const paths = shapes
		.map(
			(shape) =>
				`<path id="${escapeXml(outlineId(shape.code))}" d="${geometryToPath(shape.geometry, projection, 1)}"/>`
		)
		.join('\n');
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${projection.width} ${projection.height}" ` +
		`fill="#84bb9c" stroke="#fffdf8" stroke-width="0.9" stroke-linejoin="round">\n` +
		`<g id="${TERRITORY_ID}">\n${paths}\n</g>\n</svg>\n`
	);
}
