import * as v from 'valibot';

export const caseIdSchema = v.pipe(v.string(), v.regex(/^cas_[a-z0-9]{8,64}$/, 'ambassador.not_found'));
export const profileIdSchema = v.pipe(v.string(), v.regex(/^mbr_[a-z0-9]{8,64}$/, 'ambassador.not_found'));
export const pairingIdSchema = v.pipe(
	v.string(),
	v.regex(/^amb_[a-z0-9]{8,64}$/, 'ambassador.pairing_not_found')
);

const emptyToUndefined = (value: unknown) =>
	typeof value === 'string' && value.trim() === '' ? undefined : value;
const optionalNote = v.optional(
	v.pipe(
		v.unknown(),
		v.transform(emptyToUndefined),
		v.optional(
			v.pipe(v.string('ambassador.note_too_long'), v.trim(), v.maxLength(2000, 'ambassador.note_too_long'))
		)
	)
);

export const pairAmbassadorSchema = v.object({
	caseId: caseIdSchema,
	ambassadorProfileId: profileIdSchema,
	note: optionalNote,
	/** Active straight away (the ambassador already agreed) or only proposed. */
	status: v.optional(v.picklist(['proposed', 'active'], 'ambassador.invalid_status'), 'active')
});
export type PairAmbassadorInput = v.InferInput<typeof pairAmbassadorSchema>;

export const endPairingSchema = v.object({ pairingId: pairingIdSchema, note: optionalNote });
export type EndPairingInput = v.InferInput<typeof endPairingSchema>;
