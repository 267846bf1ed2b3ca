/**
 * Spatial autocorrelation of values on areas (e.g. installation rates per commune): global
 * Moran's I with its moments under normality and randomisation, and queen or rook contiguity from
 * polygons.
 *
 * Formulas: A. D. Cliff & J. K. Ord, Spatial Processes (1981), ch. 1–2, as implemented by
 * R spdep `moran.test(x, listw, randomisation = TRUE|FALSE, alternative = ..., adjust.n = TRUE)`
 * (R. Bivand), with weights from `nb2listw(nb, style = "B"|"W", zero.policy = TRUE)`.
 */
import { polygonsOf, type AreaGeometry } from '../map.ts';
import { normalCdf, normalSurvival } from './distributions.ts';

/** Spatial weights: "B" binary (1 per neighbour), "W" row-standardised (1/number of neighbours). */
export type WeightStyle = 'B' | 'W';

/** z-score and p-values of I under one null-hypothesis assumption. */
export type MoranInference = {
	variance: number;
	z: number;
	/** H1: positive autocorrelation (spdep's default alternative, "greater"). */
	pGreater: number;
	pLess: number;
	/** 2·P(Z > |z|), spdep `alternative = "two.sided"`. */
	pTwoSided: number;
};

export type MoranResult = {
	/** I = (n/S0) · Σᵢ Σⱼ wᵢⱼ zᵢ zⱼ / Σᵢ zᵢ², zᵢ = xᵢ − x̄. */
	I: number;
	/** E[I] = −1/(n − 1). */
	expected: number;
	/** Number of areas used in the moments: all areas minus islands (spdep `adjust.n = TRUE`). */
	n: number;
	/** Areas without neighbours (they still count in x̄ and Σ z², as in spdep). */
	islands: number[];
	/** S0 = Σ wᵢⱼ, S1 = ½ Σ (wᵢⱼ + wⱼᵢ)², S2 = Σᵢ (wᵢ. + w.ᵢ)². */
	s0: number;
	s1: number;
	s2: number;
	/** Var[I] = (n² S1 − n S2 + 3 S0²) / (S0² (n² − 1)) − E[I]² under normality of x. */
	normality: MoranInference;
	/**
	 * Under randomisation (permutation of x over the areas), with kurtosis b₂ = n Σz⁴/(Σz²)²:
	 * Var[I] = [n((n² − 3n + 3) S1 − n S2 + 3 S0²) − b₂((n² − n) S1 − 2n S2 + 6 S0²)]
	 *          / ((n − 1)(n − 2)(n − 3) S0²) − E[I]².
	 */
	randomisation: MoranInference;
};

/** Input for which Moran's I is undefined, with a reason callers can translate. */
export class MoranInputError extends Error {
	constructor(
		readonly reason: 'too_few_areas' | 'constant_values' | 'no_links',
		message: string
	) {
		super(message);
		this.name = 'MoranInputError';
	}
}

function inference(I: number, expected: number, variance: number): MoranInference {
	const z = (I - expected) / Math.sqrt(variance);
	return {
		variance,
		z,
		pGreater: normalSurvival(z),
		pLess: normalCdf(z),
		pTwoSided: Math.min(1, 2 * normalSurvival(Math.abs(z)))
	};
}

/**
 * Weights wᵢⱼ from neighbour lists (indices into `values`), binary or row-standardised.
 * Throws on an out-of-range index, a self-neighbour or a repeated neighbour.
 */
export function spatialWeights(neighbours: readonly (readonly number[])[], style: WeightStyle): number[][] {
	const n = neighbours.length;
	return neighbours.map((list, i) => {
		const seen = new Set<number>();
		for (const j of list) {
			if (!Number.isInteger(j) || j < 0 || j >= n) {
				throw new Error(`spatialWeights: area ${i} has an invalid neighbour ${j}`);
			}
			if (j === i) throw new Error(`spatialWeights: area ${i} lists itself as a neighbour`);
			if (seen.has(j)) throw new Error(`spatialWeights: area ${i} lists neighbour ${j} twice`);
			seen.add(j);
		}
		const weight = style === 'W' ? 1 / list.length : 1;
		return list.map(() => weight);
	});
}

