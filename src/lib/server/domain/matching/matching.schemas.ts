import * as v from 'valibot';
import {
	CHILD_SCHOOLINGS,
	HOUSING_TENURES,
	HOUSING_TYPES,
	MATCHING_CONNECTION_LEVELS,
	MATCHING_CRITERIA,
	VILLAGE_PREFERENCES,
	type MatchingCriterion
} from '../../../domain/matching/matching.ts';

/** Oldest age a child of the questionnaire may have: beyond it they are an adult of the household. */
export const MAX_CHILD_AGE = 25;
/** Farthest limit a distance field accepts, in km (mainland France is about 1,000 km across). */
export const MAX_DISTANCE_KM = 1000;

const empty = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A whole number from a form field or a number; empty → null. Codes name the field's problem. */
const wholeOrNull = ({
	min,
	max,
	code,
	minCode = code
}: {
	min: number;
	max: number;
	code: string;
	minCode?: string;
}) =>
	// Optional: a service caller may leave a field out; a form sends it empty. Both mean "not said".
	v.optional(
		v.pipe(
			v.unknown(),
			v.transform((value) =>
				empty(value)
					? null
					: typeof value === 'number'
						? value
						: Number(String(value).trim().replace(/\s/g, ''))
			),
			v.nullable(v.pipe(v.number(code), v.integer(code), v.minValue(min, minCode), v.maxValue(max, code)))
		),
		''
	);

const distance = wholeOrNull({
	min: 0,
	max: MAX_DISTANCE_KM,
	code: 'matching.distance_invalid',
	minCode: 'matching.distance_negative'
});
const budget = wholeOrNull({
	min: 1,
	max: 100_000_000,
	code: 'matching.budget_invalid',
	minCode: 'matching.budget_zero'
});

const checkbox = v.optional(
	v.pipe(
		v.unknown(),
		v.transform((value) => value === true || value === 'on' || value === 'true')
	),
	''
);

const picklistOrNull = <T extends readonly string[]>(options: T, code: string) =>
	v.optional(
		v.pipe(
			v.unknown(),
			v.transform((value) => (empty(value) ? null : value)),
			v.nullable(v.picklist(options, code))
		),
		''
	);

export const needsChildSchema = v.object({
	age: v.pipe(
		v.unknown(),
		v.transform((value) => (empty(value) ? NaN : Number(value))),
		v.number('matching.child_age_invalid'),
		v.integer('matching.child_age_invalid'),
		v.minValue(0, 'matching.child_age_invalid'),
		v.maxValue(MAX_CHILD_AGE, 'matching.child_age_too_old')
	),
	schooling: v.picklist(CHILD_SCHOOLINGS, 'matching.child_schooling_invalid')
});

