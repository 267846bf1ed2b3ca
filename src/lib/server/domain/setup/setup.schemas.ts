import * as v from 'valibot';
import { emailSchema, passwordSchema } from '../account/account.schemas.ts';

/** The code as typed: spaces and dashes ignored, case ignored (`ABCD-EFGH-…`). */
export const setupCodeSchema = v.pipe(
	v.string('setup.invalid_code'),
	v.transform((value) => value.replace(/[\s-]+/g, '').toUpperCase()),
	v.minLength(1, 'setup.invalid_code'),
	v.maxLength(64, 'setup.invalid_code')
);

/** The first admin of the instance, created with the programme. */
export const setupAdminSchema = v.object({
	name: v.pipe(
		v.string('account.name_required'),
		v.trim(),
		v.minLength(1, 'account.name_required'),
		v.maxLength(120, 'account.name_too_long')
	),
	email: emailSchema,
	password: passwordSchema,
	locale: v.optional(v.picklist(['fr', 'en'], 'account.invalid_locale'), 'fr')
});
export type SetupAdminInput = v.InferInput<typeof setupAdminSchema>;
