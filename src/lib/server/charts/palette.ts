import { Plot, renderPlot } from './plot.ts';

/**
 * The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"): eight colours that stay
 * distinct for readers with the common colour-vision deficiencies. Ordered for a white page: the
 * first colours contrast most with it (yellow, the faintest, comes last).
 */
export const OKABE_ITO = [
	'#0072B2', // blue
	'#E69F00', // orange
	'#009E73', // bluish green
	'#D55E00', // vermillion
	'#CC79A7', // reddish purple
	'#56B4E9', // sky blue
	'#000000', // black
	'#F0E442' // yellow
] as const;

/** Longest label drawn beside a bar; a longer one ends with "…" (the table below the chart has it whole). */
export const MAX_LABEL_LENGTH = 32;
const shortLabel = (label: string) =>
	label.length > MAX_LABEL_LENGTH ? `${label.slice(0, MAX_LABEL_LENGTH - 1).trimEnd()}…` : label;

/** The colours of n series, distinct as long as there are at most eight. */
export const seriesColours = (n: number): string[] =>
	Array.from({ length: Math.max(1, n) }, (_, i) => OKABE_ITO[i % OKABE_ITO.length]);

/**
 * Width of the observatory's charts in SVG units: the chart is drawn at this width and scaled to
 * its column (ChartFigure), its text at CHART_FONT_SIZE units so that it reads at least 12 px.
 */
export const CHART_WIDTH = 800;
export const CHART_FONT_SIZE = 14;

/**
 * Horizontal bars with their values written at the end: the observatory's plainest chart (summary
 * findings, profiles, impact). Labels sit on the left in full; `format` writes each value.
 */
export function horizontalBars({
	bars,
	title,
	format,
	colour = OKABE_ITO[0],
	percent = false,
	tickFormat,
	width = CHART_WIDTH
}: {
	bars: readonly { label: string; value: number }[];
	title: string;
	format: (value: number) => string;
	colour?: string;
	/** Values are shares from 0 to 1: the axis runs to 100 %. */
	percent?: boolean;
	/** The axis's tick labels (e.g. a percent in the reader's locale). */
	tickFormat?: (value: number) => string;
	/** Narrower for a chart in a half-width column. */
	width?: number;
}): string {
	const drawn = bars.map((bar) => ({ ...bar, label: shortLabel(bar.label) }));
	const longest = Math.max(4, ...drawn.map((bar) => bar.label.length));
	const marginLeft = Math.min(320, 24 + Math.round(longest * CHART_FONT_SIZE * 0.55));
	const max = Math.max(0, ...bars.map((bar) => (Number.isFinite(bar.value) ? bar.value : 0)));
	return renderPlot(
		{
			width,
			height: 56 + bars.length * 40,
			marginLeft,
			marginRight: 80,
			style: { fontSize: `${CHART_FONT_SIZE}px` },
			x: {
				grid: true,
				label: null,
				domain: [0, percent ? 1 : Math.max(1, max)],
				tickFormat,
				ticks: percent ? 5 : Math.min(5, Math.max(1, Math.ceil(max)))
			},
			y: { label: null, domain: drawn.map((bar) => bar.label) },
			marks: [
				Plot.barX(drawn, { y: 'label', x: 'value', fill: colour }),
				Plot.text(drawn, {
					y: 'label',
					x: 'value',
					text: (d) => format(d.value),
					textAnchor: 'start',
					dx: 6
				}),
				Plot.ruleX([0])
			]
		},
		{ title, description: bars.map((bar) => `${bar.label}: ${format(bar.value)}`).join('; ') }
	);
}

/**
 * Two series (e.g. contacts and installations) side by side for each label, as horizontal bars in
 * two Okabe–Ito colours with a legend; `format` writes each value at the end of its bar.
 */
export function groupedBars({
	rows,
	labels: fullLabels,
	series,
	title,
	format,
	percent = false,
	tickFormat,
	width = CHART_WIDTH
}: {
	rows: readonly { label: string; series: string; value: number }[];
	labels: readonly string[];
	series: readonly string[];
	title: string;
	format: (value: number) => string;
	percent?: boolean;
	tickFormat?: (value: number) => string;
	width?: number;
}): string {
	const labels = fullLabels.map(shortLabel);
	const short = new Map(fullLabels.map((label, i) => [label, labels[i]]));
	const longest = Math.max(4, ...labels.map((label) => label.length));
	const marginLeft = Math.min(320, 24 + Math.round(longest * CHART_FONT_SIZE * 0.55));
	const shown = rows
		.filter((row) => Number.isFinite(row.value))
		.map((row) => ({ ...row, label: short.get(row.label) ?? row.label }));
	const max = Math.max(0, ...shown.map((row) => row.value));
	return renderPlot(
		{
			width,
			height: 70 + labels.length * (series.length * 20 + 14),
			marginLeft,
			marginRight: 64,
			style: { fontSize: `${CHART_FONT_SIZE}px` },
			x: { grid: true, label: null, domain: [0, percent ? 1 : Math.max(1, max)], tickFormat, ticks: 4 },
			y: { axis: null, domain: [...series] },
			fy: { label: null, domain: [...labels], axis: 'left' },
			color: { legend: true, domain: [...series], range: seriesColours(series.length) },
			marks: [
				Plot.barX(shown, { fy: 'label', y: 'series', x: 'value', fill: 'series' }),
				Plot.text(shown, {
					fy: 'label',
					y: 'series',
					x: 'value',
					text: (d) => format(d.value),
					textAnchor: 'start',
					dx: 6
				}),
				Plot.ruleX([0])
			]
		},
		{
			title,
			description: fullLabels
				.map(
					(label) =>
						`${label}: ${series
							.map((name) => {
								const row = rows.find((r) => r.label === label && r.series === name);
								return `${name} ${row ? format(row.value) : '–'}`;
							})
							.join(', ')}`
				)
				.join('; ')
		}
	);
}

/**
 * One value per year as columns (years along the bottom): a long series of years stays one
 * chart's height. With many years, every other year is labelled.
 */
export function yearColumns({
	bars,
	title,
	format,
	colour = OKABE_ITO[0],
	width = CHART_WIDTH,
	percent = false,
	tickFormat
}: {
	bars: readonly { label: string; value: number }[];
	title: string;
	format: (value: number) => string;
	colour?: string;
	width?: number;
	/** Values are shares from 0 to 1: the axis runs to 100 %. */
	percent?: boolean;
	tickFormat?: (value: number) => string;
}): string {
	const step = Math.max(1, Math.ceil(bars.length / 12));
	const labels = bars.map((bar) => bar.label);
	const max = Math.max(1, ...bars.map((bar) => (Number.isFinite(bar.value) ? bar.value : 0)));
	return renderPlot(
		{
			width,
			height: 300,
			marginLeft: 48,
			marginTop: 28,
			style: { fontSize: `${CHART_FONT_SIZE}px` },
			x: {
				label: null,
				domain: labels,
				tickFormat: (label: string) => (labels.indexOf(label) % step === 0 ? label : '')
			},
			y: {
				grid: true,
				label: null,
				domain: [0, percent ? 1 : max],
				ticks: percent ? 5 : Math.min(5, Math.ceil(max)),
				tickFormat
			},
			marks: [
				Plot.barY(bars, { x: 'label', y: 'value', fill: colour }),
				...(bars.length <= 12
					? [Plot.text(bars, { x: 'label', y: 'value', text: (d) => format(d.value), dy: -10 })]
					: []),
				Plot.ruleY([0])
			]
		},
		{ title, description: bars.map((bar) => `${bar.label}: ${format(bar.value)}`).join('; ') }
	);
}
