import * as v from 'valibot';
import { COMMITTEE_ROLES, CONNECTION_LEVELS, VILLAGE_STATUSES } from '../../db/schema/index.ts';
import { inseeCodeSchema } from '../programme/programme.schemas.ts';

export const villageIdSchema = v.pipe(v.string(), v.regex(/^vil_[a-z0-9]+$/, 'village.not_found'));
export const programmeIdSchema = v.pipe(v.string(), v.regex(/^prg_[a-z0-9]+$/, 'programme.not_found'));
export const userIdSchema = v.pipe(
	v.string(),
	v.regex(/^usr_[a-z0-9]+$/, 'village.invalid_committee_member')
);

export const villageSlugSchema = v.pipe(
	v.string(),
	v.trim(),
	v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'village.invalid_slug'),
	v.maxLength(80, 'village.invalid_slug')
);

/** Markdown presentation; long enough for a page, short enough to stay a presentation. */
const markdownSchema = v.nullable(
	v.pipe(v.string(), v.trim(), v.maxLength(20_000, 'village.presentation_too_long'))
);

const optionalFlag = v.optional(v.boolean());

export const villageServicesSchema = v.object({
	schools: v.optional(v.object({ primary: optionalFlag, middle: optionalFlag, high: optionalFlag })),
	health: v.optional(v.object({ doctor: optionalFlag, pharmacy: optionalFlag, nursing: optionalFlag })),
	childcare: v.optional(
		v.object({
			creche: v.optional(v.boolean('village.invalid_childcare')),
			childminders: v.optional(v.boolean('village.invalid_childcare'))
		})
	),
	shops: v.optional(
		v.pipe(
			v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80, 'village.invalid_services'))),
			v.maxLength(50, 'village.invalid_services')
		)
	),
	station: optionalFlag,
	bus: optionalFlag,
	stationDistanceKm: v.optional(
		v.nullable(
			v.pipe(
				v.number(),
				v.minValue(0, 'village.invalid_services'),
				v.maxValue(500, 'village.invalid_services')
			)
		)
	)
});

export const committeeContactSchema = v.nullable(
	v.object({
		name: v.pipe(
			v.string(),
			v.trim(),
			v.minLength(1, 'village.invalid_contact'),
			v.maxLength(120, 'village.invalid_contact')
		),
		email: v.optional(
			v.nullable(
				v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('village.invalid_contact'), v.maxLength(254))
			)
		),
		phone: v.optional(
			v.nullable(v.pipe(v.string(), v.trim(), v.regex(/^[+0-9 ().-]{6,25}$/, 'village.invalid_contact')))
		)
	})
);

export const createVillageSchema = v.object({
	programmeId: programmeIdSchema,
	communeCode: inseeCodeSchema,
	/** Defaults to the commune's name in URL form (L'Isle-Jourdain → l-isle-jourdain). */
	slug: v.optional(villageSlugSchema),
	status: v.optional(v.picklist(VILLAGE_STATUSES, 'village.invalid_status'), 'partner'),
	joinedOn: v.optional(v.nullable(v.pipe(v.string(), v.isoDate('village.invalid_date')))),
	presentationFr: v.optional(markdownSchema),
	presentationEn: v.optional(markdownSchema),
	services: v.optional(villageServicesSchema, {}),
	committeeContact: v.optional(committeeContactSchema),
	isDemo: v.optional(v.boolean(), false)
});
export type CreateVillageInput = v.InferInput<typeof createVillageSchema>;

/** What may change on a village; committee members may change everything but status and dates. */
export const updateVillageSchema = v.object({
	presentationFr: v.optional(markdownSchema),
	presentationEn: v.optional(markdownSchema),
	services: v.optional(villageServicesSchema),
	committeeContact: v.optional(committeeContactSchema),
	status: v.optional(v.picklist(VILLAGE_STATUSES, 'village.invalid_status')),
	joinedOn: v.optional(v.nullable(v.pipe(v.string(), v.isoDate('village.invalid_date'))))
});
export type UpdateVillageInput = v.InferInput<typeof updateVillageSchema>;

export const VILLAGE_SERVICE_FILTERS = [
	'primary_school',
	'middle_school',
	'high_school',
	'doctor',
	'pharmacy',
	'nursing',
	'shops',
	'station',
	'bus'
] as const;
/** A service a candidate may require of a village ("a doctor", "a primary school"…). */
export type VillageServiceFilter = (typeof VILLAGE_SERVICE_FILTERS)[number];

export const localeSchema = v.optional(v.picklist(['fr', 'en'], 'village.invalid_locale'), 'fr');

export const listPublicVillagesSchema = v.object({
	programmeId: programmeIdSchema,
	filters: v.optional(
		v.object({
			/** Only villages with a welcome committee (status 'partner'); true by default. */
			isPartnerOnly: v.optional(v.boolean(), true),
			/** Effective levels accepted (any of them); empty: no filter. */
			connectionLevels: v.optional(v.array(v.picklist(CONNECTION_LEVELS, 'connectivity.invalid_level')), []),
			maxDistanceToMetropoleKm: v.optional(v.pipe(v.number(), v.minValue(0, 'village.invalid_distance'))),
			/** Only villages with at least one public offer. */
			hasOffers: v.optional(v.boolean(), false),
			service: v.optional(v.picklist(VILLAGE_SERVICE_FILTERS, 'village.invalid_service')),
			/** Part of the name, accents and case ignored. */
			search: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100)))
		}),
		{}
	),
	locale: localeSchema,
	/** By name (the lists), or with the most public offers first (a teaser: where a newcomer can move soonest). */
	order: v.optional(v.picklist(['name', 'most_offers'], 'village.invalid_order'), 'name'),
	/** At most this many, after filtering and ordering. */
	limit: v.optional(
		v.pipe(
			v.number(),
			v.integer(),
			v.minValue(1, 'village.invalid_limit'),
			v.maxValue(500, 'village.invalid_limit')
		)
	)
});
export type ListPublicVillagesInput = v.InferInput<typeof listPublicVillagesSchema>;

export const addCommitteeMemberSchema = v.object({
	villageId: villageIdSchema,
	userId: userIdSchema,
	committeeRole: v.optional(v.picklist(COMMITTEE_ROLES, 'village.invalid_committee_role'), 'councillor'),
	isContact: v.optional(v.boolean(), false)
});
export type AddCommitteeMemberInput = v.InferInput<typeof addCommitteeMemberSchema>;

export const metropolePositionSchema = v.object({
	lat: v.pipe(
		v.number(),
		v.minValue(-90, 'village.invalid_position'),
		v.maxValue(90, 'village.invalid_position')
	),
	lon: v.pipe(
		v.number(),
		v.minValue(-180, 'village.invalid_position'),
		v.maxValue(180, 'village.invalid_position')
	)
});
