import * as v from 'valibot';
import { MAIL_TEMPLATE_LOCALES } from '../../db/schema/index.ts';

/*
 * Form-friendly schemas; every message is a `mail_template.*` error code shown per field
 * (`error_mail_template_*`).
 */

export const mailTemplateIdSchema = v.pipe(
	v.string(),
	v.regex(/^mtp_[a-z0-9]{8,64}$/, 'mail_template.not_found')
);

const text = (max: number, requiredCode: string, tooLongCode: string) =>
	v.pipe(
		v.optional(v.string(requiredCode), ''),
		v.trim(),
		v.nonEmpty(requiredCode),
		v.maxLength(max, tooLongCode)
	);

const subject = v.pipe(
	text(300, 'mail_template.subject_required', 'mail_template.subject_too_long'),
	// A line break in a header would let a subject inject headers.
	v.regex(/^[^\r\n]*$/, 'mail_template.subject_too_long')
);
const body = text(20_000, 'mail_template.body_required', 'mail_template.body_too_long');

export const saveMailTemplateSchema = v.object({
	name: text(120, 'mail_template.name_required', 'mail_template.name_too_long'),
	locale: v.picklist(MAIL_TEMPLATE_LOCALES, 'mail_template.invalid_locale'),
	subject,
	body
});
export type SaveMailTemplateInput = v.InferInput<typeof saveMailTemplateSchema>;

/** Form checkboxes arrive as one string or a list; none checked arrives as missing. */
const idList = v.pipe(
	v.optional(v.union([v.string(), v.array(v.string())]), []),
	v.transform((value) => (Array.isArray(value) ? value : [value]).map((id) => id.trim()).filter(Boolean)),
	v.minLength(1, 'mail_template.recipients_required')
);

const emptyToUndefined = (value: unknown) =>
	typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * A message sent from a case: a template, or a free subject and body (which may use the
 * same variables), to some persons of the household.
 */
export const sendCaseMailSchema = v.variant('mode', [
	v.object({
		mode: v.literal('template'),
		templateId: v.pipe(
			v.optional(v.string('mail_template.template_required'), ''),
			v.trim(),
			v.nonEmpty('mail_template.template_required')
		),
		personIds: idList
	}),
	v.object({
		mode: v.literal('free'),
		locale: v.optional(
			v.pipe(v.unknown(), v.transform(emptyToUndefined), v.optional(v.picklist(MAIL_TEMPLATE_LOCALES))),
			'fr'
		),
		subject,
		body,
		personIds: idList
	})
]);
export type SendCaseMailInput = v.InferInput<typeof sendCaseMailSchema>;
