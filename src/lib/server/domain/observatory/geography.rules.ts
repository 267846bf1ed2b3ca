/*
 * Where households settle (pure): installations by commune, by distance to the metropole and by
 * kind of commune (urban area category, population class, chef-lieu), each compared with three
 * baselines — the communes of the territory equally weighted, its population, and the
 * programme's partner villages — and the spatial autocorrelation of installation rates.
 *
 * Tests: two-sample Kolmogorov–Smirnov for distances (R `ks.test`), Pearson chi-square goodness
 * of fit for classes (R `chisq.test(x, p = ...)`), exact binomial for two classes
 * (R `binom.test`), Moran's I with queen contiguity (spdep `moran.test`, randomisation).
 * Every result is a number or null: pages never show NaN.
 */
import { haversineKm, type LatLon } from '../../../domain/geo.ts';
import { POPULATION_CLASSES, populationClass, type AreaGeometry } from '../../../domain/map.ts';
import { median } from '../../../domain/stats/descriptive.ts';
import { kolmogorovPValue } from '../../../domain/stats/distributions.ts';
import { moranI, MoranInputError, queenNeighbours } from '../../../domain/stats/spatial.ts';
import {
	binomialTest,
	chiSquareGoodnessOfFit,
	ksTwoSample,
	verdict,
	type EffectMagnitude,
	type EffectMeasure,
	type VerdictCode
} from '../../../domain/stats/tests.ts';

/** Below this many installations no test is run: "too few installations to tell". */
export const MIN_INSTALLATIONS = 10;
/** Significance level of every verdict. */
export const ALPHA = 0.05;

/** Distance bands to the metropole, in km (lower bounds; the last band is open). */
export const DISTANCE_BANDS = [0, 25, 50, 75, 100, 125] as const;

export const BASELINES = ['communes', 'population', 'villages'] as const;
export type Baseline = (typeof BASELINES)[number];

/** A commune of the programme's territory, with what the geography reads. */
export type GeoCommune = {
	code: string;
	name: string;
	population: number | null;
	lat: number | null;
	lon: number | null;
	/** CATEAAV2020 ('11', '12', '13', '20', '30'), null when not imported. */
	aavCategory: string | null;
	/** Bureau centralisateur of a canton; null when not imported. */
	isCantonSeat: boolean | null;
	geometry: AreaGeometry | null;
};

/** One installation of the selected households in the period. */
export type GeoInstallation = { communeCode: string | null; persons: number };

export type TestOutcome =
	| VerdictCode
	/** Fewer than MIN_INSTALLATIONS installations with the attribute. */
	| 'too_few'
	/** The baseline is empty (no partner village, no population figures…). */
	| 'no_baseline';

/** One test of the installations against one baseline. */
export type Comparison = {
	baseline: Baseline;
	test: 'ks' | 'chi_square' | 'binomial';
	/** Installations in the test. */
	n: number;
	/** Size of the baseline: communes, inhabitants or villages. */
	baselineSize: number;
	statistic: number | null;
	df: number | null;
	pValue: number | null;
	effect: { measure: EffectMeasure; value: number; magnitude: EffectMagnitude | null } | null;
	outcome: TestOutcome;
	/** KS: median distance of the installations and of the baseline (km). */
	medianKm: number | null;
	baselineMedianKm: number | null;
	/** Chi-square: the class most over-represented among installations (largest residual). */
	overRepresented: string | null;
	/** Binomial: share of installations in the class, and the baseline's share. */
	share: number | null;
	baselineShare: number | null;
	/** A category had expected counts below 5 (chi-square approximation doubtful). */
	smallExpected: boolean;
};

/** Installations and the baselines' shares per class of a classification. */
export type ClassRow = {
	key: string;
	installations: number;
	installationsShare: number | null;
	communes: number;
	communesShare: number | null;
	population: number;
	populationShare: number | null;
	villages: number;
	villagesShare: number | null;
};

export type Classification = {
	key: 'aav' | 'population_class' | 'chef_lieu';
	/** The attribute is known for no commune: the page says how to import it. */
	missing: boolean;
	/** Communes of the territory with the attribute. */
	communesWithAttribute: number;
	rows: ClassRow[];
	/** Installations whose commune lacks the attribute (left out of the tests). */
	unknownInstallations: number;
	comparisons: Comparison[];
};

