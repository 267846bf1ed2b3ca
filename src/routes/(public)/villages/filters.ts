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

export function pickDistance(params: URLSearchParams, name = 'km'): number | undefined {
	const value = Number(params.get(name));
	return (DISTANCE_OPTIONS as readonly number[]).includes(value) ? value : undefined;
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
