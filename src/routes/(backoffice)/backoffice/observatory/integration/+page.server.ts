import { Plot, renderPlot } from '#server/charts/plot.ts';
import { OKABE_ITO } from '#server/charts/palette.ts';
import { translate } from '$lib/i18n/index.ts';
import type { PageServerLoad } from './$types';
import { loadObservatorySection } from '../observatory.server.ts';

type Bar = { label: string; value: number; lower: number; upper: number };

/** Integration and local development: the follow-up waves, attribution, businesses. */
export const load: PageServerLoad = async (event) => {
	const page = await loadObservatorySection(event, 'integration');
	const integration = page.section;
	if (!integration) return { ...page, charts: null };
	const locale = event.locals.locale;
	const percent = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 100)} %` : '–');
	/** Shares with their Wilson intervals as bars and error bars; null when nothing to show. */
	const shares = (title: string, bars: Bar[]) =>
		bars.length === 0
			? null
			: {
					title,
					svg: renderPlot(
						{
							marginLeft: 48,
							height: 240,
							x: { label: null, domain: bars.map((b) => b.label) },
							y: { label: null, domain: [0, 1], grid: true, tickFormat: '.0%' },
							marks: [
								Plot.barY(bars, { x: 'label', y: 'value', fill: OKABE_ITO[0] }),
								Plot.ruleX(bars, { x: 'label', y1: 'lower', y2: 'upper', stroke: '#000000', strokeWidth: 2 }),
								Plot.ruleY([0])
							]
						},
						{
							title,
							description: bars
								.map((b) => `${b.label}: ${percent(b.value)} (${percent(b.lower)}–${percent(b.upper)})`)
								.join('; ')
						}
					)
				};
	const wave = (months: number) => translate(locale, 'observatory_integration_wave', { months });
	const responseBars = integration.waves.flatMap((w) =>
		w.responseRate.proportion === null
			? []
			: [
					{
						label: wave(w.waveMonths),
						value: w.responseRate.proportion,
						lower: w.responseRate.lower!,
						upper: w.responseRate.upper!
					}
				]
	);
	const { intake, atWave } = integration.attribution;
	const attributionBars = [
		[translate(locale, 'observatory_integration_attribution_intake'), intake.decisive] as const,
		[wave(integration.attribution.waveMonths), atWave.decisive] as const
	].flatMap(([label, p]) =>
		p.proportion === null ? [] : [{ label, value: p.proportion, lower: p.lower!, upper: p.upper! }]
	);
	return {
		...page,
		charts: {
			response: shares(translate(locale, 'observatory_integration_chart_response'), responseBars),
			attribution: shares(translate(locale, 'observatory_integration_chart_attribution'), attributionBars)
		}
	};
};
