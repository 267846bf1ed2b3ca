import * as v from 'valibot';
import { PORTAL_QUERY_MAX_LENGTH } from '../portal/portal.schemas.ts';

/** What the national portal searches: one kind of published, public content each. */
export const NATIONAL_KINDS = ['village', 'workspace', 'offer', 'event'] as const;
export type NationalKind = (typeof NATIONAL_KINDS)[number];

/** Results per page of the national search. */
export const NATIONAL_PAGE_SIZE = 20;
export const NATIONAL_MAX_PAGE_SIZE = 50;

export const searchNationalSchema = v.object({
	/** Words to find (all of them); empty: everything the filters select. */
	q: v.optional(
		v.pipe(
			v.string(),
			v.transform((text) => text.slice(0, PORTAL_QUERY_MAX_LENGTH))
		),
		''
	),
	/** Kinds to show; empty or missing: all four. */
	kinds: v.optional(v.array(v.picklist(NATIONAL_KINDS, 'national.invalid_kind')), []),
	/** One participating programme, by slug; empty: all. */
	programme: v.optional(
		v.pipe(
			v.string('national.invalid_programme'),
			v.trim(),
			v.regex(/^[a-z0-9-]{0,60}$/, 'national.invalid_programme')
		),
		''
	),
	/** One région, by COG code ("76" Occitanie); empty: all. */
	region: v.optional(
		v.pipe(v.string('national.invalid_region'), v.trim(), v.regex(/^(\d{2})?$/, 'national.invalid_region')),
		''
	),
	page: v.optional(
		v.pipe(
			v.number('national.invalid_page'),
			v.integer('national.invalid_page'),
			v.minValue(1, 'national.invalid_page'),
			v.maxValue(10_000, 'national.invalid_page')
		),
		1
	),
	limit: v.optional(
		v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(NATIONAL_MAX_PAGE_SIZE)),
		NATIONAL_PAGE_SIZE
	),
	locale: v.optional(v.picklist(['fr', 'en'], 'portal.invalid_locale'), 'fr')
});
export type SearchNationalInput = v.InferInput<typeof searchNationalSchema>;
