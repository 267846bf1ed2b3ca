import * as v from 'valibot';

export const createObservatoryTokenSchema = v.object({
	label: v.pipe(
		v.string('observatory_token.invalid_label'),
		v.trim(),
		v.minLength(2, 'observatory_token.invalid_label'),
		v.maxLength(120, 'observatory_token.invalid_label')
	)
});
export type CreateObservatoryTokenInput = v.InferInput<typeof createObservatoryTokenSchema>;

export const observatoryTokenIdSchema = v.pipe(v.string(), v.regex(/^otk_[0-9a-z]{16,40}$/));
