import { describe, expect, test } from 'vitest';
import { createTranslator } from '../../i18n/index.ts';
import { formatEffect, geographyVerdict, type GeographyComparison } from './geography-verdict.ts';

const base: GeographyComparison = {
	baseline: 'population',
	test: 'ks',
	n: 40,
	statistic: 0.1,
	df: null,
	pValue: 0.4,
	effect: { measure: 'ks_d', value: 0.1, magnitude: null },
	outcome: 'no_significant_difference',
	medianKm: 70,
	baselineMedianKm: 72,
	overRepresented: null,
	share: null,
	baselineShare: null,
	smallExpected: false
};
const options = {
	metropole: 'Toulouse',
	minInstallations: 10,
	classLabel: (key: string) => key.toUpperCase()
};
const fr = createTranslator('fr');
const en = createTranslator('en');

describe('geography verdicts in plain words', () => {
	test('distances: not closer, closer, farther, in French and English', () => {
		expect(geographyVerdict(en, 'en', base, options)).toBe(
			'Installations are not closer to Toulouse than the population is (no significant difference).'
		);
		expect(geographyVerdict(fr, 'fr', base, options)).toBe(
			'Les installations ne sont pas plus proches de Toulouse que la population (pas de différence significative).'
		);
		expect(geographyVerdict(en, 'en', { ...base, outcome: 'significantly_lower' }, options)).toBe(
			'Installations are closer to Toulouse than the population is.'
		);
		expect(
			geographyVerdict(fr, 'fr', { ...base, baseline: 'communes', outcome: 'significantly_higher' }, options)
		).toBe('Les installations sont plus éloignées de Toulouse que les communes du territoire.');
	});

	test('too few installations or no baseline say so instead of a conclusion', () => {
		expect(geographyVerdict(en, 'en', { ...base, n: 4, outcome: 'too_few' }, options)).toBe(
			'Too few installations to tell (n = 4 < 10).'
		);
		expect(
			geographyVerdict(fr, 'fr', { ...base, baseline: 'villages', outcome: 'no_baseline' }, options)
		).toBe('Aucun village partenaire à comparer.');
	});

	test('classes name the over-represented class; the chef-lieu test gives both shares', () => {
		const chi = {
			...base,
			test: 'chi_square' as const,
			outcome: 'significantly_different',
			overRepresented: 'crown'
		};
		expect(geographyVerdict(en, 'en', chi, options)).toBe(
			'Installations are not distributed like the population: more installations than expected in the class “CROWN”.'
		);
		const binomial = {
			...base,
			test: 'binomial' as const,
			outcome: 'significantly_higher',
			share: 0.32,
			baselineShare: 0.03
		};
		expect(geographyVerdict(en, 'en', binomial, options)).toBe(
			"Installations are more often in a canton's chef-lieu than the population (32% against 3%)."
		);
		expect(formatEffect(en, 'en', { measure: 'cohen_h', value: 0.843, magnitude: 'large' })).toBe(
			"Cohen's h = 0.84 (large)"
		);
		expect(formatEffect(en, 'en', null)).toBe('–');
	});
});
