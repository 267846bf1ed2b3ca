import * as v from 'valibot';
import { RETENTION_LIMITS } from './privacy.rules.ts';

export const consentIdSchema = v.pipe(
	v.string(),
	v.regex(/^cns_[a-z0-9]{8,64}$/, 'privacy.consent_not_found')
);

/** Why a person is erased (kept in the erasures register, without the person's data). */
export const eraseSchema = v.object({
	reason: v.pipe(
		v.string('privacy.reason_required'),
		v.trim(),
		v.minLength(3, 'privacy.reason_required'),
		v.maxLength(500, 'privacy.reason_too_long')
	)
});
export type EraseInput = v.InferInput<typeof eraseSchema>;

const wholeNumber = (min: number, max: number, code: string) =>
	v.pipe(
		v.union([v.number(), v.pipe(v.string(), v.trim(), v.nonEmpty(code), v.transform(Number))], code),
		v.number(code),
		v.integer(code),
		v.minValue(min, code),
		v.maxValue(max, code)
	);

/** The retention periods an admin sets for the programme. */
export const retentionSettingsSchema = v.object({
	leadInactiveMonths: wholeNumber(
		RETENTION_LIMITS.leadInactiveMonths.min,
		RETENTION_LIMITS.leadInactiveMonths.max,
		'privacy.invalid_lead_months'
	),
	mailBodyDays: wholeNumber(
		RETENTION_LIMITS.mailBodyDays.min,
		RETENTION_LIMITS.mailBodyDays.max,
		'privacy.invalid_mail_days'
	)
});
export type RetentionSettingsInput = v.InferInput<typeof retentionSettingsSchema>;
