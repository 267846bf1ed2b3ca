/**
 * Reading the portal's GET filters from the query string: every form works without
 * JavaScript, so the URL is the only state. Unknown values are ignored, never an error;
 * numbers typed by hand are checked and reported next to their field.
 */

export const LEVEL_OPTIONS = ['gbit', '100', '30', '8'] as const;
export type LevelOption = (typeof LEVEL_OPTIONS)[number];
/** Choices of the "maximum distance to the metropole" selects, in km. */
export const DISTANCE_OPTIONS = [30, 45, 60, 80, 100] as const;

export function pickOne<T extends string>(
	params: URLSearchParams,
	name: string,
	allowed: readonly T[]
): T | undefined {
	const value = params.get(name);
	return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

export function pickMany<T extends string>(
	params: URLSearchParams,
	name: string,
	allowed: readonly T[]
): T[] {
	return [...new Set(params.getAll(name))].filter((value): value is T =>
		(allowed as readonly string[]).includes(value)
	);
}

/**
 * A maximum distance in whole km (1–1000): the select offers DISTANCE_OPTIONS, but a shared
 * link may carry any value (`?km=40`), which is applied and shown as selected.
 */
export function pickDistance(params: URLSearchParams, name = 'km'): number | undefined {
	const raw = (params.get(name) ?? '').trim();
	if (!/^\d{1,4}$/.test(raw)) return undefined;
	const value = Number(raw);
	return value >= 1 && value <= 1000 ? value : undefined;
}

/** The choices of the distance select: the usual ones and the one in the URL. */
export function distanceChoices(selected: number | undefined): number[] {
	return [...new Set([...DISTANCE_OPTIONS, ...(selected === undefined ? [] : [selected])])].sort(
		(a, b) => a - b
	);
}

/**
 * Whether a distance filter can work, and what it would leave out: with no known position
 * (no commune outline imported, or no metropole position) every distance is unknown and the
 * filter is withheld rather than returning a silently empty list.
 */
export function distanceAvailability(items: { distanceToMetropoleKm: number | null }[]): {
	isAvailable: boolean;
	unlocated: number;
} {
	const unlocated = items.filter((item) => item.distanceToMetropoleKm === null).length;
	return { isAvailable: items.length > unlocated, unlocated };
}

/**
 * A whole number typed in a field: `value` when valid, `error` when something was typed
 * that is not a positive whole number ("900 €" is accepted as 900, "abc" is not).
 */
export function readWholeNumber(
	params: URLSearchParams,
	name: string
): { raw: string; value?: number; isInvalid: boolean } {
	const raw = (params.get(name) ?? '').trim();
	if (raw === '') return { raw, isInvalid: false };
	const cleaned = raw.replace(/[\s\u00a0\u202f€]|m²|m2/gi, '');
	if (!/^\d{1,9}$/.test(cleaned)) return { raw, isInvalid: true };
	return { raw, value: Number(cleaned), isInvalid: false };
}

export function readSearch(params: URLSearchParams, name = 'q'): string {
	return (params.get(name) ?? '').trim().slice(0, 100);
}
