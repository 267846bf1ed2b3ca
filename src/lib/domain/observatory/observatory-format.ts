import type { Locale } from '../../i18n/core.ts';

/**
 * Number formats of the observatory. Missing values (null: nothing to divide, too few
 * households) read as an en dash, never "NaN".
 */
export const NONE = '–';

export function formatNumber(locale: Locale, value: number | null | undefined, digits = 0): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
	return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/**
 * A count of households: "< k" when it is hidden by the minimum cell size (NaN, see
 * server/domain/observatory/disclosure.rules.ts) for a reader other than staff.
 */
export function formatCount(
	locale: Locale,
	value: number | null | undefined,
	minCellSize: number | null | undefined,
	digits = 0
): string {
	if (typeof value === 'number' && Number.isNaN(value) && minCellSize)
		return `<\u00a0${formatNumber(locale, minCellSize)}`;
	return formatNumber(locale, value, digits);
}

export function formatPercent(locale: Locale, share: number | null | undefined, digits = 0): string {
	if (share === null || share === undefined || !Number.isFinite(share)) return NONE;
	return new Intl.NumberFormat(locale, {
		style: 'percent',
		maximumFractionDigits: digits,
		minimumFractionDigits: 0
	}).format(share);
}

/** "42 % (35–49 %)": a proportion with its confidence interval. */
export function formatProportion(
	locale: Locale,
	p: { proportion: number | null; lower: number | null; upper: number | null } | null | undefined
): string {
	if (!p || p.proportion === null) return NONE;
	const main = formatPercent(locale, p.proportion);
	if (p.lower === null || p.upper === null) return main;
	return `${main} (${formatPercent(locale, p.lower)}–${formatPercent(locale, p.upper)})`;
}

/** A p-value as statisticians print it: "< 0.001" below a thousandth. */
export function formatPValue(locale: Locale, p: number | null | undefined): string {
	if (p === null || p === undefined || !Number.isFinite(p)) return NONE;
	if (p < 0.001) return `< ${formatNumber(locale, 0.001, 3)}`;
	return formatNumber(locale, p, 3);
}
