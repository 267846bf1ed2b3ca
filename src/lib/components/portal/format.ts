/**
 * Formatting shared by the portal's cards and pages: prices, distances and dates with
 * Intl for the reader's locale. Pure functions (no Svelte), safe on server and browser.
 */
import type { Locale, Translate } from '$lib/i18n/core.ts';
import { intlLocale } from '$lib/i18n/core.ts';

/** Offer kinds priced per month (must stay in sync with RENT_KINDS in offer.rules.ts). */
export const RENT_OFFER_KINDS: readonly string[] = ['house_rent', 'flat_rent', 'premises_rent'];

export function formatEuros(locale: Locale, amount: number): string {
	return new Intl.NumberFormat(locale, {
		style: 'currency',
		currency: 'EUR',
		maximumFractionDigits: 0
	}).format(amount);
}

/** "850 € par mois" for a rent, "145 000 €" for a sale, "Price on request" when unknown. */
export function formatOfferPrice(
	t: Translate,
	locale: Locale,
	offer: { kind: string; price: number | null }
): string {
	if (offer.price === null) return t('pages_offer_price_none');
	const price = formatEuros(locale, offer.price);
	return RENT_OFFER_KINDS.includes(offer.kind) ? t('pages_offer_price_month', { price }) : price;
}

/** The price band of an anonymised takeover ("Between €100,000 and €200,000"). */
export function formatPriceBand(
	t: Translate,
	locale: Locale,
	band: { min: number; max: number | null } | null
): string {
	if (!band) return t('pages_offer_price_none');
	const min = formatEuros(locale, band.min);
	return band.max === null
		? t('pages_offer_price_band_open', { min })
		: t('pages_offer_price_band', { min, max: formatEuros(locale, band.max) });
}

/** Whole kilometres (distances are between centroids: decimals would be false precision). */
export function formatKm(locale: Locale, km: number): string {
	return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(km);
}

export function formatDate(locale: Locale, value: Date | string): string {
	const date = typeof value === 'string' ? new Date(value) : value;
	return new Intl.DateTimeFormat(intlLocale(locale), {
		day: 'numeric',
		month: 'long',
		year: 'numeric'
	}).format(date);
}

/**
 * An e-mail address cut where a line may break: before each `@` and `.` ("jean.dupont",
 * "@mairie-simorre", ".fr"), so a narrow column wraps it between its parts (a page puts
 * `<wbr>` between them) rather than mid-word.
 */
export function emailBreakParts(email: string): string[] {
	return email.split(/(?=[@.])/).filter((part) => part !== '');
}
