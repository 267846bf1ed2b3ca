import * as v from 'valibot';
import { FIELD_VISIBILITIES, PROFILE_FIELDS } from '../../db/schema/index.ts';
import { languageCode, normaliseWebsite, splitSkills } from './member.rules.ts';

/*
 * Form-friendly schemas: lists may arrive as one typed field ("nl, en"), checkboxes as
 * 'on' or missing. Every message is a `member.*` error code shown next to its field.
 */

export const memberProfileIdSchema = v.pipe(v.string(), v.regex(/^mbr_[a-z0-9]{8,64}$/, 'member.not_found'));
export const caseIdSchema = v.pipe(v.string(), v.regex(/^cas_[a-z0-9]{8,64}$/, 'member.not_found'));

const checkbox = v.pipe(
	v.optional(v.union([v.boolean(), v.string()]), false),
	v.transform((value) => value === true || ['on', 'true', '1', 'yes'].includes(String(value).toLowerCase()))
);

const emptyToUndefined = (value: unknown) =>
	typeof value === 'string' && value.trim() === '' ? undefined : value;

const blankable = <TSchema extends v.GenericSchema>(schema: TSchema) =>
	v.optional(v.pipe(v.unknown(), v.transform(emptyToUndefined), v.optional(schema)));

const optionalText = (max: number, code: string) =>
	blankable(v.pipe(v.string(code), v.trim(), v.maxLength(max, code)));

/** Languages as a list or typed in one field, as codes or names: "nl, anglais" → ['nl', 'en']. */
export const languagesField = (code: string) =>
	v.pipe(
		v.optional(v.union([v.array(v.string(code)), v.string(code)], code), []),
		v.transform((value) =>
			(Array.isArray(value) ? value : value.split(/[,;]+|\s+/))
				.map((item) => item.trim())
				.filter(Boolean)
				.map((item) => languageCode(item) ?? `?${item}`)
		),
		v.check((codes) => codes.every((item) => !item.startsWith('?')), code),
		v.transform((codes) => [...new Set(codes)]),
		v.maxLength(12, code)
	);

const communeCodeField = blankable(
	v.pipe(
		v.string('member.unknown_commune'),
		v.trim(),
		v.regex(/^[0-9][0-9AB][0-9]{3}$/, 'member.unknown_commune')
	)
);

/** Typed as a string by forms; only the known levels pass. */
const visibilityField = v.pipe(
	v.string('member.invalid_visibility'),
	v.picklist(FIELD_VISIBILITIES, 'member.invalid_visibility')
);

export const visibilitySchema = v.object(
	Object.fromEntries(PROFILE_FIELDS.map((field) => [field, v.optional(visibilityField)])) as Record<
		(typeof PROFILE_FIELDS)[number],
		v.OptionalSchema<typeof visibilityField, undefined>
	>
);

export const inviteMemberSchema = v.object({ caseId: caseIdSchema });
export type InviteMemberInput = v.InferInput<typeof inviteMemberSchema>;

/** What a member edits in their space. */
export const updateProfileSchema = v.object({
	displayName: v.pipe(
		v.optional(v.string('member.display_name_required'), ''),
		v.trim(),
		v.nonEmpty('member.display_name_required'),
		v.maxLength(120, 'member.display_name_too_long')
	),
	headline: optionalText(160, 'member.headline_too_long'),
	skills: v.pipe(
		v.optional(v.union([v.array(v.string()), v.string()], 'member.skills_too_long'), []),
		v.transform((value) => splitSkills(value)),
		v.maxLength(30, 'member.skills_too_long'),
		v.check((skills) => skills.every((skill) => skill.length <= 60), 'member.skills_too_long')
	),
	services: optionalText(4000, 'member.services_too_long'),
	story: optionalText(3000, 'member.story_too_long'),
	languages: languagesField('member.invalid_language'),
	communeCode: communeCodeField,
	website: blankable(
		v.pipe(
			v.string('member.invalid_website'),
			v.maxLength(300, 'member.invalid_website'),
			v.transform((value) => normaliseWebsite(value)),
			v.string('member.invalid_website')
		)
	),
	isListed: checkbox,
	visibility: v.optional(visibilitySchema, {})
});
export type UpdateProfileInput = v.InferInput<typeof updateProfileSchema>;
export type UpdateProfileData = v.InferOutput<typeof updateProfileSchema>;

/** The ambassador offer, edited in the member space. */
export const updateAmbassadorSchema = v.object({
	isAmbassador: checkbox,
	ambassadorAvailability: optionalText(500, 'member.availability_too_long'),
	ambassadorLanguages: languagesField('member.invalid_language')
});
export type UpdateAmbassadorInput = v.InferInput<typeof updateAmbassadorSchema>;

const radius = v.pipe(
	v.union(
		[v.number(), v.pipe(v.string(), v.trim(), v.regex(/^\d+$/), v.transform(Number))],
		'member.invalid_radius'
	),
	v.integer('member.invalid_radius'),
	v.minValue(1, 'member.invalid_radius'),
	v.maxValue(200, 'member.invalid_radius')
);

/** The directory's search form: free text, a language, a commune and "near a commune". */
export const directorySearchSchema = v.object({
	q: v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(200, 'member.query_too_long')),
	language: blankable(
		v.pipe(
			v.string('member.invalid_language'),
			v.transform((value) => languageCode(value) ?? ''),
			v.regex(/^[a-z]{2,3}$/, 'member.invalid_language')
		)
	),
	commune: communeCodeField,
	near: communeCodeField,
	radiusKm: blankable(radius),
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200)), 60)
});
export type DirectorySearchInput = v.InferInput<typeof directorySearchSchema>;
export type DirectorySearchData = v.InferOutput<typeof directorySearchSchema>;