/**
 * Global Moran's I test of spatial autocorrelation (spdep `moran.test`).
 *
 * @param values one value per area (e.g. installations per 1 000 inhabitants).
 * @param neighbours for each area, the indices of its neighbours (e.g. {@link queenNeighbours}).
 * @param options.style "W" (row-standardised, spdep's usual choice) or "B" (binary); default "W".
 * Islands (no neighbours) get zero weights and are removed from n (spdep `zero.policy = TRUE`,
 * `adjust.n = TRUE`). Interpretation: I > E[I] means similar values cluster in space.
 * Throws a {@link MoranInputError} for fewer than 4 areas with neighbours, constant values or no
 * neighbour links at all.
 */
export function moranI(
	values: readonly number[],
	neighbours: readonly (readonly number[])[],
	options: { style?: WeightStyle } = {}
): MoranResult {
	const style = options.style ?? 'W';
	const total = values.length;
	if (neighbours.length !== total) {
		throw new Error(`moranI: ${total} values but ${neighbours.length} neighbour lists`);
	}
	for (const v of values) {
		if (!Number.isFinite(v)) throw new Error(`moranI: values must be finite numbers, got ${v}`);
	}
	const weights = spatialWeights(neighbours, style);
	const islands = neighbours.flatMap((list, i) => (list.length === 0 ? [i] : []));
	const n = total - islands.length;
	if (n < 4)
		throw new MoranInputError('too_few_areas', 'moranI: at least 4 areas with neighbours are needed');
	const mean = values.reduce((a, b) => a + b, 0) / total;
	const z = values.map((v) => v - mean);
	const zz = z.reduce((a, b) => a + b * b, 0);
	if (!(zz > 1e-12 * Math.max(1, mean * mean) * total)) {
		throw new MoranInputError('constant_values', 'moranI: values are constant, autocorrelation is undefined');
	}
	const z4 = z.reduce((a, b) => a + b ** 4, 0);
	const kurtosis = (total * z4) / (zz * zz);

	let s0 = 0;
	let cross = 0;
	const rowSums = new Array<number>(total).fill(0);
	const columnSums = new Array<number>(total).fill(0);
	const weightOf = new Map<number, number>(); // key i·total + j
	neighbours.forEach((list, i) => {
		list.forEach((j, k) => {
			const w = weights[i][k];
			s0 += w;
			cross += w * z[i] * z[j];
			rowSums[i] += w;
			columnSums[j] += w;
			weightOf.set(i * total + j, w);
		});
	});
	if (!(s0 > 0)) throw new MoranInputError('no_links', 'moranI: no area has a neighbour');
	let s1 = 0;
	for (const [key, w] of weightOf) {
		const i = Math.floor(key / total);
		const j = key - i * total;
		const back = weightOf.get(j * total + i) ?? 0;
		// Each unordered pair appears twice when symmetric: ½ Σᵢⱼ (wᵢⱼ + wⱼᵢ)² over ordered pairs.
		s1 += 0.5 * (w + back) ** 2;
		if (back === 0) s1 += 0.5 * w ** 2; // the (j, i) term, absent from the map
	}
	let s2 = 0;
	for (let i = 0; i < total; i++) s2 += (rowSums[i] + columnSums[i]) ** 2;

	const I = (n / s0) * (cross / zz);
	const expected = -1 / (n - 1);
	const nn = n * n;
	const s02 = s0 * s0;
	const varianceNormality = (nn * s1 - n * s2 + 3 * s02) / (s02 * (nn - 1)) - expected ** 2;
	const varianceRandomisation =
		(n * ((nn - 3 * n + 3) * s1 - n * s2 + 3 * s02) - kurtosis * ((nn - n) * s1 - 2 * n * s2 + 6 * s02)) /
			((n - 1) * (n - 2) * (n - 3) * s02) -
		expected ** 2;
	return {
		I,
		expected,
		n,
		islands,
		s0,
		s1,
		s2,
		normality: inference(I, expected, varianceNormality),
		randomisation: inference(I, expected, varianceRandomisation)
	};
}

