import type { Locale, MessageKey, MessageParams } from '$lib/i18n/core.ts';
import { formatNumber, formatPercent } from '$lib/domain/observatory/observatory-format.ts';

type T = (key: MessageKey, params?: MessageParams) => string;

/**
 * A survival rate with its 95 % interval: "60 % (13–88 %)"; "100 %" alone where the log-log
 * interval is undefined (nobody has left yet); "no follow-up yet" when nobody was followed that long.
 */
export function formatRate(
	locale: Locale,
	t: T,
	rate: { survival: number | null; lower: number | null; upper: number | null }
): string {
	if (rate.survival === null) return t('observatory_durability_not_followed');
	const main = formatPercent(locale, rate.survival);
	if (rate.lower === null || rate.upper === null) return main;
	return `${main} (${formatPercent(locale, rate.lower)}–${formatPercent(locale, rate.upper)})`;
}

/** A duration in years ("3,0 ans"); "not reached" for a median the curve has not reached. */
export function formatYears(locale: Locale, t: T, years: number | null): string {
	if (years === null) return t('observatory_durability_not_reached');
	return t('observatory_durability_years_value', { years: formatNumber(locale, years, 1) });
}
