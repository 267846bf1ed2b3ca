import * as v from 'valibot';
import { REFERRAL_NEED_KINDS, REFERRAL_OUTCOMES, REFERRAL_STATUSES } from '../../db/schema/index.ts';

/*
 * Form-friendly schemas: empty strings from forms count as missing. Every message is a
 * `referral.*` error code, shown per field (`error_referral_*`).
 */

export const referralIdSchema = v.pipe(v.string(), v.regex(/^ref_[a-z0-9]{8,64}$/, 'referral.not_found'));

const emptyToUndefined = (value: unknown) =>
	typeof value === 'string' && value.trim() === '' ? undefined : value;

/** An optional field where an empty string counts as missing. */
const blankable = <TSchema extends v.GenericSchema>(schema: TSchema) =>
	v.optional(v.pipe(v.unknown(), v.transform(emptyToUndefined), v.optional(schema)));

const isoDate = (code: string) =>
	v.pipe(
		v.string(code),
		v.trim(),
		v.regex(/^\d{4}-\d{2}-\d{2}$/, code),
		v.check((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), code)
	);

export const createReferralSchema = v.object({
	organisationId: v.pipe(
		v.optional(v.string('referral.organisation_required'), ''),
		v.trim(),
		v.nonEmpty('referral.organisation_required')
	),
	/** A member of the household; empty means the candidate. */
	personId: blankable(v.pipe(v.string('referral.unknown_person'), v.trim())),
	needKind: v.picklist(REFERRAL_NEED_KINDS, 'referral.invalid_need'),
	message: blankable(v.pipe(v.string(), v.trim(), v.maxLength(4000, 'referral.message_too_long'))),
	/** Default: 7 days from today (REFERRAL_ANSWER_DAYS). */
	expectedAnswerOn: blankable(isoDate('referral.invalid_expected_date'))
});
export type CreateReferralInput = v.InferInput<typeof createReferralSchema>;

export const declineReferralSchema = v.object({
	reason: v.pipe(
		v.optional(v.string('referral.decline_reason_required'), ''),
		v.trim(),
		v.nonEmpty('referral.decline_reason_required'),
		v.maxLength(2000, 'referral.decline_reason_too_long')
	)
});
export type DeclineReferralInput = v.InferInput<typeof declineReferralSchema>;

export const recordOutcomeSchema = v.object({
	outcome: v.picklist(REFERRAL_OUTCOMES, 'referral.invalid_outcome'),
	note: blankable(v.pipe(v.string(), v.trim(), v.maxLength(4000, 'referral.outcome_note_too_long'))),
	/** Default: today. */
	outcomeOn: blankable(isoDate('referral.invalid_outcome_date'))
});
export type RecordOutcomeInput = v.InferInput<typeof recordOutcomeSchema>;

export const listReferralsSchema = v.object({
	status: blankable(v.picklist(REFERRAL_STATUSES, 'referral.invalid_status')),
	isOverdue: v.optional(v.boolean(), false),
	organisationId: blankable(v.string()),
	caseId: blankable(v.string()),
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200)), 50),
	offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0)
});
export type ListReferralsInput = v.InferInput<typeof listReferralsSchema>;
