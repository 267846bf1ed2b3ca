import { describe, expect, test } from 'vitest';
import {
	collectionBounds,
	countPositions,
	createProjection,
	geometryToPath,
	labelPoint,
	outlinesToSvg,
	outlinesViewBox,
	OUTLINES_VIEW,
	pointOnOutlines,
	populationClass,
	roundTo,
	simplifyGeometry,
	simplifyRing,
	simplifyShape,
	type AreaGeometry,
	type MapFeature
} from './map.ts';

const square = (lon: number, lat: number, size: number) => [
	[lon, lat],
	[lon + size, lat],
	[lon + size, lat + size],
	[lon, lat + size],
	[lon, lat]
];

describe('simplifyRing', () => {
	test('rounds to 4 decimals and drops consecutive duplicates', () => {
		const ring = [
			[0.123456, 43.654321],
			[0.123461, 43.654318], // same point once rounded
			[0.2, 43.7],
			[0.2, 43.8],
			[0.123456, 43.654321]
		];
		expect(simplifyRing(ring)).toEqual([
			[0.1235, 43.6543],
			[0.2, 43.7],
			[0.2, 43.8],
			[0.1235, 43.6543]
		]);
	});

	test('keeps the ring closed', () => {
		const ring = simplifyRing([
			[0, 0],
			[1, 0],
			[1, 1],
			[0.00001, 0.00001] // rounds onto the first point: closes the ring
		]);
		expect(ring?.[0]).toEqual(ring?.[ring.length - 1]);
		const open = simplifyRing([
			[0, 0],
			[1, 0],
			[1, 1]
		]);
		expect(open).toEqual([
			[0, 0],
			[1, 0],
			[1, 1],
			[0, 0]
		]);
	});

	test('a ring that collapses to fewer than three points vanishes', () => {
		expect(
			simplifyRing([
				[0.00001, 0],
				[0.00002, 0],
				[0.00001, 0.00001],
				[0.00001, 0]
			])
		).toBeNull();
	});

	test('never returns -0', () => {
		expect(Object.is(roundTo(-0.00001, 4), 0)).toBe(true);
	});
});

describe('simplifyGeometry', () => {
	test('keeps polygons and holes that survive, and counts fewer positions', () => {
		const polygon = {
			type: 'Polygon',
			coordinates: [square(0, 43, 1), square(0.2, 43.2, 0.00001)]
		};
		const simplified = simplifyGeometry(polygon);
		expect(simplified?.type).toBe('Polygon');
		expect(simplified?.coordinates).toHaveLength(1); // the tiny hole vanished
		expect(countPositions(simplified!)).toBe(5);
	});

	test('a MultiPolygon left with one part becomes a Polygon; nothing left is null', () => {
		const multi = { type: 'MultiPolygon', coordinates: [[square(0, 43, 1)], [square(2, 43, 0.00001)]] };
		expect(simplifyGeometry(multi)?.type).toBe('Polygon');
		expect(simplifyGeometry({ type: 'MultiPolygon', coordinates: [[square(2, 43, 0.00001)]] })).toBeNull();
		expect(simplifyGeometry({ type: 'Point', coordinates: [0, 0] })).toBeNull();
	});
});

describe('createProjection', () => {
	const bounds = { minLon: 0, minLat: 43, maxLon: 2, maxLat: 44 };

	test('scales longitudes by the cosine of the mean latitude', () => {
		const projection = createProjection(bounds, { width: 1000, padding: 0 });
		const kx = Math.cos((43.5 * Math.PI) / 180);
		// 2° of longitude fill the width; 1° of latitude is 1/(2·kx) of it.
		expect(projection.height).toBe(Math.ceil(1000 / (2 * kx)));
		expect(projection.project(0, 44)).toEqual([0, 0]);
		const [x, y] = projection.project(2, 43);
		expect(x).toBeCloseTo(1000);
		expect(y).toBeCloseTo(1000 / (2 * kx));
	});

	test('invert is the inverse of project', () => {
		const projection = createProjection(bounds, { width: 800, padding: 10 });
		const [x, y] = projection.project(0.5862, 43.6465);
		const [lon, lat] = projection.invert(x, y);
		expect(lon).toBeCloseTo(0.5862, 9);
		expect(lat).toBeCloseTo(43.6465, 9);
	});

	test('a tall territory is capped and centred horizontally', () => {
		const projection = createProjection(
			{ minLon: 0, minLat: 40, maxLon: 0.1, maxLat: 45 },
			{ width: 100, padding: 0 }
		);
		expect(projection.height).toBeLessThanOrEqual(125);
		const [left] = projection.project(0, 42);
		const [right] = projection.project(0.1, 42);
		expect(left + right).toBeCloseTo(100); // symmetric around the middle
	});
});

