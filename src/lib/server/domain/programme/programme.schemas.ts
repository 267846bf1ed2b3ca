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

const programmeNameSchema = v.pipe(
	v.string(),
	v.trim(),
	v.minLength(2, 'programme.invalid_name'),
	v.maxLength(120, 'programme.invalid_name')
);
const shortNameSchema = v.pipe(
	v.string(),
	v.trim(),
	v.minLength(1, 'programme.invalid_short_name'),
	v.maxLength(40, 'programme.invalid_short_name')
);
const contactEmailSchema = v.pipe(
	v.string(),
	v.trim(),
	v.toLowerCase(),
	v.email('programme.invalid_contact_email'),
	v.maxLength(254, 'programme.invalid_contact_email')
);
/** Languages the programme's site speaks: the locales soho has messages for. */
export const PROGRAMME_LANGUAGES = ['fr', 'en'] as const;
const languagesSchema = v.pipe(
	v.array(
		// Typed as any text (forms and the command line send strings); only the known locales pass.
		v.pipe(
			v.string('programme.invalid_languages'),
			v.picklist(PROGRAMME_LANGUAGES, 'programme.invalid_languages')
		),
		'programme.invalid_languages'
	),
	v.minLength(1, 'programme.invalid_languages'),
	v.transform((languages) => [...new Set(languages)])
);
/** A département code as typed: trimmed and upper-cased (2a → 2A); the COG decides whether it exists. */
const departementInputSchema = v.pipe(v.string(), v.trim(), v.toUpperCase(), departementCodeSchema);

export const createProgrammeSchema = v.object({
	slug: programmeSlugSchema,
	name: programmeNameSchema,
	shortName: v.optional(shortNameSchema),
	contactEmail: v.optional(contactEmailSchema),
	departements: v.pipe(v.array(departementInputSchema), v.minLength(1, 'territory.invalid_departement')),
	/** A current French commune of the COG; it may lie outside the territory (Toulouse for the Gers). */
	metropoleCode: v.optional(inseeCodeSchema),
	languages: v.optional(languagesSchema, ['fr', 'en']),
	isDemo: v.optional(v.boolean(), false),
	/** Takes part in the national portal from the start (the demo programme does). */
	isInNationalPortal: v.optional(v.boolean(), false)
});
export type CreateProgrammeInput = v.InferInput<typeof createProgrammeSchema>;

/** "43.6045,1.4442" (latitude, longitude in degrees WGS84) → { lat, lon }. */
export const positionSchema = v.pipe(
	v.string('programme.invalid_position'),
	v.trim(),
	v.regex(/^-?\d+(\.\d+)?\s*[,;\s]\s*-?\d+(\.\d+)?$/, 'programme.invalid_position'),
	v.transform((value) => {
		const [lat, lon] = value.split(/\s*[,;\s]\s*/).map(Number);
		return { lat, lon };
	}),
	v.check(({ lat, lon }) => Math.abs(lat) <= 90 && Math.abs(lon) <= 180, 'programme.invalid_position')
);

/**
 * Changes to a programme's identity, one or more at a time. `addDepartement` adds a
 * département to the territory (and imports its communes); `metropolePosition` sets the
 * metropole's centroid when the commune is not imported (a metropole outside the territory).
 */
export const updateProgrammeSchema = v.object({
	name: v.optional(programmeNameSchema),
	/** Empty clears it. */
	shortName: v.optional(v.union([v.literal(''), shortNameSchema], 'programme.invalid_short_name')),
	contactEmail: v.optional(v.union([v.literal(''), contactEmailSchema], 'programme.invalid_contact_email')),
	metropoleCode: v.optional(inseeCodeSchema),
	languages: v.optional(languagesSchema),
	addDepartement: v.optional(departementInputSchema),
	metropolePosition: v.optional(positionSchema)
});
export type UpdateProgrammeInput = v.InferInput<typeof updateProgrammeSchema>;

/** Suspending a programme (instance admin or operator): which one (slug or id) and why. */
export const suspendProgrammeSchema = v.object({
	programme: v.pipe(v.string('programme.not_found'), v.trim(), v.minLength(1, 'programme.not_found')),
	reason: v.pipe(
		v.string('programme.invalid_suspension_reason'),
		v.trim(),
		v.minLength(3, 'programme.invalid_suspension_reason'),
		v.maxLength(500, 'programme.invalid_suspension_reason')
	)
});
export type SuspendProgrammeInput = v.InferInput<typeof suspendProgrammeSchema>;
/**
 * A host name as typed (`Gers.Example.org.`): trimmed, lower-cased, without the trailing dot;
 * labels of letters, digits and inner hyphens (punycode for accented names), no scheme, no
 * port, no path. `a.localhost` passes (development and tests).
 */
export const hostNameSchema = v.pipe(
	v.string('programme.invalid_host'),
	v.trim(),
	v.toLowerCase(),
	v.transform((host) => host.replace(/\.$/, '')),
	v.maxLength(253, 'programme.invalid_host'),
	v.regex(
		/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
		'programme.invalid_host'
	)
);

export const addProgrammeHostSchema = v.object({
	host: hostNameSchema,
	/** Checkbox or flag: the host becomes the programme's primary one (its absolute links). */
	isPrimary: v.optional(
		v.union([
			v.boolean(),
			v.pipe(
				v.literal('on'),
				v.transform(() => true)
			)
		]),
		false
	)
});
export type AddProgrammeHostInput = v.InferInput<typeof addProgrammeHostSchema>;

export const programmeHostSchema = v.object({ host: hostNameSchema });
export type ProgrammeHostInput = v.InferInput<typeof programmeHostSchema>;
