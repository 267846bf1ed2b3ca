import { getApp } from '#server/app.ts';
import { CHART_WIDTH, OKABE_ITO } from '#server/charts/palette.ts';
import { Plot, renderPlot } from '#server/charts/plot.ts';
import { getGeographyMap } from '#server/domain/observatory/geography.service.ts';
import { translate } from '$lib/i18n/index.ts';
import type { PageServerLoad } from './$types';
import { loadObservatorySection, requireObservatoryViewer } from '../observatory.server.ts';

const SERIES_COLORS: Record<string, string> = {
	installations: OKABE_ITO[3],
	communes: OKABE_ITO[2],
	population: OKABE_ITO[0],
	villages: OKABE_ITO[1]
};

/**
 * Where households settle: map and table by commune, distance to the metropole, urban area,
 * size and chef-lieu against three baselines, Moran's I. The distance chart is drawn here.
 */
export const load: PageServerLoad = async (event) => {
	const page = {
		...(await loadObservatorySection(event, 'geography')),
		isAdmin: event.locals.actor?.role === 'admin'
	};
	const geography = page.section;
	const { communes: outlines } = geography
		? await getGeographyMap({ viewer: requireObservatoryViewer(event) }, { db: getApp().database.readDb })
		: { communes: [] };
	if (!geography || !geography.metropole || geography.distance.ecdf.every((s) => s.points.length === 0)) {
		return { ...page, outlines, chart: null };
	}
	const locale = event.locals.locale;
	const metropole = geography.metropole.name;
	const label = (series: string) =>
		series === 'installations'
			? translate(locale, 'observatory_geography_series_installations')
			: translate(locale, `observatory_geography_baseline_${series}`);
	const points = geography.distance.ecdf.flatMap((s) =>
		s.points.map((p) => ({ series: label(s.series), km: p.km, share: p.share }))
	);
	const domain = geography.distance.ecdf.filter((s) => s.points.length).map((s) => label(s.series));
	const range = geography.distance.ecdf.filter((s) => s.points.length).map((s) => SERIES_COLORS[s.series]);
	const title = translate(locale, 'observatory_geography_ecdf_title', { metropole });
	const description = geography.distance.comparisons
		.filter((c) => Number.isFinite(c.medianKm) && Number.isFinite(c.baselineMedianKm))
		.map(
			(c) =>
				`${label(c.baseline)}: ${c.baselineMedianKm?.toFixed(1)} km; ${label('installations')}: ${c.medianKm?.toFixed(1)} km`
		)
		.join('. ');
	const svg = renderPlot(
		{
			width: CHART_WIDTH,
			height: 320,
			marginLeft: 50,
			x: { label: translate(locale, 'observatory_geography_ecdf_x'), grid: true },
			y: {
				label: translate(locale, 'observatory_geography_ecdf_y'),
				domain: [0, 100],
				percent: true,
				grid: true
			},
			color: { legend: true, domain, range },
			marks: [
				Plot.line(points, { x: 'km', y: 'share', stroke: 'series', curve: 'step-after', strokeWidth: 2 }),
				Plot.ruleY([0])
			]
		},
		{ title, description: description || undefined }
	);
	return {
		...page,
		outlines,
		chart: { svg, caption: translate(locale, 'observatory_geography_ecdf_caption', { metropole }) }
	};
};