describe('geometryToPath', () => {
	const projection = createProjection(
		{ minLon: 0, minLat: 0, maxLon: 10, maxLat: 10 },
		{ width: 100, padding: 0 }
	);
	// At latitude 5 the projection is almost square: 10 units per degree on y.

	test('draws one closed sub-path per ring with relative moves', () => {
		const path = geometryToPath(
			{ type: 'Polygon', coordinates: [square(0, 0, 10) as [number, number][]] },
			projection,
			0
		);
		expect(path).toMatch(/^M0 100l\d+ 0 0-100-\d+ 0 0 100z$/);
	});

	test('drops positions that fall on the same rounded point and rings that vanish', () => {
		const ring: [number, number][] = [
			[0, 0],
			[0.001, 0.001],
			[5, 0],
			[5, 5],
			[0, 0]
		];
		const tiny = square(8, 8, 0.001) as [number, number][];
		const path = geometryToPath({ type: 'MultiPolygon', coordinates: [[ring], [tiny]] }, projection, 0);
		expect(path.match(/M/g)).toHaveLength(1);
		expect(path).not.toMatch(/l0 0/);
	});

	test('path data is compact: no leading zeros, no space before a minus sign', () => {
		const ring: [number, number][] = [
			[0, 0],
			[0.05, 0],
			[0.05, 0.05],
			[0, 0]
		];
		const path = geometryToPath({ type: 'Polygon', coordinates: [ring] }, projection, 1);
		expect(path).toBe('M0 100.4l.5 0 0-.5-.5 .5z'); // at 5° N, 1° of latitude is 10.04 units
	});

	test('relative moves sum back to the start (no drift)', () => {
		const ring: [number, number][] = [
			[1.23456, 2.34567],
			[3.45678, 2.98765],
			[4.56789, 6.54321],
			[1.23456, 2.34567]
		];
		const path = geometryToPath({ type: 'Polygon', coordinates: [ring] }, projection, 1);
		const numbers = path
			.replace(/^M/, '')
			.replace(/z$/, '')
			.replace('l', ' ')
			.replace(/-/g, ' -')
			.replace(/(^|\s)\./g, '$10.')
			.trim()
			.split(/\s+/)
			.map(Number);
		const [, , ...deltas] = numbers;
		const sumX = deltas.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0);
		const sumY = deltas.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0);
		expect(sumX).toBeCloseTo(0, 6);
		expect(sumY).toBeCloseTo(0, 6);
	});
});

describe('bounds and labels', () => {
	const feature = (coordinates: [number, number][][]): MapFeature => ({
		type: 'Feature',
		properties: { code: '32013', name: 'Auch', category: 'x' },
		geometry: { type: 'Polygon', coordinates }
	});

	test('collectionBounds covers features and markers; empty is null', () => {
		expect(collectionBounds([])).toBeNull();
		const bounds = collectionBounds(
			[feature([square(0, 43, 1) as [number, number][]])],
			[{ lat: 45, lon: -1, label: 'm', kind: 'k' }]
		);
		expect(bounds).toEqual({ minLon: -1, minLat: 43, maxLon: 1, maxLat: 45 });
	});

	test('labelPoint is the centre of the largest part', () => {
		const point = labelPoint({
			type: 'MultiPolygon',
			coordinates: [[square(0, 0, 0.1) as [number, number][]], [square(2, 2, 2) as [number, number][]]]
		});
		expect(point).toEqual([3, 3]);
	});
});

describe('populationClass', () => {
	test.each([
		[0, 'pop-lt-200'],
		[199, 'pop-lt-200'],
		[200, 'pop-200-499'],
		[1999, 'pop-500-1999'],
		[2000, 'pop-2000-4999'],
		[22000, 'pop-gte-5000'],
		[null, 'pop-unknown'],
		[-1, 'pop-unknown']
	])('%s inhabitants → %s', (population, key) => {
		expect(populationClass(population)).toBe(key);
	});
});

