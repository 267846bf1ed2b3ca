import { describe, expect, test } from 'vitest';
import { createRandom } from '../../../domain/random.ts';
import { ksTwoSample } from '../../../domain/stats/tests.ts';
import {
	compareClasses,
	compareDistances,
	computeGeography,
	distanceBand,
	ecdfPoints,
	MIN_INSTALLATIONS,
	ksAgainstWeighted,
	weightedMedian,
	type GeoInstallation
} from './geography.rules.ts';
import { GRID_METROPOLE, gridCommunes } from './geography.test-utils.ts';

const communes = gridCommunes();
const at = (codes: string[]): GeoInstallation[] => codes.map((communeCode) => ({ communeCode, persons: 2 }));
const villageCodes = communes.filter((c) => c.row % 3 === 0 && c.column % 3 === 0).map((c) => c.code);

/** Installations drawn uniformly among the communes (fixed seed: the same draw every run). */
function uniformInstallations(count: number, seed = 7): GeoInstallation[] {
	const random = createRandom(seed);
	return at(Array.from({ length: count }, () => communes[Math.floor(random.next() * communes.length)].code));
}
/** Installations in the two columns nearest to the metropole. */
function nearInstallations(count: number): GeoInstallation[] {
	const near = communes.filter((c) => c.column <= 1);
	return at(Array.from({ length: count }, (_, i) => near[i % near.length].code));
}