/** The needs questionnaire, as the candidate's and the advisor's forms post it. */
export const needsSchema = v.pipe(
	v.object({
		housingTenure: picklistOrNull(HOUSING_TENURES, 'matching.housing_tenure_invalid'),
		budgetMin: budget,
		budgetMax: budget,
		housingType: v.optional(
			v.pipe(
				v.unknown(),
				v.transform((value) => (empty(value) ? 'any' : value)),
				v.picklist(HOUSING_TYPES, 'matching.housing_type_invalid')
			),
			''
		),
		minRooms: wholeOrNull({ min: 1, max: 20, code: 'matching.rooms_invalid' }),
		minSurfaceM2: wholeOrNull({ min: 1, max: 2000, code: 'matching.surface_invalid' }),
		minConnection: picklistOrNull(MATCHING_CONNECTION_LEVELS, 'matching.connection_invalid'),
		children: v.optional(
			v.pipe(v.array(needsChildSchema), v.maxLength(12, 'matching.too_many_children')),
			[]
		),
		maxSchoolKm: wholeOrNull({
			min: 1,
			max: 100,
			code: 'matching.distance_invalid',
			minCode: 'matching.distance_negative'
		}),
		needsChildcare: checkbox,
		isPartnerSeekingJob: checkbox,
		partnerJobSector: v.pipe(
			v.optional(v.nullable(v.string()), null),
			v.transform((value) => (value?.trim() ? value.trim() : null)),
			v.nullable(v.pipe(v.string(), v.maxLength(200, 'matching.text_too_long')))
		),
		maxStationKm: distance,
		maxAirportKm: distance,
		maxMetropoleKm: distance,
		wantsCoworking: checkbox,
		villagePreference: v.optional(
			v.pipe(
				v.unknown(),
				v.transform((value) => (empty(value) ? 'prefer_partner' : value)),
				v.picklist(VILLAGE_PREFERENCES, 'matching.village_preference_invalid')
			),
			''
		),
		languages: v.optional(
			v.pipe(
				v.array(
					v.pipe(v.string(), v.trim(), v.toLowerCase(), v.regex(/^[a-z]{2}$/, 'matching.language_invalid'))
				),
				v.maxLength(10, 'matching.language_invalid')
			),
			[]
		)
	}),
	v.forward(
		v.partialCheck(
			[['budgetMin'], ['budgetMax']],
			(input) => input.budgetMin === null || input.budgetMax === null || input.budgetMin <= input.budgetMax,
			'matching.budget_min_above_max'
		),
		['budgetMax']
	),
	v.forward(
		v.partialCheck(
			[['housingTenure'], ['budgetMin'], ['budgetMax']],
			(input) => input.housingTenure !== null || (input.budgetMin === null && input.budgetMax === null),
			'matching.budget_without_tenure'
		),
		['housingTenure']
	)
);
export type NeedsInput = v.InferInput<typeof needsSchema>;
export type Needs = v.InferOutput<typeof needsSchema>;

/** Weights of the matching criteria: whole numbers 0–10 per criterion. */
export const matchingWeightsSchema = v.object(
	Object.fromEntries(
		MATCHING_CRITERIA.map((criterion) => [
			criterion,
			v.pipe(
				v.unknown(),
				v.transform((value) => (empty(value) ? NaN : Number(value))),
				v.number('matching.weight_invalid'),
				v.integer('matching.weight_invalid'),
				v.minValue(0, 'matching.weight_invalid'),
				v.maxValue(10, 'matching.weight_invalid')
			)
		])
	) as unknown as Record<MatchingCriterion, v.GenericSchema<unknown, number>>
);

export const villageIdSchema = v.pipe(v.string(), v.regex(/^vil_[a-z0-9]+$/, 'matching.village_not_found'));

/** Blank child lines a form offers beyond the children already entered (no script needed to add one). */
export const BLANK_CHILD_LINES = 2;

/**
 * The questionnaire's input from a posted form: fields by their schema name, children as
 * `childAge` / `childSchooling` pairs (a line without an age is skipped), languages as ticked
 * boxes (`languages`, one code each) plus other codes typed in `languagesOther`, separated by
 * commas or spaces.
 */
export function needsInputFromForm(data: FormData): Record<string, unknown> {
	const text = (name: string) => {
		const value = data.get(name);
		return typeof value === 'string' ? value : '';
	};
	const ages = data.getAll('childAge').map(String);
	const schoolings = data.getAll('childSchooling').map(String);
	const children = ages
		.map((age, i) => ({ age, schooling: schoolings[i] ?? '' }))
		.filter((child) => child.age.trim() !== '');
	return {
		housingTenure: text('housingTenure'),
		budgetMin: text('budgetMin'),
		budgetMax: text('budgetMax'),
		housingType: text('housingType'),
		minRooms: text('minRooms'),
		minSurfaceM2: text('minSurfaceM2'),
		minConnection: text('minConnection'),
		children,
		maxSchoolKm: text('maxSchoolKm'),
		needsChildcare: text('needsChildcare'),
		isPartnerSeekingJob: text('isPartnerSeekingJob'),
		partnerJobSector: text('partnerJobSector'),
		maxStationKm: text('maxStationKm'),
		maxAirportKm: text('maxAirportKm'),
		maxMetropoleKm: text('maxMetropoleKm'),
		wantsCoworking: text('wantsCoworking'),
		villagePreference: text('villagePreference'),
		languages: [
			...new Set(
				[...data.getAll('languages'), text('languagesOther')]
					.map(String)
					.flatMap((value) => value.split(/[\s,;]+/))
					.filter(Boolean)
			)
		]
	};
}
