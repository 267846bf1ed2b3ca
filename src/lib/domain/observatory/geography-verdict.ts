import type { Locale, MessageKey, Translate } from '../../i18n/core.ts';
import { formatNumber, formatPercent, formatPValue, NONE } from './observatory-format.ts';

/** What the verdict sentence reads from a comparison (see geography.rules.ts `Comparison`). */
export type GeographyComparison = {
	baseline: 'communes' | 'population' | 'villages';
	test: 'ks' | 'chi_square' | 'binomial';
	n: number;
	statistic: number | null;
	df: number | null;
	pValue: number | null;
	effect: { measure: string; value: number; magnitude: string | null } | null;
	outcome: string;
	medianKm: number | null;
	baselineMedianKm: number | null;
	overRepresented: string | null;
	share: number | null;
	baselineShare: number | null;
	smallExpected: boolean;
};

/**
 * The plain-language conclusion of one comparison, in the reader's language: distances say
 * "closer / farther / not closer", classes "distributed like / not like", the chef-lieu test
 * "more / less / not more often"; too few installations or no baseline say so.
 */
export function geographyVerdict(
	t: Translate,
	locale: Locale,
	comparison: GeographyComparison,
	{
		metropole,
		minInstallations,
		classLabel
	}: { metropole: string; minInstallations: number; classLabel: (key: string) => string }
): string {
	const { baseline, outcome } = comparison;
	if (outcome === 'too_few')
		return t('observatory_geography_too_few', { n: comparison.n, min: minInstallations });
	if (outcome === 'no_baseline') return t(`observatory_geography_no_baseline_${baseline}` as MessageKey);
	const phrase = t(`observatory_geography_phrase_${baseline}` as MessageKey);
	if (comparison.test === 'ks') {
		const kind =
			outcome === 'significantly_lower'
				? 'closer'
				: outcome === 'significantly_higher'
					? 'farther'
					: 'not_closer';
		return t(`observatory_geography_${kind}_${baseline}` as MessageKey, { metropole });
	}
	if (comparison.test === 'binomial') {
		const params = {
			baseline: phrase,
			share: formatPercent(locale, comparison.share),
			baselineShare: formatPercent(locale, comparison.baselineShare)
		};
		if (outcome === 'significantly_higher') return t('observatory_geography_more_often', params);
		if (outcome === 'significantly_lower') return t('observatory_geography_less_often', params);
		return t('observatory_geography_not_more_often', params);
	}
	if (outcome === 'no_significant_difference') return t('observatory_geography_same', { baseline: phrase });
	return comparison.overRepresented
		? t('observatory_geography_differs', { baseline: phrase, class: classLabel(comparison.overRepresented) })
		: t('observatory_geography_differs_plain', { baseline: phrase });
}

/** "Cohen's w = 0.42 (large)", or a dash. */
export function formatEffect(t: Translate, locale: Locale, effect: GeographyComparison['effect']): string {
	if (!effect || !Number.isFinite(effect.value)) return NONE;
	const text = t(`observatory_geography_effect_${effect.measure}` as MessageKey, {
		value: formatNumber(locale, effect.value, 2)
	});
	return effect.magnitude
		? `${text} (${t(`observatory_geography_magnitude_${effect.magnitude}` as MessageKey)})`
		: text;
}

export const formatP = formatPValue;
