import { survivalChart, type LabelledCurve } from '#server/domain/observatory/durability.charts.ts';
import type { DurabilityAnalysis } from '#server/domain/observatory/durability.rules.ts';
import { translate, type Locale } from '$lib/i18n/index.ts';
import type { PageServerLoad } from './$types';
import { chartText, loadObservatorySection } from '../observatory.server.ts';

/** The label of a group of a comparison: a cohort ('2021', '2019–2020'), a status, unknown, pooled. */
function durabilityGroupLabel(locale: Locale, dimension: 'cohort' | 'status', key: string): string {
	if (dimension === 'cohort') return key;
	if (key === 'unknown') return translate(locale, 'observatory_unknown');
	if (key === 'pooled') return translate(locale, 'observatory_durability_pooled');
	return translate(locale, `case_status_${key}`);
}

function chartsOf(
	locale: Locale,
	analysis: DurabilityAnalysis,
	what: 'residence' | 'business',
	minCellSize: number | null
) {
	const axes = {
		xLabel: translate(locale, `observatory_durability_${what}_axis`),
		yLabel: translate(locale, `observatory_durability_${what}_y`)
	};
	const describe = (curves: LabelledCurve[]) =>
		curves
			.map(({ label, curve }) =>
				translate(locale, 'observatory_durability_chart_description', {
					group: label,
					n: chartText(curve.n, minCellSize),
					events: chartText(curve.events, minCellSize),
					rates: curve.rates
						.map(
							(r) =>
								`${r.years}: ${r.survival === null || Number.isNaN(r.survival) ? '–' : Math.round(r.survival * 100) + ' %'}`
						)
						.join(', ')
				})
			)
			.join('; ');
	const chart = (key: string, curves: LabelledCurve[]) => {
		const title = translate(locale, key);
		const svg = survivalChart(curves, { title, description: describe(curves), ...axes });
		return svg ? { svg, title } : null;
	};
	const grouped = (dimension: 'cohort' | 'status') =>
		(dimension === 'cohort' ? analysis.byCohort : analysis.byStatus).groups.map((g) => ({
			label: durabilityGroupLabel(locale, dimension, g.key),
			curve: g.curve
		}));
	return {
		overall: chart(`observatory_durability_${what}_chart`, [
			{ label: translate(locale, 'observatory_durability_all'), curve: analysis.overall }
		]),
		byCohort: chart(`observatory_durability_${what}_chart_cohort`, grouped('cohort')),
		byStatus: chart(`observatory_durability_${what}_chart_status`, grouped('status'))
	};
}

/** Durability: Kaplan–Meier curves of residence and of businesses, by cohort and by status. */
export const load: PageServerLoad = async (event) => {
	const page = await loadObservatorySection(event, 'durability');
	const durability = page.section;
	if (!durability) return { ...page, charts: null };
	const locale = event.locals.locale;
	// The group curves are drawn here; the page only reads their rates and medians, so their
	// step tables are not sent (the JSON API gives them in full).
	const light = (analysis: DurabilityAnalysis): DurabilityAnalysis => ({
		...analysis,
		byCohort: {
			...analysis.byCohort,
			groups: analysis.byCohort.groups.map((g) => ({ ...g, curve: { ...g.curve, steps: [] } }))
		},
		byStatus: {
			...analysis.byStatus,
			groups: analysis.byStatus.groups.map((g) => ({ ...g, curve: { ...g.curve, steps: [] } }))
		}
	});
	return {
		...page,
		section: { ...durability, residence: light(durability.residence), business: light(durability.business) },
		charts: {
			residence: chartsOf(locale, durability.residence, 'residence', page.minCellSize),
			business: chartsOf(locale, durability.business, 'business', page.minCellSize)
		}
	};
};
