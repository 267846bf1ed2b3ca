import * as v from 'valibot';

export const programmeSlugSchema = v.pipe(
	v.string(),
	v.trim(),
	v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'programme.invalid_slug'),
	v.maxLength(60, 'programme.invalid_slug')
);

export const departementCodeSchema = v.pipe(
	v.string(),
	v.trim(),
	v.regex(/^(\d{2}|2A|2B|97\d)$/, 'territory.invalid_departement')
);
export const inseeCodeSchema = v.pipe(
	v.string(),
	v.trim(),
	v.regex(/^(\d{5}|2[AB]\d{3})$/, 'territory.invalid_insee_code')
);

export const createProgrammeSchema = v.object({
	slug: programmeSlugSchema,
	name: v.pipe(
		v.string(),
		v.trim(),
		v.minLength(2, 'programme.invalid_name'),
		v.maxLength(120, 'programme.invalid_name')
	),
	departements: v.pipe(v.array(departementCodeSchema), v.minLength(1, 'territory.invalid_departement')),
	metropoleCode: v.optional(inseeCodeSchema),
	isDemo: v.optional(v.boolean(), false)
});
export type CreateProgrammeInput = v.InferInput<typeof createProgrammeSchema>;
