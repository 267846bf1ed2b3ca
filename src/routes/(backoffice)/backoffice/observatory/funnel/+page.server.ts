import { Plot, renderPlot } from '#server/charts/plot.ts';
import { CHART_WIDTH, OKABE_ITO } from '#server/charts/palette.ts';
import { translate } from '$lib/i18n/index.ts';
import type { PageServerLoad } from './$types';
import { chartText, loadObservatorySection, requireObservatoryViewer } from '../observatory.server.ts';
import { getApp } from '#server/app.ts';
import { getStayConversion } from '#server/domain/discovery-stay/discovery-stay.service.ts';
import { DEFAULT_MIN_CELL_SIZE } from '#server/domain/observatory/disclosure.rules.ts';

/** The funnel of the period's contacts: conversion, durations, channels, advisors, abandonments. */
export const load: PageServerLoad = async (event) => {
	const page = await loadObservatorySection(event, 'funnel');
	const funnel = page.section;
	// Discovery stays → installation (domain/discovery-stay), beside the section's own figures.
	const stays = await getStayConversion(
		{ viewer: requireObservatoryViewer(event), minCellSize: page.minCellSize ?? DEFAULT_MIN_CELL_SIZE },
		{ db: getApp().database.readDb }
	);
	if (!funnel) return { ...page, chart: null, stays };
	const locale = event.locals.locale;
	const stageName = (stage: string) => {
		const own = funnel.stageLabels[stage]?.[locale];
		if (own) return own;
		const label = translate(locale, `case_stage_${stage}`);
		return label === `case_stage_${stage}` ? stage : label;
	};
	const title = translate(locale, 'observatory_funnel_chart');
	const steps = funnel.steps.map((step) => ({ stage: stageName(step.stage), count: step.count }));
	const chart = renderPlot(
		{
			width: CHART_WIDTH,
			marginLeft: 130,
			marginRight: 48,
			height: 40 + steps.length * 34,
			x: { grid: true, label: null },
			y: { label: null, domain: steps.map((s) => s.stage) },
			marks: [
				Plot.barX(steps, { y: 'stage', x: 'count', fill: OKABE_ITO[0] }),
				Plot.text(steps, {
					y: 'stage',
					x: 'count',
					text: (d) => chartText(d.count, page.minCellSize),
					dx: 14
				}),
				Plot.ruleX([0])
			]
		},
		{ title, description: steps.map((s) => `${s.stage}: ${chartText(s.count, page.minCellSize)}`).join('; ') }
	);
	return { ...page, chart: { svg: chart, title }, stays };
};
