import * as v from 'valibot';
import { COMMITTEE_ROLES, ROLES } from '../../db/schema/index.ts';
import { MIN_PASSWORD_LENGTH } from '../../auth/auth.ts';

export const emailSchema = v.pipe(
	v.string('account.invalid_email'),
	v.trim(),
	v.toLowerCase(),
	v.nonEmpty('account.email_required'),
	v.email('account.invalid_email'),
	v.maxLength(254, 'account.invalid_email')
);

export const passwordSchema = v.pipe(
	v.string('account.password_too_short'),
	v.minLength(MIN_PASSWORD_LENGTH, 'account.password_too_short'),
	v.maxLength(200, 'account.password_too_long')
);

export const roleSchema = v.picklist(ROLES, 'account.invalid_role');

export const createUserSchema = v.object({
	email: emailSchema,
	name: v.pipe(
		v.string('account.name_required'),
		v.trim(),
		v.minLength(1, 'account.name_required'),
		v.maxLength(120, 'account.name_too_long')
	),
	role: roleSchema,
	programmeId: v.pipe(v.string(), v.regex(/^prg_[a-z0-9]+$/, 'programme.not_found')),
	/** Required for partners in practice: the organisation they act for. */
	organisationId: v.optional(v.pipe(v.string(), v.regex(/^org_[a-z0-9]+$/, 'account.unknown_organisation'))),
	/** For partners, as typed by an operator: the organisation's id or exact name. */
	organisation: v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.nonEmpty('account.unknown_organisation'),
			v.maxLength(200, 'account.unknown_organisation')
		)
	),
	/** For committee members: their villages (id or slug) with their function in each. */
	villages: v.optional(
		v.array(
			v.object({
				village: v.pipe(
					v.string(),
					v.trim(),
					v.nonEmpty('village.not_found'),
					v.maxLength(200, 'village.not_found')
				),
				committeeRole: v.optional(v.picklist(COMMITTEE_ROLES, 'village.invalid_committee_role'), 'volunteer')
			})
		),
		[]
	),
	/** Without a password, the user receives an invitation to choose one. */
	password: v.optional(passwordSchema),
	locale: v.optional(v.picklist(['fr', 'en'], 'account.invalid_locale'), 'fr'),
	isDemo: v.optional(v.boolean(), false)
});
export type CreateUserInput = v.InferInput<typeof createUserSchema>;

export const signInSchema = v.object({
	email: emailSchema,
	password: v.pipe(
		v.string('account.password_required'),
		v.nonEmpty('account.password_required'),
		v.maxLength(200, 'account.password_too_long')
	)
});
export type SignInInput = v.InferInput<typeof signInSchema>;

export const requestPasswordResetSchema = v.object({ email: emailSchema });

export const resetPasswordSchema = v.object({
	token: v.pipe(
		v.string('account.invalid_reset_token'),
		v.nonEmpty('account.invalid_reset_token'),
		v.maxLength(200, 'account.invalid_reset_token')
	),
	password: passwordSchema,
	confirmation: v.string()
});
export type ResetPasswordInput = v.InferInput<typeof resetPasswordSchema>;

/** A first password, chosen by someone who signed in with a link (a candidate). */
export const setOwnPasswordSchema = v.object({ password: passwordSchema, confirmation: v.string() });
export type SetOwnPasswordInput = v.InferInput<typeof setOwnPasswordSchema>;
