import * as v from 'valibot';
import { MIN_CELL_SIZE_MAX, MIN_CELL_SIZE_MIN } from '../observatory/disclosure.rules.ts';
import { departementCodeSchema, inseeCodeSchema } from '../programme/programme.schemas.ts';

const TOO_LONG = 'programme_settings.text_too_long';

/** A trimmed text of at most `max` characters (empty allowed: "not written"). */
const text = (max: number) => v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(max, TOO_LONG));
const bilingual = (max: number) => v.object({ fr: text(max), en: text(max) });
/** An empty field means "keep the default colour". */
const colour = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.transform((value) => (value === '' ? null : value.toLowerCase()))
);

export const identitySchema = v.object({
	name: v.pipe(
		v.string(),
		v.trim(),
		v.minLength(2, 'programme.invalid_name'),
		v.maxLength(120, 'programme.invalid_name')
	),
	primaryColor: colour,
	accentColor: colour
});
export type IdentityInput = v.InferInput<typeof identitySchema>;

const faqEntrySchema = v.pipe(
	v.object({ question: bilingual(300), answer: bilingual(5000) }),
	v.check((entry) => Boolean(entry.question.fr && entry.answer.fr), 'programme_settings.text_required')
);

export const textsSchema = v.object({
	homeTitle: bilingual(160),
	homeIntro: bilingual(2000),
	howItWorks: bilingual(10_000),
	faq: v.pipe(v.optional(v.array(faqEntrySchema), []), v.maxLength(60, TOO_LONG))
});
export type TextsInput = v.InferInput<typeof textsSchema>;

export const legalSchema = v.object({
	publisher: text(300),
	address: text(500),
	registration: text(300),
	director: text(300),
	hostName: text(300),
	hostAddress: text(500)
});
export type LegalInput = v.InferInput<typeof legalSchema>;

export const privacySchema = v.object({
	controller: text(500),
	dpoContact: text(500),
	retention: text(4000)
});
export type PrivacyInput = v.InferInput<typeof privacySchema>;

export const sourceCodeSchema = v.object({
	url: v.pipe(
		v.optional(v.string(), ''),
		v.trim(),
		v.maxLength(500, TOO_LONG),
		v.check(
			(value) => value === '' || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(value),
			'programme_settings.invalid_url'
		),
		v.transform((value) => (value === '' ? null : value))
	)
});
export type SourceCodeInput = v.InferInput<typeof sourceCodeSchema>;

/**
 * The observatory's minimum cell size k: a whole number from 1 (no suppression) to 50; the form
 * sends text, the CLI a number.
 */
export const minCellSizeSchema = v.object({
	minCellSize: v.pipe(
		v.union([v.string(), v.number()], 'programme_settings.invalid_min_cell_size'),
		v.transform((value) => (typeof value === 'string' ? value.trim() : String(value))),
		v.regex(/^\d{1,3}$/, 'programme_settings.invalid_min_cell_size'),
		v.transform(Number),
		v.minValue(MIN_CELL_SIZE_MIN, 'programme_settings.invalid_min_cell_size'),
		v.maxValue(MIN_CELL_SIZE_MAX, 'programme_settings.invalid_min_cell_size')
	)
});
export type MinCellSizeInput = v.InferInput<typeof minCellSizeSchema>;

const coordinate = (min: number, max: number) =>
	v.pipe(
		v.number('programme_settings.outside_france'),
		v.finite('programme_settings.outside_france'),
		v.minValue(min, 'programme_settings.outside_france'),
		v.maxValue(max, 'programme_settings.outside_france')
	);

export const metropoleSchema = v.object({
	code: inseeCodeSchema,
	lat: coordinate(-90, 90),
	lon: coordinate(-180, 180)
});
export type MetropoleInput = v.InferInput<typeof metropoleSchema>;

export const addDepartementSchema = v.object({ code: departementCodeSchema });
export type AddDepartementInput = v.InferInput<typeof addDepartementSchema>;

export const pipelineSchema = v.object({
	stages: v.pipe(
		v.array(
			v.object({
				key: v.pipe(v.optional(v.string(), ''), v.trim()),
				labelFr: v.optional(v.string(), ''),
				labelEn: v.optional(v.string(), ''),
				milestone: v.optional(v.string(), '')
			})
		),
		v.maxLength(12, 'case.pipeline_stage_count')
	)
});
export type PipelineInput = v.InferInput<typeof pipelineSchema>;

/** The comparison of programmes: `on`/`off` (CLI, form buttons) or a boolean. */
export const comparisonOptInSchema = v.object({
	isInComparison: v.pipe(
		v.union([v.boolean(), v.string()], 'programme_settings.invalid_comparison'),
		v.transform((value) => (typeof value === 'boolean' ? String(value) : value.trim().toLowerCase())),
		v.picklist(['on', 'off', 'true', 'false'], 'programme_settings.invalid_comparison'),
		v.transform((value) => value === 'on' || value === 'true')
	)
});
export type ComparisonOptInInput = v.InferInput<typeof comparisonOptInSchema>;

/** The national portal: `on`/`off` (CLI, form buttons) or a boolean. */
export const nationalOptInSchema = v.object({
	isInNationalPortal: v.pipe(
		v.union([v.boolean(), v.string()], 'programme_settings.invalid_national'),
		v.transform((value) => (typeof value === 'boolean' ? String(value) : value.trim().toLowerCase())),
		v.picklist(['on', 'off', 'true', 'false'], 'programme_settings.invalid_national'),
		v.transform((value) => value === 'on' || value === 'true')
	)
});
export type NationalOptInInput = v.InferInput<typeof nationalOptInSchema>;

/** Budgets are stated in euros; at most this much per year. */
export const MAX_BUDGET_EUROS = 1_000_000_000;

const budgetYear = v.pipe(
	v.union([v.string(), v.number()], 'programme_settings.invalid_budget_year'),
	v.transform((value) => (typeof value === 'string' ? value.trim() : String(value))),
	v.regex(/^\d{4}$/, 'programme_settings.invalid_budget_year'),
	v.transform(Number),
	v.minValue(1990, 'programme_settings.invalid_budget_year'),
	v.maxValue(2100, 'programme_settings.invalid_budget_year')
);

/**
 * A yearly budget in euros, as typed: `250000`, `250 000`, `250000,50` or `250000.50`; stored in
 * cents. The note says what it covers (optional).
 */
export const budgetSchema = v.object({
	year: budgetYear,
	amount: v.pipe(
		v.union([v.string(), v.number()], 'programme_settings.invalid_budget_amount'),
		v.transform((value) =>
			typeof value === 'number' ? String(value) : value.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.')
		),
		v.regex(/^\d{1,10}(\.\d{1,2})?$/, 'programme_settings.invalid_budget_amount'),
		v.transform((value) => Math.round(Number(value) * 100)),
		v.maxValue(MAX_BUDGET_EUROS * 100, 'programme_settings.invalid_budget_amount')
	),
	note: v.pipe(
		v.optional(v.nullable(v.string()), ''),
		v.transform((value) => (value ?? '').trim()),
		v.maxLength(500, TOO_LONG),
		v.transform((value) => (value === '' ? null : value))
	)
});
export type BudgetInput = v.InferInput<typeof budgetSchema>;

export const budgetYearSchema = v.object({ year: budgetYear });
export type BudgetYearInput = v.InferInput<typeof budgetYearSchema>;
