import * as v from 'valibot';
import { SURVEY_QUESTION_TYPES } from '../../db/schema/follow-up.ts';

/** Personal links carry 32 random base64url characters; anything else is forged. */
export const surveyTokenSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{32}$/));

const isoDate = v.pipe(
	v.string('follow_up.invalid_date'),
	v.trim(),
	v.regex(/^\d{4}-\d{2}-\d{2}$/, 'follow_up.invalid_date')
);
const label = (max: number) =>
	v.pipe(v.string('follow_up.label_required'), v.trim(), v.maxLength(max, 'follow_up.label_too_long'));

export const questionSchema = v.object({
	key: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[a-z][a-z0-9_]{0,59}$/, 'follow_up.invalid_key'))),
	type: v.picklist(SURVEY_QUESTION_TYPES, 'follow_up.invalid_type'),
	labelFr: label(500),
	labelEn: v.optional(label(500), ''),
	options: v.optional(
		v.array(
			v.object({
				value: v.optional(
					v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9_]{1,40}$/, 'follow_up.invalid_key'))
				),
				labelFr: label(200),
				labelEn: v.optional(label(200), '')
			})
		),
		[]
	),
	required: v.optional(v.boolean(), false),
	waves: v.optional(
		v.array(v.pipe(v.number('follow_up.invalid_waves'), v.integer('follow_up.invalid_waves'))),
		[]
	),
	showIf: v.optional(
		v.nullable(v.object({ key: v.pipe(v.string(), v.trim()), equals: v.pipe(v.string(), v.trim()) }))
	)
});
export type QuestionInput = v.InferInput<typeof questionSchema>;

export const saveQuestionnaireSchema = v.object({
	questions: v.pipe(v.array(questionSchema), v.maxLength(60, 'follow_up.too_many_questions'))
});

export const settingsSchema = v.object({
	waveMonths: v.array(v.pipe(v.number('follow_up.invalid_waves'), v.integer('follow_up.invalid_waves'))),
	silenceMonths: v.pipe(v.number('follow_up.invalid_silence'), v.integer('follow_up.invalid_silence'))
});
export type SettingsInput = v.InferInput<typeof settingsSchema>;

export const confirmDepartureSchema = v.object({
	departureId: v.pipe(v.string(), v.trim(), v.nonEmpty('follow_up.departure_not_found')),
	leftOn: v.optional(v.union([v.literal(''), isoDate], 'follow_up.invalid_date')),
	reason: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000, 'follow_up.text_too_long')))
});
export type ConfirmDepartureInput = v.InferInput<typeof confirmDepartureSchema>;

export const SIGN_OF_LIFE_SOURCES = ['survey', 'event', 'directory', 'staff'] as const;
export type SignOfLifeSource = (typeof SIGN_OF_LIFE_SOURCES)[number];
