// The Gers test reads the shared reference file when it is present (never copied into the repo);
// lib/domain code itself does no I/O.
// eslint-disable-next-line no-restricted-imports
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { AreaGeometry, PolygonGeometry } from '../map.ts';
import { moranI, queenNeighbours, rookNeighbours, spatialWeights } from './spatial.ts';

/** Cells of a 3×3 lattice, numbered row by row: 0 1 2 / 3 4 5 / 6 7 8. */
function latticeNeighbours(queen: boolean): number[][] {
	return Array.from({ length: 9 }, (_, i) => {
		const [r, c] = [Math.floor(i / 3), i % 3];
		const list: number[] = [];
		for (let j = 0; j < 9; j++) {
			const [dr, dc] = [Math.abs(Math.floor(j / 3) - r), Math.abs((j % 3) - c)];
			if (j !== i && (queen ? Math.max(dr, dc) === 1 : dr + dc === 1)) list.push(j);
		}
		return list;
	});
}

function square(x: number, y: number): PolygonGeometry {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[x, y],
				[x + 1, y],
				[x + 1, y + 1],
				[x, y + 1],
				[x, y]
			]
		]
	};
}

const VALUES = [1, 2, 3, 4, 5, 6, 7, 8, 9];

describe("Moran's I", () => {
	test('3×3 rook lattice with binary weights, computed by hand', () => {
		// x = 1…9 row by row, x̄ = 5, z = −4 −3 −2 / −1 0 1 / 2 3 4, Σz² = 60.
		// 12 rook edges: horizontal products 12 + 6 + 0 + 0 + 6 + 12 = 36, vertical 4 − 2 + 0 + 0 − 2 + 4 = 4,
		// so Σᵢⱼ wᵢⱼ zᵢ zⱼ = 2 × 40 = 80 and S0 = 24: I = (9/24)(80/60) = 0.5; E[I] = −1/8.
		// S1 = ½ · 24 · 2² = 48; degrees 2 (×4), 3 (×4), 4: S2 = 4·4² + 4·6² + 8² = 272.
		// Var_N = (81·48 − 9·272 + 3·576)/(576·80) − 1/64 = 0.06875 − 0.015625 = 0.053125.
		// b₂ = 9·708/60² = 1.77; Var_R = (9·2016 − 1.77·2016)/(8·7·6·576) − 1/64 = 0.0596875.
		const result = moranI(VALUES, latticeNeighbours(false), { style: 'B' });
		expect(result.I).toBeCloseTo(0.5, 14);
		expect(result.expected).toBeCloseTo(-0.125, 14);
		expect(result).toMatchObject({ n: 9, s0: 24, s1: 48, s2: 272, islands: [] });
		expect(result.normality.variance).toBeCloseTo(0.053125, 14);
		expect(result.randomisation.variance).toBeCloseTo(0.0596875, 14);
		// z = 0.625/√Var; p-values from the normal law (checked with NumPy/SciPy re-implementation).
		expect(result.normality.z).toBeCloseTo(2.711630722733202, 12);
		expect(result.normality.pTwoSided).toBeCloseTo(0.0066953135387511995, 12);
		expect(result.randomisation.z).toBeCloseTo(2.5582225504832543, 12);
		expect(result.randomisation.pGreater).toBeCloseTo(0.005260436849811343, 12);
		expect(result.randomisation.pTwoSided).toBeCloseTo(0.010520873699622686, 12);
	});

	test('3×3 queen lattice: the diagonal products cancel, so I = (9/40)(80/60) = 0.3', () => {
		// Diagonals of the four unit squares: 0·(−4) + (−3)(−1) + (−3)(1) + 0 + (−1)(3) + 0 + 0 + 1·3 = 0.
		// 20 edges, S0 = 40, S1 = 80, S2 = 800; Var_N = 0.01625, Var_R = 0.017375.
		const result = moranI(VALUES, latticeNeighbours(true), { style: 'B' });
		expect(result.I).toBeCloseTo(0.3, 14);
		expect(result).toMatchObject({ s0: 40, s1: 80, s2: 800 });
		expect(result.normality.variance).toBeCloseTo(0.01625, 14);
		expect(result.randomisation.variance).toBeCloseTo(0.017375, 14);
		expect(result.randomisation.pTwoSided).toBeCloseTo(0.001263102392952794, 12);
	});

	test('row-standardised weights (spdep style "W") match an independent NumPy computation', () => {
		const rook = moranI(VALUES, latticeNeighbours(false));
		expect(rook.I).toBeCloseTo(5 / 9, 14);
		expect(rook.s0).toBeCloseTo(9, 14);
		expect(rook.s1).toBeCloseTo(6.916666666666664, 12);
		expect(rook.s2).toBeCloseTo(36.80555555555555, 12);
		expect(rook.normality.variance).toBeCloseTo(0.05721450617283948, 14);
		expect(rook.randomisation.variance).toBeCloseTo(0.06465663580246912, 14);
		const queen = moranI(VALUES, latticeNeighbours(true));
		expect(queen.I).toBeCloseTo(0.3555555555555555, 14);
		expect(queen.randomisation.z).toBeCloseTo(3.161543583610987, 12);
		expect(queen.normality.pTwoSided).toBeCloseTo(0.000877718451261216, 12);
	});

	test('the randomisation variance depends on the kurtosis of the values', () => {
		const result = moranI([3, 1, 4, 1, 5, 9, 2, 6, 5], latticeNeighbours(false), { style: 'B' });
		expect(result.I).toBeCloseTo(2 / 9, 14);
		expect(result.normality.variance).toBeCloseTo(0.053125, 14);
		expect(result.randomisation.variance).toBeCloseTo(0.051697530864197525, 14);
		expect(result.randomisation.pTwoSided).toBeCloseTo(0.1267316582174144, 12);
	});

	test('islands are left out of n; bad input throws a clear error', () => {
		const neighbours = [...latticeNeighbours(false), []];
		const result = moranI([...VALUES, 5], neighbours, { style: 'B' });
		expect(result.islands).toEqual([9]);
		expect(result.n).toBe(9);
		expect(() => moranI([1, 1, 1, 1], [[1], [0], [3], [2]])).toThrow(/constant/);
		expect(() => moranI([1, 2, 3], [[1], [0, 2], [1]])).toThrow(/at least 4/);
		expect(() => moranI([1, 2], [[1]])).toThrow(/neighbour lists/);
		expect(() => spatialWeights([[0]], 'B')).toThrow(/itself/);
		expect(() => spatialWeights([[1, 1], [0]], 'B')).toThrow(/twice/);
		expect(() => spatialWeights([[5]], 'B')).toThrow(/invalid neighbour/);
	});
});

