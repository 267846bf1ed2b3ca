import { Plot, renderPlot } from '#server/charts/plot.ts';
import { CHART_WIDTH, seriesColours } from '#server/charts/palette.ts';
import { translate } from '$lib/i18n/index.ts';
import type { PageServerLoad } from './$types';
import { chartText, loadObservatorySection } from '../observatory.server.ts';

/** The observatory's first page: flows per year, cumulative totals, who is here today. */
export const load: PageServerLoad = async (event) => {
	const page = await loadObservatorySection(event, 'flows');
	const locale = event.locals.locale;
	const flows = page.section;
	if (!flows) return { ...page, charts: null };
	const c = (value: number) => chartText(value, page.minCellSize);
	const series = [
		['contacts', 'observatory_def_contact_name'],
		['qualified', 'observatory_def_qualified_project_name'],
		['installations', 'observatory_def_installation_name']
	] as const;
	const bars = flows.years.flatMap((year) =>
		series.map(([key, label]) => ({
			year: String(year.year),
			what: translate(locale, label),
			count: year[key]
		}))
	);
	const perYearTitle = translate(locale, 'observatory_flows_chart_per_year');
	const perYear = renderPlot(
		{
			marginLeft: 48,
			height: 260,
			width: CHART_WIDTH,
			x: { axis: null, domain: series.map(([, label]) => translate(locale, label)) },
			y: { grid: true, label: null },
			// Many years: every other one is labelled, so that labels of 14 units never run together.
			fx: {
				label: null,
				tickFormat: (year: string) =>
					(Number(year) - flows.period.from) % Math.max(1, Math.ceil(flows.years.length / 12)) === 0
						? year
						: ''
			},
			color: {
				legend: true,
				domain: series.map(([, label]) => translate(locale, label)),
				range: seriesColours(3)
			},
			marks: [
				Plot.barY(bars, {
					fx: 'year',
					x: 'what',
					y: 'count',
					fill: 'what',
					title: (d) => `${d.what}: ${c(d.count)}`
				}),
				Plot.ruleY([0])
			]
		},
		{
			title: perYearTitle,
			description: flows.years
				.map((y) => `${y.year}: ${c(y.contacts)} / ${c(y.qualified)} / ${c(y.installations)}`)
				.join('; ')
		}
	);
	const cumulativeTitle = translate(locale, 'observatory_flows_chart_cumulative');
	const lines = flows.years.flatMap((year) => [
		{
			year: year.year,
			what: translate(locale, 'observatory_def_installation_name'),
			count: year.cumulativeInstallations
		},
		{
			year: year.year,
			what: translate(locale, 'observatory_def_persons_installed_name'),
			count: year.cumulativePersonsInstalled
		},
		{
			year: year.year,
			what: translate(locale, 'observatory_flows_present_households'),
			count: year.householdsPresentAtYearEnd
		}
	]);
	const cumulative = renderPlot(
		{
			marginLeft: 48,
			width: CHART_WIDTH,
			height: 260,
			x: { label: null, tickFormat: 'd', ticks: Math.min(flows.years.length, 10) },
			y: { grid: true, label: null },
			color: { legend: true, range: seriesColours(3) },
			marks: [Plot.lineY(lines, { x: 'year', y: 'count', stroke: 'what', marker: 'circle' }), Plot.ruleY([0])]
		},
		{
			title: cumulativeTitle,
			description: flows.years
				.map((y) => `${y.year}: ${c(y.cumulativeInstallations)} / ${c(y.cumulativePersonsInstalled)}`)
				.join('; ')
		}
	);
	return { ...page, charts: { perYear, perYearTitle, cumulative, cumulativeTitle } };
};