export type CommuneInstallations = {
	code: string;
	name: string;
	population: number | null;
	installations: number;
	persons: number;
	/** Installations per 1,000 inhabitants; null without population. */
	ratePer1000: number | null;
	distanceKm: number | null;
	isVillage: boolean;
};

export type EcdfSeries = { series: 'installations' | Baseline; points: { km: number; share: number }[] };

export type MoranSection =
	| {
			status: 'computed';
			I: number;
			expected: number;
			z: number;
			pValue: number;
			variance: number;
			/** Communes in the analysis (with outline and population) and those without neighbours. */
			communes: number;
			islands: number;
			outcome: 'clustered' | 'dispersed' | 'no_pattern';
			communesWithoutOutline: number;
	  }
	| {
			status: 'no_outlines' | 'too_few' | 'constant' | 'no_links';
			communes: number;
			communesWithoutOutline: number;
			I: null;
			expected: null;
			z: null;
			pValue: null;
			variance: null;
			islands: 0;
			outcome: null;
	  };

export type Geography = {
	/** Installations of the selected households in the period. */
	installations: number;
	/** … in a commune of the territory, elsewhere, or with no commune recorded. */
	inTerritory: number;
	outsideTerritory: number;
	withoutCommune: number;
	communes: number;
	villages: number;
	byCommune: CommuneInstallations[];
	distance: {
		/** Null when the metropole's position is unknown. */
		metropoleKnown: boolean;
		/** Communes of the territory without a centroid (no outline imported). */
		communesWithoutCentre: number;
		bands: ClassRow[];
		comparisons: Comparison[];
		bandComparisons: Comparison[];
		ecdf: EcdfSeries[];
	};
	classifications: Classification[];
	moran: MoranSection;
	minInstallations: number;
};

const share = (part: number, total: number): number | null => (total > 0 ? part / total : null);
const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function distanceBand(km: number): string {
	let label = '';
	for (let i = 0; i < DISTANCE_BANDS.length; i++) {
		if (km >= DISTANCE_BANDS[i]) {
			label =
				i + 1 < DISTANCE_BANDS.length
					? `${DISTANCE_BANDS[i]}-${DISTANCE_BANDS[i + 1]}`
					: `${DISTANCE_BANDS[i]}+`;
		}
	}
	return label;
}
export const DISTANCE_BAND_KEYS = DISTANCE_BANDS.map((_, i) => distanceBand(DISTANCE_BANDS[i]));

/** AAV 2020 category in three classes: pole (11, 12, 13), crown (20), outside (30). */
export function aavClass(category: string | null): 'pole' | 'crown' | 'outside' | null {
	if (category === '11' || category === '12' || category === '13') return 'pole';
	if (category === '20') return 'crown';
	if (category === '30') return 'outside';
	return null;
}
export const AAV_CLASS_KEYS = ['pole', 'crown', 'outside'] as const;
export const POPULATION_CLASS_KEYS = POPULATION_CLASSES.map((c) => c.key);
export const CHEF_LIEU_KEYS = ['chef_lieu', 'other'] as const;

/**
 * Two-sample Kolmogorov–Smirnov test of unweighted values against a weighted sample, exactly as
 * `ksTwoSample(x, y)` would give if each baseline value were repeated `weight` times (one copy
 * per inhabitant), without building that sample: D⁺, D⁻ and D from the two cumulative
 * distributions, the asymptotic p-value with effective size n·W/(n + W) (Stephens' correction),
 * as the library does for large samples. Weights must be whole numbers (inhabitants).
 */
export function ksAgainstWeighted(
	x: readonly number[],
	weighted: readonly { value: number; weight: number }[]
): { statistic: number; dPlus: number; dMinus: number; pValue: number; nX: number; nY: number } {
	const sx = [...x].sort((a, b) => a - b);
	const sy = weighted.filter((v) => v.weight > 0).sort((a, b) => a.value - b.value);
	const nX = sx.length;
	const nY = sy.reduce((sum, v) => sum + v.weight, 0);
	if (nX === 0 || !(nY > 0)) throw new Error('ksAgainstWeighted: each sample needs at least one observation');
	let i = 0;
	let j = 0;
	let cumulativeY = 0;
	let dPlus = 0;
	let dMinus = 0;
	while (i < nX || j < sy.length) {
		const value = Math.min(i < nX ? sx[i] : Infinity, j < sy.length ? sy[j].value : Infinity);
		while (i < nX && sx[i] === value) i++;
		while (j < sy.length && sy[j].value === value) cumulativeY += sy[j++].weight;
		const difference = i / nX - cumulativeY / nY;
		dPlus = Math.max(dPlus, difference);
		dMinus = Math.max(dMinus, -difference);
	}
	const statistic = Math.max(dPlus, dMinus);
	return {
		statistic,
		dPlus,
		dMinus,
		pValue: kolmogorovPValue(statistic, (nX * nY) / (nX + nY), 'stephens'),
		nX,
		nY
	};
}