describe('queen contiguity', () => {
	test('unit squares of a 3×3 grid are queen neighbours, corners included', () => {
		const squares = Array.from({ length: 9 }, (_, i) => square(i % 3, Math.floor(i / 3)));
		expect(queenNeighbours(squares)).toEqual(latticeNeighbours(true));
	});

	test('coordinates equal up to the precision are the same vertex; null geometries are islands', () => {
		const a = square(0, 0);
		const b: AreaGeometry = {
			type: 'MultiPolygon',
			coordinates: [
				[
					[
						[1.00000001, 0],
						[2, 0],
						[2, 1],
						[1, 0.99999999],
						[1.00000001, 0]
					]
				]
			]
		};
		expect(queenNeighbours([a, b, null])).toEqual([[1], [0], []]);
		expect(queenNeighbours([a, b], { precision: 1e-9 })).toEqual([[], []]);
	});

	test('rook contiguity needs a shared border: squares touching only at a corner are not neighbours', () => {
		const squares = Array.from({ length: 9 }, (_, i) => square(i % 3, Math.floor(i / 3)));
		expect(rookNeighbours(squares)).toEqual(latticeNeighbours(false));
		// The closing vertex repeats the first one: it still counts as one shared point.
		expect(rookNeighbours([square(0, 0), square(1, 1), null])).toEqual([[], [], []]);
		expect(queenNeighbours([square(0, 0), square(1, 1), null])).toEqual([[1], [0], []]);
	});

	const gersFile = new URL('../../../../../shared/data/geo/gers/communes-32-gers.geojson', import.meta.url);
	const hasGersFile = existsSync(gersFile);
	if (!hasGersFile) console.log(`Skipping the Gers contiguity test: ${gersFile.pathname} is absent.`);

	test.skipIf(!hasGersFile)('every Gers commune has a queen neighbour, and contiguity is symmetric', () => {
		const collection = JSON.parse(readFileSync(gersFile, 'utf8')) as {
			features: { properties: { code: string }; geometry: AreaGeometry }[];
		};
		const geometries = collection.features.map((f) => f.geometry);
		const neighbours = queenNeighbours(geometries);
		expect(neighbours).toHaveLength(collection.features.length);
		const islands = neighbours.flatMap((list, i) =>
			list.length === 0 ? [collection.features[i].properties.code] : []
		);
		if (islands.length > 0) console.log(`Gers communes without a queen neighbour: ${islands.join(', ')}`);
		expect(islands).toEqual([]);
		const asymmetric = neighbours.flatMap((list, i) => list.filter((j) => !neighbours[j].includes(i)));
		expect(asymmetric).toEqual([]);
		const degrees = neighbours.map((list) => list.length).sort((a, b) => a - b);
		expect(degrees[Math.floor(degrees.length / 2)]).toBeGreaterThanOrEqual(4);
		// Longitude of a vertex varies smoothly across space: strong positive autocorrelation.
		const longitude = geometries.map((g) =>
			g.type === 'Polygon' ? g.coordinates[0][0][0] : g.coordinates[0][0][0][0]
		);
		const result = moranI(longitude, neighbours);
		expect(result.I).toBeGreaterThan(0.8);
		expect(result.randomisation.pGreater).toBeLessThan(1e-10);
	});
});
