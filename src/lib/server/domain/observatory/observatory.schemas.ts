import * as v from 'valibot';
import { CASE_SOURCES, PERSON_STATUSES } from '../../db/schema/index.ts';

const year = (code: string) =>
	v.optional(
		v.pipe(
			v.union([v.string(), v.number()], code),
			v.transform((value) => (typeof value === 'string' ? value.trim() : String(value))),
			v.regex(/^\d{4}$/, code),
			v.transform(Number),
			v.minValue(1990, code),
			v.maxValue(2100, code)
		)
	);

const optionalText = (code: string, pattern: RegExp) =>
	v.optional(v.pipe(v.string(code), v.trim(), v.maxLength(80, code), v.regex(pattern, code)));

/**
 * The filters every page, export, API call and the CLI accept. Empty values mean "all".
 * - `from`/`to`: the period, in calendar years; an event (contact, installation, departure…) counts
 *   when its date falls in it. Default: from the first recorded contact to the current year.
 * - `cohort`: only households installed that year (durability curves compare cohorts).
 * - `status`, `sector`: of the household's candidate (the person who applied).
 * - `commune`: the commune of installation (a partner village or any commune), INSEE code.
 * - `source`: how the household first reached the programme.
 */
export const observatoryFiltersSchema = v.pipe(
	v.object({
		from: year('observatory.invalid_from'),
		to: year('observatory.invalid_to'),
		cohort: year('observatory.invalid_cohort'),
		status: v.optional(v.picklist(PERSON_STATUSES, 'observatory.invalid_status')),
		// A key of the sectors' vocabulary (`personal_services`), or a text stored before it.
		sector: optionalText('observatory.invalid_sector', /^[\p{L}\p{N} _,'’&()/-]+$/u),
		commune: optionalText('observatory.invalid_commune', /^[0-9][0-9AB][0-9]{3}$/),
		source: v.optional(v.picklist(CASE_SOURCES, 'observatory.invalid_source'))
	}),
	v.check(
		(filters) => filters.from === undefined || filters.to === undefined || filters.from <= filters.to,
		'observatory.invalid_period'
	)
);

export type ObservatoryFiltersInput = v.InferInput<typeof observatoryFiltersSchema>;
export type ObservatoryFilters = v.InferOutput<typeof observatoryFiltersSchema>;

/** The filter names, in the order of the form and of query strings. */
export const OBSERVATORY_FILTER_KEYS = [
	'from',
	'to',
	'cohort',
	'status',
	'sector',
	'commune',
	'source'
] as const;
export type ObservatoryFilterKey = (typeof OBSERVATORY_FILTER_KEYS)[number];

/**
 * Reads the filters from a query string (pages, API, report). Blank values are dropped; the
 * values are validated by `observatoryFiltersSchema` in the service.
 */
export function filtersFromSearchParams(params: URLSearchParams): ObservatoryFiltersInput {
	const input: Record<string, string> = {};
	for (const key of OBSERVATORY_FILTER_KEYS) {
		const value = params.get(key)?.trim();
		if (value) input[key] = value;
	}
	return input as ObservatoryFiltersInput;
}

/** The query string of a set of filters (links between pages keep the filters). */
export function filtersToSearchParams(
	filters: ObservatoryFiltersInput | ObservatoryFilters
): URLSearchParams {
	const params = new URLSearchParams();
	for (const key of OBSERVATORY_FILTER_KEYS) {
		const value = filters[key];
		if (value !== undefined && value !== null && String(value) !== '') params.set(key, String(value));
	}
	return params;
}
