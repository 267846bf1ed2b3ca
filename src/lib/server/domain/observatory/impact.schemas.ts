import * as v from 'valibot';
import { MAX_INCOME_BANDS } from './impact.rules.ts';

/**
 * A decimal number typed in a form (`1,3` or `1.3`, spaces as thousands separators) or sent as a
 * number, between `min` and `max`; anything else fails with `code`, which names the field.
 */
const decimal = (code: string, min: number, max: number) =>
	v.pipe(
		v.union([v.string(), v.number()], code),
		v.transform((value) =>
			typeof value === 'number' ? value : value.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.')
		),
		v.transform((value) =>
			typeof value === 'number' || /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN
		),
		v.number(code),
		v.check((value) => Number.isFinite(value) && value >= min && value <= max, code)
	);

const sourceText = v.optional(
	v.pipe(
		v.string('observatory_impact.invalid_source'),
		v.trim(),
		v.maxLength(500, 'observatory_impact.invalid_source')
	)
);

/** The assumptions an admin saves; each error code names the field (messages `error_observatory_impact_*`). */
export const impactAssumptionsSchema = v.object({
	incomeBands: v.pipe(
		v.array(
			v.object({
				label: v.pipe(
					v.string('observatory_impact.invalid_band_label'),
					v.trim(),
					v.minLength(1, 'observatory_impact.invalid_band_label'),
					v.maxLength(60, 'observatory_impact.invalid_band_label')
				),
				sharePercent: decimal('observatory_impact.invalid_band_share', 0, 100),
				annualIncome: decimal('observatory_impact.invalid_band_income', 0, 1_000_000)
			}),
			'observatory_impact.no_band'
		),
		v.minLength(1, 'observatory_impact.no_band'),
		v.maxLength(MAX_INCOME_BANDS, 'observatory_impact.too_many_bands'),
		v.check(
			(bands) => Math.abs(bands.reduce((sum, band) => sum + band.sharePercent, 0) - 100) < 0.01,
			'observatory_impact.shares_not_total'
		)
	),
	localSpendingPercent: decimal('observatory_impact.invalid_local_spending', 0, 100),
	localMultiplier: decimal('observatory_impact.invalid_multiplier', 1, 3),
	jobsPerBusiness: decimal('observatory_impact.invalid_jobs_per_business', 0, 50),
	jobsPerHousehold: decimal('observatory_impact.invalid_jobs_per_household', 0, 5),
	sources: v.optional(
		v.object({
			incomeBands: sourceText,
			localSpendingPercent: sourceText,
			localMultiplier: sourceText,
			jobsPerBusiness: sourceText,
			jobsPerHousehold: sourceText
		}),
		{}
	)
});

export type ImpactAssumptionsInput = v.InferInput<typeof impactAssumptionsSchema>;
export type ImpactAssumptionsParsed = v.InferOutput<typeof impactAssumptionsSchema>;