/** Weighted median: the smallest value whose cumulative weight reaches half the total. */
export function weightedMedian(values: readonly { value: number; weight: number }[]): number | null {
	const sorted = values.filter((v) => v.weight > 0).sort((a, b) => a.value - b.value);
	const total = sorted.reduce((sum, v) => sum + v.weight, 0);
	if (!(total > 0)) return null;
	let cumulative = 0;
	for (const v of sorted) {
		cumulative += v.weight;
		if (cumulative >= total / 2) return v.value;
	}
	return sorted[sorted.length - 1].value;
}

const emptyComparison = (
	baseline: Baseline,
	test: Comparison['test'],
	n: number,
	baselineSize: number,
	outcome: TestOutcome
): Comparison => ({
	baseline,
	test,
	n,
	baselineSize,
	statistic: null,
	df: null,
	pValue: null,
	effect: null,
	outcome,
	medianKm: null,
	baselineMedianKm: null,
	overRepresented: null,
	share: null,
	baselineShare: null,
	smallExpected: false
});

/**
 * KS comparison of installation distances with a baseline: a sample (communes, villages: one
 * value each) or a weighted sample (population: each commune's distance weighs its inhabitants).
 * Direction: the difference of medians (installations − baseline); "significantly_lower" reads
 * "closer to the metropole". When the medians are equal, the larger of D⁺/D⁻ gives the direction.
 */
export function compareDistances(
	installations: readonly number[],
	baselineValues: readonly number[] | readonly { value: number; weight: number }[],
	baseline: Baseline,
	baselineSize: number
): Comparison {
	const weighted = baselineValues.some((v) => typeof v !== 'number')
		? (baselineValues as { value: number; weight: number }[]).filter((v) => v.weight > 0)
		: null;
	const size = weighted ? weighted.length : baselineValues.length;
	if (size === 0) return emptyComparison(baseline, 'ks', installations.length, 0, 'no_baseline');
	if (installations.length < MIN_INSTALLATIONS)
		return emptyComparison(baseline, 'ks', installations.length, baselineSize, 'too_few');
	const result = weighted
		? ksAgainstWeighted(installations, weighted)
		: ksTwoSample(installations, baselineValues as number[]);
	const medianKm = median(installations);
	const baselineMedianKm = weighted ? weightedMedian(weighted) : median(baselineValues as number[]);
	let difference = (medianKm ?? 0) - (baselineMedianKm ?? 0);
	// D⁺ = sup(F_inst − F_base) > 0: installations are closer (their ECDF rises first).
	if (difference === 0) difference = result.dPlus > result.dMinus ? -1 : result.dMinus > result.dPlus ? 1 : 0;
	const effect = { measure: 'ks_d' as const, value: result.statistic };
	const v = verdict({ pValue: result.pValue, effect, difference, alpha: ALPHA });
	return {
		...emptyComparison(baseline, 'ks', installations.length, baselineSize, v.code),
		statistic: result.statistic,
		pValue: result.pValue,
		effect: { measure: v.effect.measure, value: v.effect.value, magnitude: v.effect.magnitude },
		medianKm,
		baselineMedianKm
	};
}

/**
 * Goodness of fit of installation counts per class to a baseline's shares: chi-square for three
 * classes or more, exact binomial for two (the first key is the "success" class). Classes that
 * neither the installations nor the baseline hold are left out.
 */