describe('simplifyShape', () => {
	test('drops the points closer than the tolerance to the line, keeps the corners', () => {
		// A square whose bottom edge has a bump of 0.001° and a corner-like bump of 0.01°.
		const ring: [number, number][] = [
			[0, 0],
			[0.3, 0.001],
			[0.5, 0],
			[0.7, 0.01],
			[1, 0],
			[1, 1],
			[0, 1],
			[0, 0]
		];
		const shape = simplifyShape({ type: 'Polygon', coordinates: [ring] }, 0.002);
		const kept = shape?.type === 'Polygon' ? shape.coordinates[0] : [];
		expect(kept).not.toContainEqual([0.3, 0.001]);
		for (const corner of [
			[0, 0],
			[0.7, 0.01],
			[1, 0],
			[1, 1],
			[0, 1]
		])
			expect(kept).toContainEqual(corner);
		expect(kept[0]).toEqual(kept[kept.length - 1]);
		expect(simplifyShape({ type: 'Polygon', coordinates: [ring] }, 0.0001)?.coordinates[0]).toHaveLength(8);
	});

	test('a polygon that vanishes leaves the others; nothing left gives null', () => {
		const sliver: [number, number][] = [
			[5, 5],
			[5.0001, 5],
			[5.0002, 5],
			[5, 5]
		];
		const big = square(0, 0, 1) as [number, number][];
		const multi: AreaGeometry = { type: 'MultiPolygon', coordinates: [[big], [[...sliver, ...sliver]]] };
		expect(simplifyShape(multi, 0.002)).toEqual({ type: 'Polygon', coordinates: [big] });
		expect(simplifyShape({ type: 'Polygon', coordinates: [[...sliver, ...sliver]] }, 0.002)).toBeNull();
	});
});

describe('outlinesToSvg', () => {
	test('one path per commune, with its id, in the projection the pages use, and no fill of its own', () => {
		const shapes = [
			{ code: '32013', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1)] } as AreaGeometry },
			{ code: '32107', geometry: { type: 'Polygon', coordinates: [square(1, 0, 1)] } as AreaGeometry }
		];
		const bounds = { minLon: 0, minLat: 0, maxLon: 2, maxLat: 1 };
		const svg = outlinesToSvg(shapes, bounds);
		const projection = createProjection(bounds, OUTLINES_VIEW);
		expect(svg).toContain(`viewBox="0 0 ${projection.width} ${projection.height}"`);
		expect(svg).toContain(`<path id="c32013" d="${geometryToPath(shapes[0].geometry, projection, 1)}"/>`);
		expect(svg).toContain(`<path id="c32107" d="${geometryToPath(shapes[1].geometry, projection, 1)}"/>`);
		expect(svg.match(/<path [^>]*fill/g)).toBeNull();
	});

	test('every commune sits in one group, so a page draws the whole territory with one <use href="…#territory">', () => {
		const shapes = [
			{ code: '32013', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1)] } as AreaGeometry },
			{ code: '32107', geometry: { type: 'Polygon', coordinates: [square(1, 0, 1)] } as AreaGeometry }
		];
		const svg = outlinesToSvg(shapes, { minLon: 0, minLat: 0, maxLon: 2, maxLat: 1 });
		const group = /<g id="territory">([\s\S]*?)<\/g>/.exec(svg);
		expect(group).not.toBeNull();
		expect(group![1].match(/<path id="c\d+"/g)).toEqual(['<path id="c32013"', '<path id="c32107"']);
	});
});

describe('pointOnOutlines', () => {
	const bounds = { minLon: 0, minLat: 43, maxLon: 1, maxLat: 44 };

	test("a place is marked where the outlines file draws it: the territory's corners at the drawing's margins", () => {
		const view = outlinesViewBox(bounds);
		const projection = createProjection(bounds, OUTLINES_VIEW);
		expect(view).toEqual({ width: projection.width, height: projection.height });
		const northWest = pointOnOutlines(bounds, [0, 44])!;
		const southEast = pointOnOutlines(bounds, [1, 43])!;
		expect(northWest.y).toBe(OUTLINES_VIEW.padding);
		expect(southEast.y).toBe(view.height - OUTLINES_VIEW.padding);
		// Longitudes shrink with the cosine of the latitude: the territory is centred across the width.
		expect(northWest.x + southEast.x).toBeCloseTo(view.width, 0);
		expect(southEast.x).toBeGreaterThan(northWest.x);
		const centre = pointOnOutlines(bounds, [0.5, 43.5])!;
		expect(centre.x).toBeCloseTo(view.width / 2, 0);
		expect(centre.y).toBeCloseTo(view.height / 2, 0);
	});

	test('a place outside the drawing has no marker', () => {
		expect(pointOnOutlines(bounds, [5, 43.5])).toBeNull();
		expect(pointOnOutlines(bounds, [0.5, 48])).toBeNull();
	});
});