/** Contiguity rule: "queen" (one shared boundary point is enough) or "rook" (a shared border). */
export type ContiguityRule = 'queen' | 'rook';

/**
 * Contiguity neighbours from polygons, as spdep `poly2nb(queen = TRUE | FALSE)`:
 * - queen: two areas are neighbours when they share at least one vertex (a common corner is enough);
 * - rook: they must share at least two distinct vertices, i.e. a stretch of border, so areas that
 *   only touch at a corner are not neighbours (spdep: "more than one boundary point").
 * Vertices of every ring (outer and holes, all parts of a MultiPolygon) are snapped to a grid of
 * `precision` units (default 1e-7, about 1 cm in degrees) and hashed, so the cost is linear in the
 * number of vertices. Assumes topologically consistent polygons (shared borders use the same
 * vertices, as in IGN/ADMIN-EXPRESS derived files or shapefiles); a border where one side has a
 * vertex the other lacks is still detected through the shared end points. A null geometry gives
 * an island.
 * @returns for each area, the sorted indices of its neighbours.
 */
export function contiguityNeighbours(
	geometries: readonly (AreaGeometry | null)[],
	options: { precision?: number; rule?: ContiguityRule } = {}
): number[][] {
	const precision = options.precision ?? 1e-7;
	const rule = options.rule ?? 'queen';
	if (!(precision > 0)) throw new Error(`contiguityNeighbours: precision must be > 0, got ${precision}`);
	// Vertex → areas, keyed by snapped x then snapped y (numeric keys: no string building).
	// An area's rings are walked one after the other, so its entries at a vertex are consecutive:
	// checking the last entry keeps each area once per vertex (closing vertices included).
	const areasAtVertex = new Map<number, Map<number, number[]>>();
	geometries.forEach((geometry, area) => {
		if (!geometry) return;
		for (const polygon of polygonsOf(geometry)) {
			for (const ring of polygon) {
				for (const [x, y] of ring) {
					const xKey = Math.round(x / precision);
					const yKey = Math.round(y / precision);
					let column = areasAtVertex.get(xKey);
					if (!column) {
						column = new Map();
						areasAtVertex.set(xKey, column);
					}
					const list = column.get(yKey);
					if (!list) column.set(yKey, [area]);
					else if (list[list.length - 1] !== area) list.push(area);
				}
			}
		}
	});
	const required = rule === 'queen' ? 1 : 2;
	const total = geometries.length;
	// Number of distinct shared vertices per ordered pair (a, b), keyed a·total + b.
	const shared = new Map<number, number>();
	for (const column of areasAtVertex.values()) {
		for (const areas of column.values()) {
			if (areas.length < 2) continue;
			for (const a of areas) {
				for (const b of areas) {
					if (a !== b) shared.set(a * total + b, (shared.get(a * total + b) ?? 0) + 1);
				}
			}
		}
	}
	const lists = geometries.map((): number[] => []);
	for (const [key, count] of shared) {
		if (count < required) continue;
		const a = Math.floor(key / total);
		lists[a].push(key - a * total);
	}
	return lists.map((list) => list.sort((a, b) => a - b));
}

/** Queen contiguity (spdep `poly2nb(queen = TRUE)`), see {@link contiguityNeighbours}. */
export function queenNeighbours(
	geometries: readonly (AreaGeometry | null)[],
	options: { precision?: number } = {}
): number[][] {
	return contiguityNeighbours(geometries, { ...options, rule: 'queen' });
}

/** Rook contiguity (spdep `poly2nb(queen = FALSE)`), see {@link contiguityNeighbours}. */
export function rookNeighbours(
	geometries: readonly (AreaGeometry | null)[],
	options: { precision?: number } = {}
): number[][] {
	return contiguityNeighbours(geometries, { ...options, rule: 'rook' });
}