describe('geography of installations', () => {
	test('installations placed uniformly across communes are not closer to the metropole than the communes are', () => {
		const geography = computeGeography({
			communes,
			installations: uniformInstallations(150),
			villageCodes,
			metropole: GRID_METROPOLE
		});
		expect(geography.inTerritory).toBe(150);
		const [byCommunes, byPopulation] = geography.distance.comparisons;
		expect(byCommunes).toMatchObject({ baseline: 'communes', test: 'ks', n: 150, baselineSize: 144 });
		expect(byCommunes.outcome).toBe('no_significant_difference');
		expect(byCommunes.pValue).toBeGreaterThan(0.05);
		expect(byPopulation.outcome).toBe('no_significant_difference');
		const aav = geography.classifications.find((c) => c.key === 'aav')!;
		expect(aav.comparisons[0].outcome).toBe('no_significant_difference');
		const chefLieu = geography.classifications.find((c) => c.key === 'chef_lieu')!;
		expect(chefLieu.comparisons[0]).toMatchObject({ test: 'binomial', outcome: 'no_significant_difference' });
		expect(chefLieu.comparisons[0].baselineShare).toBeCloseTo(24 / 144, 10);
		expect(geography.moran.status).toBe('computed');
		expect(geography.moran.outcome).toBe('no_pattern');
	});

	test('installations placed near the metropole are closer than the communes, the population and the villages', () => {
		const geography = computeGeography({
			communes,
			installations: nearInstallations(60),
			villageCodes,
			metropole: GRID_METROPOLE
		});
		for (const comparison of geography.distance.comparisons) {
			expect(comparison.outcome, comparison.baseline).toBe('significantly_lower');
			expect(comparison.medianKm!).toBeLessThan(comparison.baselineMedianKm!);
			expect(comparison.effect?.measure).toBe('ks_d');
			expect(comparison.pValue!).toBeLessThan(0.001);
		}
		expect(geography.distance.bandComparisons[0].outcome).toBe('significantly_different');
		const aav = geography.classifications.find((c) => c.key === 'aav')!;
		expect(aav.comparisons[0]).toMatchObject({
			outcome: 'significantly_different',
			overRepresented: 'crown'
		});
		expect(aav.comparisons[0].effect?.magnitude).toBe('large');
		// Column 0 holds a chef-lieu in every row: half the installations, against 1/6 of the communes.
		const chefLieu = geography.classifications.find((c) => c.key === 'chef_lieu')!;
		expect(chefLieu.comparisons[0]).toMatchObject({ outcome: 'significantly_higher', share: 0.5 });
		expect(geography.moran).toMatchObject({ status: 'computed', outcome: 'clustered' });
		expect(geography.moran.I!).toBeGreaterThan(0.5);
	});

	test(`fewer than ${MIN_INSTALLATIONS} installations give "too few to tell", never a p-value`, () => {
		const geography = computeGeography({
			communes,
			installations: nearInstallations(MIN_INSTALLATIONS - 1),
			villageCodes,
			metropole: GRID_METROPOLE
		});
		expect(geography.distance.comparisons.map((c) => c.outcome)).toEqual(['too_few', 'too_few', 'too_few']);
		expect(geography.distance.comparisons.every((c) => c.pValue === null)).toBe(true);
		expect(geography.moran.status).toBe('too_few');
		expect(JSON.stringify(geography)).not.toContain('NaN');
	});

	test('installations outside the territory or without a commune are counted apart and left out', () => {
		const geography = computeGeography({
			communes,
			installations: [
				...nearInstallations(12),
				{ communeCode: '31555', persons: 1 },
				{ communeCode: null, persons: 1 }
			],
			villageCodes,
			metropole: GRID_METROPOLE
		});
		expect(geography).toMatchObject({
			installations: 14,
			inTerritory: 12,
			outsideTerritory: 1,
			withoutCommune: 1
		});
		expect(geography.byCommune[0]).toMatchObject({ installations: 1, persons: 2 });
		expect(geography.byCommune.reduce((s, c) => s + c.installations, 0)).toBe(12);
	});

	test('without INSEE attributes, outlines or a metropole the sections say so instead of testing', () => {
		const bare = communes.map((c) => ({ ...c, aavCategory: null, isCantonSeat: null, geometry: null }));
		const geography = computeGeography({
			communes: bare,
			installations: nearInstallations(30),
			villageCodes: [],
			metropole: null
		});
		expect(geography.classifications.find((c) => c.key === 'aav')).toMatchObject({
			missing: true,
			comparisons: []
		});
		expect(geography.classifications.find((c) => c.key === 'chef_lieu')?.missing).toBe(true);
		expect(geography.classifications.find((c) => c.key === 'population_class')?.missing).toBe(false);
		expect(geography.distance).toMatchObject({ metropoleKnown: false, comparisons: [], ecdf: [] });
		expect(geography.moran).toMatchObject({ status: 'no_outlines', communesWithoutOutline: 144 });
		// No partner village: the villages baseline is empty rather than a test.
		const population = geography.classifications.find((c) => c.key === 'population_class')!;
		expect(population.comparisons[2].outcome).toBe('no_baseline');
		expect(JSON.stringify(geography)).not.toContain('NaN');
	});

	test('helpers: distance bands, weighted samples, steps of the cumulative distribution', () => {
		expect([0, 24.9, 25, 99, 130].map(distanceBand)).toEqual(['0-25', '0-25', '25-50', '75-100', '125+']);
		expect(
			weightedMedian([
				{ value: 1, weight: 3 },
				{ value: 2, weight: 1 }
			])
		).toBe(1);
		expect(weightedMedian([])).toBeNull();
		expect(
			ecdfPoints([
				{ value: 2, weight: 1 },
				{ value: 1, weight: 1 },
				{ value: 2, weight: 2 }
			])
		).toEqual([
			{ km: 1, share: 0 },
			{ km: 1, share: 0.25 },
			{ km: 2, share: 1 }
		]);
	});

	test('a class where the baseline has nothing but installations are gives p = 0 and no finite effect', () => {
		const comparison = compareClasses(['a', 'b', 'c'], [5, 5, 5], [1, 1, 0], 'villages', 2);
		expect(comparison).toMatchObject({
			outcome: 'significantly_different',
			pValue: 0,
			statistic: null,
			effect: null
		});
		const ks = compareDistances([1, 2, 3], [], 'villages', 0);
		expect(ks.outcome).toBe('no_baseline');
	});

	test('the population-weighted KS test equals the two-sample test on one copy per inhabitant', () => {
		const x = [12, 15, 15, 20, 31, 33, 40, 41, 52, 60, 61, 75];
		const weighted = [
			{ value: 10, weight: 40 },
			{ value: 15, weight: 25 },
			{ value: 30, weight: 90 },
			{ value: 45, weight: 60 },
			{ value: 70, weight: 35 }
		];
		const replicated = weighted.flatMap((w) => Array.from({ length: w.weight }, () => w.value));
		const reference = ksTwoSample(x, replicated, { exact: false });
		const result = ksAgainstWeighted(x, weighted);
		expect(result.statistic).toBeCloseTo(reference.statistic, 12);
		expect(result.dPlus).toBeCloseTo(reference.dPlus, 12);
		expect(result.dMinus).toBeCloseTo(reference.dMinus, 12);
		expect(result.pValue).toBeCloseTo(reference.pValue, 12);
		expect(result.nY).toBe(250);
	});
});
