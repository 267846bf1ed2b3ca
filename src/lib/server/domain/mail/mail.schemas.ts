import * as v from 'valibot';
import { MAIL_STATUSES } from '../../db/schema/index.ts';

export const mailMessageIdSchema = v.pipe(v.string(), v.regex(/^mail_[a-z0-9]{8,64}$/, 'mail.not_found'));

/**
 * One message to one recipient. `to` is a single address, never a list: each recipient
 * gets their own row, so nobody sees another recipient's address.
 */
export const queueMailSchema = v.object({
	programmeId: v.nullable(v.pipe(v.string(), v.minLength(1))),
	/** The case the message is sent from, if any: the case page lists its messages. */
	caseId: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1)))),
	/** What the message is for, `<area>.<reason>`, e.g. 'account.password_reset'. */
	kind: v.pipe(v.string(), v.regex(/^[a-z_]+\.[a-z_]+$/, 'mail.invalid_kind')),
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
