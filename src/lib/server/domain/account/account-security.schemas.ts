import * as v from 'valibot';

/** A 6-digit TOTP code or a recovery code (`xxxxx-xxxxx`), as typed. */
export const twoFactorCodeSchema = v.object({
	code: v.pipe(
		v.string('account.two_factor_code_required'),
		v.trim(),
		v.nonEmpty('account.two_factor_code_required'),
		v.maxLength(20, 'account.two_factor_invalid_code')
	)
});
export type TwoFactorCodeInput = v.InferInput<typeof twoFactorCodeSchema>;

export const disableTwoFactorSchema = v.object({
	password: v.pipe(v.string('account.password_required'), v.nonEmpty('account.password_required'))
});
export type DisableTwoFactorInput = v.InferInput<typeof disableTwoFactorSchema>;

export const sessionIdSchema = v.pipe(
	v.string('account.session_not_found'),
	v.regex(/^ses_[A-Za-z0-9_-]+$/, 'account.session_not_found')
);

export const twoFactorRequirementSchema = v.object({
	isTwoFactorRequired: v.optional(
		v.pipe(
			v.union([v.boolean(), v.picklist(['on', 'true', 'false'])]),
			v.transform((value) => value === true || value === 'on' || value === 'true')
		),
		false
	)
});
export type TwoFactorRequirementInput = v.InferInput<typeof twoFactorRequirementSchema>;
