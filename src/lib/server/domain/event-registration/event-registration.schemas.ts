import * as v from 'valibot';

/** A visitor's registration; a signed-in member or candidate registers with their account's name and email. */
export const registerSchema = v.object({
	name: v.pipe(
		v.optional(v.string('event_registration.name_required'), ''),
		v.trim(),
		v.nonEmpty('event_registration.name_required'),
		v.maxLength(120, 'event_registration.name_too_long')
	),
	email: v.pipe(
		v.optional(v.string('event_registration.email_required'), ''),
		v.trim(),
		v.nonEmpty('event_registration.email_required'),
		v.email('event_registration.invalid_email'),
		v.maxLength(254, 'event_registration.invalid_email'),
		v.toLowerCase()
	)
});
export type RegisterInput = v.InferInput<typeof registerSchema>;

/** Personal links carry 32 random base64url characters. */
export const registrationTokenSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{32}$/));
