import { horizontalBars, OKABE_ITO } from '#server/charts/palette.ts';
import { formatNumber } from '$lib/domain/observatory/observatory-format.ts';
import { translate } from '$lib/i18n/index.ts';
import { getApp } from '#server/app.ts';
import { MAX_INCOME_BANDS } from '#server/domain/observatory/impact.rules.ts';
import { saveImpactAssumptions } from '#server/domain/observatory/impact.service.ts';
import type { ImpactAssumptionsInput } from '#server/domain/observatory/impact.schemas.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formValues } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';
import { loadObservatorySection } from '../observatory.server.ts';

/**
 * The economic impact of the households present, with the programme's assumptions and their
 * sources, and a chart of the estimated jobs per cohort (whole jobs: an estimate has no decimals).
 */
export const load: PageServerLoad = async (event) => {
	const page = await loadObservatorySection(event, 'impact');
	const result = page.section?.result;
	const bars = (result?.cohorts ?? [])
		.filter((cohort) => Number.isFinite(cohort.jobs))
		.map((cohort) => ({ label: String(cohort.cohort), value: Math.round(cohort.jobs) }));
	if (!result || bars.length === 0) return { ...page, chart: null };
	const locale = event.locals.locale;
	const title = translate(locale, 'observatory_impact_chart_title');
	const format = (value: number) => formatNumber(locale, value);
	return { ...page, chart: { title, svg: horizontalBars({ bars, title, format, colour: OKABE_ITO[2] }) } };
};

const ASSUMPTION_FIELDS = [
	'localSpendingPercent',
	'localMultiplier',
	'jobsPerBusiness',
	'jobsPerHousehold'
] as const;

/**
 * The form's fields, named after the service's paths (`incomeBands.1.label`, `localMultiplier`,
 * `sources.localMultiplier`) so each error shows beside its field. Band rows are read up to the
 * last one with something typed: a blank row in between is reported, not silently dropped.
 */
function readAssumptions(values: Record<string, string>): ImpactAssumptionsInput {
	const rows = Array.from({ length: MAX_INCOME_BANDS }, (_, i) => ({
		label: values[`incomeBands.${i}.label`] ?? '',
		sharePercent: values[`incomeBands.${i}.sharePercent`] ?? '',
		annualIncome: values[`incomeBands.${i}.annualIncome`] ?? ''
	}));
	let last = -1;
	rows.forEach((row, i) => {
		if (row.label.trim() || row.sharePercent.trim() || row.annualIncome.trim()) last = i;
	});
	const sources: Record<string, string> = {};
	for (const key of ['incomeBands', ...ASSUMPTION_FIELDS]) sources[key] = values[`sources.${key}`] ?? '';
	return {
		incomeBands: rows.slice(0, last + 1),
		localSpendingPercent: values.localSpendingPercent ?? '',
		localMultiplier: values.localMultiplier ?? '',
		jobsPerBusiness: values.jobsPerBusiness ?? '',
		jobsPerHousehold: values.jobsPerHousehold ?? '',
		sources
	};
}

export const actions: Actions = {
	save: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const values = formValues(await request.formData());
		try {
			await saveImpactAssumptions({ actor, input: readAssumptions(values) }, { db: getApp().database.db });
			return { saved: true };
		} catch (err) {
			return failForm(err, values);
		}
	}
};
