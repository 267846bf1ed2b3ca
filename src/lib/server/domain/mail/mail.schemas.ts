import * as v from 'valibot';
import { MAIL_STATUSES } from '../../db/schema/index.ts';

export const mailMessageIdSchema = v.pipe(v.string(), v.regex(/^mail_[a-z0-9]{8,64}$/, 'mail.not_found'));

/**
 * Every kind of message soho sends, `<area>.<reason>`. The outbox names each in words (the
 * catalogue key `mail_kind_<kind with dots as underscores>`, checked by mail.rules.test.ts), so a
 * new kind is added here, with its label in both languages.
 */
export const MAIL_KINDS = [
	'account.invite',
	'account.password_reset',
	'account.signin_unlock',
	'account.sign_in_link',
	'case.application_received',
	'case.committee_notified',
	'case.message',
	'member.invitation',
	'people.invitation',
	'offer.expiry_reminder',
	'task.daily_digest',
	'referral.created',
	'referral.updated',
	'event.registration_registered',
	'event.registration_waitlisted',
	'event.registration_promoted',
	'event.registration_reminder',
	'event.registration_changed',
	'event.registration_cancelled',
	'follow_up.invitation',
	'follow_up.reminder',
	'candidate_space.message_to_advisor',
	'candidate_space.message_to_candidate',
	'candidate_space.document_requested',
	'discovery_stay.host_invited',
	'discovery_stay.host_changed',
	'discovery_stay.host_cancelled',
	'offer_match.candidate_digest',
	'offer_match.advisor_digest'
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** The catalogue key of a kind's label in the outbox. */
export const mailKindLabelKey = (kind: string): string => `mail_kind_${kind.replace(/\./g, '_')}`;

/**
 * One message to one recipient. `to` is a single address, never a list: each recipient
 * gets their own row, so nobody sees another recipient's address.
 */
export const queueMailSchema = v.object({
	programmeId: v.nullable(v.pipe(v.string(), v.minLength(1))),
	/** The case the message is sent from, if any: the case page lists its messages. */
	caseId: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1)))),
	/** What the message is for, `<area>.<reason>`, e.g. 'account.password_reset'. */
	kind: v.picklist(MAIL_KINDS, 'mail.invalid_kind'),
	to: v.pipe(v.string(), v.trim(), v.maxLength(254, 'mail.invalid_address'), v.email('mail.invalid_address')),
	subject: v.pipe(
		v.string(),
		v.trim(),
		v.minLength(1, 'mail.invalid_subject'),
		v.maxLength(300, 'mail.invalid_subject'),
		// A line break in a header would let a subject inject headers.
		v.regex(/^[^\r\n]*$/, 'mail.invalid_subject')
	),
	text: v.pipe(v.string(), v.minLength(1, 'mail.invalid_body')),
	html: v.optional(v.nullable(v.string()))
});
export type QueueMailInput = v.InferInput<typeof queueMailSchema>;

export const listOutboxSchema = v.object({
	status: v.optional(v.picklist(MAIL_STATUSES, 'mail.invalid_status')),
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200)), 50),
	offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0)
});
export type ListOutboxInput = v.InferInput<typeof listOutboxSchema>;