export function compareClasses(
	keys: readonly string[],
	observed: readonly number[],
	baselineWeights: readonly number[],
	baseline: Baseline,
	baselineSize: number
): Comparison {
	const kept = keys.map((_, i) => i).filter((i) => observed[i] > 0 || baselineWeights[i] > 0);
	const n = kept.reduce((sum, i) => sum + observed[i], 0);
	const totalWeight = kept.reduce((sum, i) => sum + baselineWeights[i], 0);
	const test: Comparison['test'] = keys.length === 2 ? 'binomial' : 'chi_square';
	if (!(totalWeight > 0)) return emptyComparison(baseline, test, n, baselineSize, 'no_baseline');
	if (n < MIN_INSTALLATIONS) return emptyComparison(baseline, test, n, baselineSize, 'too_few');
	if (test === 'binomial') {
		const p = baselineWeights[0] / (baselineWeights[0] + baselineWeights[1]);
		const result = binomialTest(observed[0], observed[0] + observed[1], { p });
		const v = verdict({
			pValue: result.pValue,
			effect: result.effect,
			difference: result.difference,
			alpha: ALPHA
		});
		return {
			...emptyComparison(baseline, test, result.trials, baselineSize, v.code),
			statistic: result.successes,
			pValue: result.pValue,
			effect: { measure: v.effect.measure, value: v.effect.value, magnitude: v.effect.magnitude },
			share: result.estimate,
			baselineShare: p
		};
	}
	if (kept.length < 2) return emptyComparison(baseline, test, n, baselineSize, 'no_significant_difference');
	const result = chiSquareGoodnessOfFit(
		kept.map((i) => observed[i]),
		kept.map((i) => baselineWeights[i] / totalWeight),
		{ rescale: true }
	);
	const v = verdict({ pValue: result.pValue, effect: result.effect, alpha: ALPHA });
	let over: string | null = null;
	let best = 0;
	result.residuals.forEach((residual, k) => {
		if (residual > best) {
			best = residual;
			over = keys[kept[k]];
		}
	});
	return {
		...emptyComparison(baseline, test, n, baselineSize, v.code),
		statistic: finiteOrNull(result.statistic),
		df: result.df,
		pValue: result.pValue,
		// An installation where the baseline has none gives X² = ∞: no finite effect size to show.
		effect: Number.isFinite(v.effect.value)
			? { measure: v.effect.measure, value: v.effect.value, magnitude: v.effect.magnitude }
			: null,
		overRepresented: over,
		smallExpected: result.warnings.includes('expected_below_5')
	};
}

/** Rows of a classification: counts and shares of installations, communes, population, villages. */
function classRows(
	keys: readonly string[],
	classOf: (commune: GeoCommune) => string | null,
	communes: readonly GeoCommune[],
	installationsByCommune: ReadonlyMap<string, number>,
	villageCodes: ReadonlySet<string>
): { rows: ClassRow[]; unknownInstallations: number; communesWithAttribute: number } {
	const rows = keys.map((key): ClassRow => ({
		key,
		installations: 0,
		installationsShare: null,
		communes: 0,
		communesShare: null,
		population: 0,
		populationShare: null,
		villages: 0,
		villagesShare: null
	}));
	const index = new Map(keys.map((key, i) => [key, i]));
	let unknownInstallations = 0;
	let communesWithAttribute = 0;
	for (const commune of communes) {
		const key = classOf(commune);
		const installations = installationsByCommune.get(commune.code) ?? 0;
		const i = key === null ? undefined : index.get(key);
		if (i === undefined) {
			unknownInstallations += installations;
			continue;
		}
		communesWithAttribute++;
		const row = rows[i];
		row.installations += installations;
		row.communes++;
		row.population += Math.max(0, commune.population ?? 0);
		if (villageCodes.has(commune.code)) row.villages++;
	}
	const totals = {
		installations: rows.reduce((s, r) => s + r.installations, 0),
		communes: rows.reduce((s, r) => s + r.communes, 0),
		population: rows.reduce((s, r) => s + r.population, 0),
		villages: rows.reduce((s, r) => s + r.villages, 0)
	};
	for (const row of rows) {
		row.installationsShare = share(row.installations, totals.installations);
		row.communesShare = share(row.communes, totals.communes);
		row.populationShare = share(row.population, totals.population);
		row.villagesShare = share(row.villages, totals.villages);
	}
	return { rows, unknownInstallations, communesWithAttribute };
}

function compareRows(keys: readonly string[], rows: readonly ClassRow[]): Comparison[] {
	const observed = rows.map((r) => r.installations);
	return [
		compareClasses(
			keys,
			observed,
			rows.map((r) => r.communes),
			'communes',
			rows.reduce((s, r) => s + r.communes, 0)
		),
		compareClasses(
			keys,
			observed,
			rows.map((r) => r.population),
			'population',
			rows.reduce((s, r) => s + r.population, 0)
		),
		compareClasses(
			keys,
			observed,
			rows.map((r) => r.villages),
			'villages',
			rows.reduce((s, r) => s + r.villages, 0)
		)
	];
}

