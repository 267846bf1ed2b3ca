import * as v from 'valibot';
import { CONNECTION_LEVELS, OFFER_KINDS, OFFER_STATUSES } from '../../db/schema/index.ts';
import { inseeCodeSchema } from '../programme/programme.schemas.ts';

export const offerIdSchema = v.pipe(v.string(), v.regex(/^off_[a-z0-9]+$/, 'offer.not_found'));
const programmeIdSchema = v.pipe(v.string(), v.regex(/^prg_[a-z0-9]+$/, 'programme.not_found'));

/** A date as a Date or an ISO 8601 string (forms and JSON send strings). */
const dateSchema = (code: string) =>
	v.pipe(
		v.union(
			[
				v.date(code),
				v.pipe(
					v.string(code),
					v.transform((text) => new Date(text))
				)
			],
			code
		),
		v.check((date) => !Number.isNaN(date.getTime()), code)
	);
const text = (max: number, code: string) => v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(max, code)));
const amount = (max: number, code: string) =>
	v.nullable(v.pipe(v.number(code), v.integer(code), v.minValue(0, code), v.maxValue(max, code)));

const offerFields = {
	kind: v.picklist(OFFER_KINDS, 'offer.invalid_kind'),
	titleFr: v.pipe(
		v.string(),
		v.trim(),
		v.minLength(3, 'offer.invalid_title'),
		v.maxLength(160, 'offer.invalid_title')
	),
	titleEn: v.optional(text(160, 'offer.invalid_title')),
	descriptionFr: v.optional(text(20_000, 'offer.description_too_long')),
	descriptionEn: v.optional(text(20_000, 'offer.description_too_long')),
	communeCode: inseeCodeSchema,
	villageId: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^vil_[a-z0-9]+$/, 'offer.invalid_owner')))),
	organisationId: v.optional(
		v.nullable(v.pipe(v.string(), v.regex(/^org_[a-z0-9]+$/, 'offer.invalid_owner')))
	),
	/** Whole euros; per month for rents. */
	price: v.optional(amount(100_000_000, 'offer.invalid_price')),
	surfaceM2: v.optional(amount(1_000_000, 'offer.invalid_surface')),
	rooms: v.optional(amount(500, 'offer.invalid_rooms')),
	status: v.optional(v.picklist(OFFER_STATUSES, 'offer.invalid_status')),
	expiresAt: dateSchema('offer.invalid_expiry'),
	contactEmail: v.optional(
		v.nullable(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('offer.invalid_email')))
	),
	contactPhone: v.optional(
		v.nullable(v.pipe(v.string(), v.trim(), v.regex(/^[+0-9 ().-]{6,25}$/, 'offer.invalid_phone')))
	),
	isAnonymised: v.optional(v.boolean()),
	sector: v.optional(text(120, 'offer.invalid_sector')),
	areaLabel: v.optional(text(120, 'offer.invalid_area'))
};

export const createOfferSchema = v.object({
	programmeId: programmeIdSchema,
	...offerFields,
	publishedAt: v.optional(dateSchema('offer.invalid_date')),
	isDemo: v.optional(v.boolean(), false)
});
export type CreateOfferInput = v.InferInput<typeof createOfferSchema>;

export const updateOfferSchema = v.partial(v.object(offerFields));
export type UpdateOfferInput = v.InferInput<typeof updateOfferSchema>;

export const searchOffersSchema = v.object({
	programmeId: programmeIdSchema,
	filters: v.optional(
		v.object({
			kinds: v.optional(v.array(v.picklist(OFFER_KINDS, 'offer.invalid_kind')), []),
			maxPrice: v.optional(v.pipe(v.number(), v.minValue(0, 'offer.invalid_price'))),
			minSurface: v.optional(v.pipe(v.number(), v.minValue(0, 'offer.invalid_surface'))),
			communeCode: v.optional(inseeCodeSchema),
			villageId: v.optional(v.pipe(v.string(), v.regex(/^vil_[a-z0-9]+$/, 'village.not_found'))),
			maxDistanceToMetropoleKm: v.optional(v.pipe(v.number(), v.minValue(0, 'village.invalid_distance'))),
			minConnectionLevel: v.optional(v.picklist(CONNECTION_LEVELS, 'connectivity.invalid_level'))
		}),
		{}
	),
	locale: v.optional(v.picklist(['fr', 'en'], 'offer.invalid_locale'), 'fr'),
	/** Only offers whose details are public (no anonymised takeover): what a teaser shows. */
	withDetailsOnly: v.optional(v.boolean(), false),
	/** At most this many, newest first (a teaser): read by the database, not cut after. */
	limit: v.optional(
		v.pipe(
			v.number(),
			v.integer(),
			v.minValue(1, 'offer.invalid_limit'),
			v.maxValue(100, 'offer.invalid_limit')
		)
	)
});
export type SearchOffersInput = v.InferInput<typeof searchOffersSchema>;

export const findOffersExpiringSoonSchema = v.object({
	programmeId: programmeIdSchema,
	withinDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365)), 7)
});
