import { CHART_FONT_SIZE, CHART_WIDTH, MAX_LABEL_LENGTH, seriesColours } from '../../charts/palette.ts';
import { Plot, renderPlot } from '../../charts/plot.ts';

/** One programme on a comparison chart: a bar when the figure is shown, else only its text. */
export type ComparisonBar = {
	label: string;
	/** Null when the figure is withheld, not observable or absent: no bar, the text says why. */
	value: number | null;
	/** The interval (shares) or quartiles (days), drawn as a black line across the bar's end. */
	lower: number | null;
	upper: number | null;
	/** What is written at the end of the bar (the value) or in its place (why there is none). */
	text: string;
};

const shortLabel = (label: string) =>
	label.length > MAX_LABEL_LENGTH ? `${label.slice(0, MAX_LABEL_LENGTH - 1).trimEnd()}…` : label;

/**
 * One indicator of the comparison, one horizontal bar per programme in the Okabe–Ito colours (a
 * programme keeps its colour on every chart), with its interval as a line; programmes without a
 * figure keep their row, with the reason written in place of the bar.
 */
export function comparisonChart({
	bars,
	title,
	percent = false,
	tickFormat
}: {
	bars: readonly ComparisonBar[];
	title: string;
	/** Shares from 0 to 1: the axis runs to 100 %. */
	percent?: boolean;
	tickFormat?: (value: number) => string;
}): string {
	const colours = seriesColours(bars.length);
	const rows = bars.map((bar, i) => ({ ...bar, label: shortLabel(bar.label), colour: colours[i] }));
	const shown = rows.filter((row) => row.value !== null);
	const intervals = shown.filter((row) => row.lower !== null && row.upper !== null);
	const max = Math.max(0, ...shown.map((row) => Math.max(row.value ?? 0, row.upper ?? 0)));
	const longest = Math.max(4, ...rows.map((row) => row.label.length));
	return renderPlot(
		{
			width: CHART_WIDTH,
			height: 56 + rows.length * 44,
			marginLeft: Math.min(320, 24 + Math.round(longest * CHART_FONT_SIZE * 0.55)),
			marginRight: 200,
			style: { fontSize: `${CHART_FONT_SIZE}px` },
			x: {
				grid: true,
				label: null,
				domain: [0, percent ? 1 : Math.max(1, max * 1.05)],
				tickFormat,
				ticks: 5
			},
			y: { label: null, domain: rows.map((row) => row.label) },
			marks: [
				Plot.barX(shown, { y: 'label', x: 'value', fill: 'colour' }),
				Plot.ruleY(intervals, { y: 'label', x1: 'lower', x2: 'upper', stroke: '#000000', strokeWidth: 2 }),
				Plot.tickX(intervals, { y: 'label', x: 'lower', stroke: '#000000', strokeWidth: 2 }),
				Plot.tickX(intervals, { y: 'label', x: 'upper', stroke: '#000000', strokeWidth: 2 }),
				Plot.text(rows, {
					y: 'label',
					x: (row: (typeof rows)[number]) => (row.value === null ? 0 : Math.max(row.value, row.upper ?? 0)),
					text: 'text',
					textAnchor: 'start',
					dx: 6
				}),
				Plot.ruleX([0])
			]
		},
		{ title, description: bars.map((bar) => `${bar.label}: ${bar.text}`).join('; ') }
	);
}