/** Empirical cumulative distribution as steps (km, share ≤ km), weighted. */
export function ecdfPoints(
	values: readonly { value: number; weight: number }[]
): { km: number; share: number }[] {
	const sorted = values.filter((v) => v.weight > 0).sort((a, b) => a.value - b.value);
	const total = sorted.reduce((s, v) => s + v.weight, 0);
	if (!(total > 0)) return [];
	const points: { km: number; share: number }[] = [{ km: sorted[0].value, share: 0 }];
	let cumulative = 0;
	for (let i = 0; i < sorted.length; i++) {
		cumulative += sorted[i].weight;
		if (i + 1 < sorted.length && sorted[i + 1].value === sorted[i].value) continue;
		points.push({ km: Math.round(sorted[i].value * 10) / 10, share: cumulative / total });
	}
	return points;
}

/**
 * Moran's I of installation rates (per 1,000 inhabitants) over the communes that have an outline
 * and a population, with queen contiguity and row-standardised weights; inference under
 * randomisation, one-sided towards clustering as spdep's default, two-sided for the verdict.
 */
export function computeMoran(
	communes: readonly GeoCommune[],
	installationsByCommune: ReadonlyMap<string, number>
): MoranSection {
	const withOutline = communes.filter((c) => c.geometry !== null);
	const used = withOutline.filter((c) => (c.population ?? 0) > 0);
	const base = { communes: used.length, communesWithoutOutline: communes.length - withOutline.length };
	const empty = (status: 'no_outlines' | 'too_few' | 'constant' | 'no_links'): MoranSection => ({
		status,
		...base,
		I: null,
		expected: null,
		z: null,
		pValue: null,
		variance: null,
		islands: 0,
		outcome: null
	});
	if (withOutline.length === 0) return empty('no_outlines');
	const total = used.reduce((s, c) => s + (installationsByCommune.get(c.code) ?? 0), 0);
	if (total < MIN_INSTALLATIONS) return empty('too_few');
	const rates = used.map(
		(c) => ((installationsByCommune.get(c.code) ?? 0) / (c.population as number)) * 1000
	);
	const neighbours = queenNeighbours(used.map((c) => c.geometry));
	try {
		const result = moranI(rates, neighbours, { style: 'W' });
		const inference = result.randomisation;
		if (!Number.isFinite(inference.z) || !Number.isFinite(result.I)) return empty('constant');
		const significant = inference.pTwoSided < ALPHA;
		return {
			status: 'computed',
			...base,
			I: result.I,
			expected: result.expected,
			z: inference.z,
			pValue: inference.pTwoSided,
			variance: inference.variance,
			islands: result.islands.length,
			outcome: !significant ? 'no_pattern' : result.I > result.expected ? 'clustered' : 'dispersed'
		};
	} catch (error) {
		if (error instanceof MoranInputError) {
			return empty(
				error.reason === 'constant_values' ? 'constant' : error.reason === 'no_links' ? 'no_links' : 'too_few'
			);
		}
		throw error;
	}
}

/** Every geography indicator of the installations, against the three baselines. */
export function computeGeography({
	communes,
	installations,
	villageCodes,
	metropole
}: {
	communes: readonly GeoCommune[];
	installations: readonly GeoInstallation[];
	villageCodes: readonly string[];
	metropole: LatLon | null;
}): Geography {
	const byCode = new Map(communes.map((c) => [c.code, c]));
	const villages = new Set(villageCodes.filter((code) => byCode.has(code)));
	const counts = new Map<string, number>();
	const persons = new Map<string, number>();
	let outsideTerritory = 0;
	let withoutCommune = 0;
	for (const installation of installations) {
		if (!installation.communeCode) {
			withoutCommune++;
			continue;
		}
		if (!byCode.has(installation.communeCode)) {
			outsideTerritory++;
			continue;
		}
		counts.set(installation.communeCode, (counts.get(installation.communeCode) ?? 0) + 1);
		persons.set(
			installation.communeCode,
			(persons.get(installation.communeCode) ?? 0) + installation.persons
		);
	}
	const inTerritory = installations.length - outsideTerritory - withoutCommune;

	const distanceOf = new Map<string, number>();
	if (metropole) {
		for (const c of communes) {
			if (c.lat !== null && c.lon !== null)
				distanceOf.set(c.code, haversineKm({ lat: c.lat, lon: c.lon }, metropole));
		}
	}

	const byCommune: CommuneInstallations[] = communes
		.filter((c) => (counts.get(c.code) ?? 0) > 0 || villages.has(c.code))
		.map((c) => {
			const n = counts.get(c.code) ?? 0;
			const km = distanceOf.get(c.code);
			return {
				code: c.code,
				name: c.name,
				population: c.population,
				installations: n,
				persons: persons.get(c.code) ?? 0,
				ratePer1000: c.population && c.population > 0 ? (n / c.population) * 1000 : null,
				distanceKm: km === undefined ? null : Math.round(km * 10) / 10,
				isVillage: villages.has(c.code)
			};
		})
		.sort((a, b) => b.installations - a.installations || a.name.localeCompare(b.name, 'fr'));

	// Distance to the metropole.
	const withCentre = communes.filter((c) => distanceOf.has(c.code));
	const installationDistances: number[] = [];
	for (const [code, n] of counts) {
		const km = distanceOf.get(code);
		if (km !== undefined) for (let i = 0; i < n; i++) installationDistances.push(km);
	}
	const communeDistances = withCentre.map((c) => distanceOf.get(c.code) as number);
	const populationWeighted = withCentre.map((c) => ({
		value: distanceOf.get(c.code) as number,
		weight: Math.max(0, c.population ?? 0)
	}));
	const villageDistances = withCentre
		.filter((c) => villages.has(c.code))
		.map((c) => distanceOf.get(c.code) as number);
	const populationTotal = populationWeighted.reduce((s, v) => s + v.weight, 0);
	const comparisons = metropole
		? [
				compareDistances(installationDistances, communeDistances, 'communes', communeDistances.length),
				compareDistances(installationDistances, populationWeighted, 'population', populationTotal),
				compareDistances(installationDistances, villageDistances, 'villages', villageDistances.length)
			]
		: [];
	const band = classRows(
		DISTANCE_BAND_KEYS,
		(c) => {
			const km = distanceOf.get(c.code);
			return km === undefined ? null : distanceBand(km);
		},
		communes,
		counts,
		villages
	);
	const ecdf: EcdfSeries[] = metropole
		? [
				{
					series: 'installations',
					points: ecdfPoints(installationDistances.map((value) => ({ value, weight: 1 })))
				},
				{ series: 'communes', points: ecdfPoints(communeDistances.map((value) => ({ value, weight: 1 }))) },
				{ series: 'population', points: ecdfPoints(populationWeighted) },
				{ series: 'villages', points: ecdfPoints(villageDistances.map((value) => ({ value, weight: 1 }))) }
			]
		: [];

	const classification = (
		key: Classification['key'],
		keys: readonly string[],
		classOf: (c: GeoCommune) => string | null
	): Classification => {
		const { rows, unknownInstallations, communesWithAttribute } = classRows(
			keys,
			classOf,
			communes,
			counts,
			villages
		);
		return {
			key,
			missing: communesWithAttribute === 0,
			communesWithAttribute,
			rows,
			unknownInstallations,
			comparisons: communesWithAttribute === 0 ? [] : compareRows(keys, rows)
		};
	};
	const classifications = [
		classification('aav', AAV_CLASS_KEYS, (c) => aavClass(c.aavCategory)),
		classification('population_class', POPULATION_CLASS_KEYS, (c) => {
			const key = populationClass(c.population);
			return key === 'pop-unknown' ? null : key;
		}),
		classification('chef_lieu', CHEF_LIEU_KEYS, (c) =>
			c.isCantonSeat === null ? null : c.isCantonSeat ? 'chef_lieu' : 'other'
		)
	];

	return {
		installations: installations.length,
		inTerritory,
		outsideTerritory,
		withoutCommune,
		communes: communes.length,
		villages: villages.size,
		byCommune,
		distance: {
			metropoleKnown: metropole !== null,
			communesWithoutCentre: communes.length - withCentre.length,
			bands: band.rows,
			comparisons,
			bandComparisons: metropole && withCentre.length > 0 ? compareRows(DISTANCE_BAND_KEYS, band.rows) : [],
			ecdf
		},
		classifications,
		moran: computeMoran(communes, counts),
		minInstallations: MIN_INSTALLATIONS
	};
}
