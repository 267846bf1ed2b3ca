import { Plot, renderPlot } from '../../charts/plot.ts';
import { CHART_WIDTH, OKABE_ITO } from '../../charts/palette.ts';
import type { SurvivalCurve } from './durability.rules.ts';

/** A curve to draw, with its legend label. */
export type LabelledCurve = { label: string; curve: SurvivalCurve };

/** Okabe–Ito: distinct for colour-blind readers. */
const PALETTE = OKABE_ITO;

/** Beyond this many censoring marks on a chart, none is drawn. */
const MAX_CENSOR_MARKS = 600;

type Point = { group: string; time: number; survival: number; lower: number; upper: number };

/**
 * The points of a Kaplan–Meier step curve from time 0 (Ŝ = 1) to the last observed time; where a
 * bound is undefined (Ŝ = 1 or 0 on the log-log scale), the band collapses onto the curve.
 */
export function curvePoints(label: string, curve: SurvivalCurve): Point[] {
	const points: Point[] = [{ group: label, time: 0, survival: 1, lower: 1, upper: 1 }];
	// The curve and its band change only at events: other steps (censorings) add nothing to draw
	// but the last one, which ends the curve. Large programmes keep light SVGs this way.
	const last = curve.steps.length - 1;
	for (const [i, step] of curve.steps.entries()) {
		if (step.nEvent === 0 && i !== last) continue;
		points.push({
			group: label,
			time: step.time,
			survival: step.survival,
			lower: step.lower ?? step.survival,
			upper: step.upper ?? step.survival
		});
	}
	return thin(points);
}

/** At most this many points per curve: about one per horizontal pixel of the chart. */
const MAX_POINTS = 800;

/**
 * Keeps the last point of each of MAX_POINTS equal slices of time (and the first point), so a
 * curve of 100,000 households draws the same shape at the chart's resolution; the tables beside
 * the chart keep every exact value.
 */
function thin(points: Point[]): Point[] {
	if (points.length <= MAX_POINTS) return points;
	const end = points[points.length - 1].time || 1;
	const kept: Point[] = [points[0]];
	let slice = -1;
	for (let i = 1; i < points.length; i++) {
		const current = Math.floor((points[i].time / end) * (MAX_POINTS - 1));
		if (current === slice) kept[kept.length - 1] = points[i];
		else {
			kept.push(points[i]);
			slice = current;
		}
	}
	return kept;
}

/**
 * Kaplan–Meier step curves with their 95 % confidence bands and a mark at each censoring, as a
 * server-rendered SVG (works without JavaScript, prints). Curves without anybody are left out.
 */
export function survivalChart(
	curves: readonly LabelledCurve[],
	{
		title,
		description,
		xLabel,
		yLabel
	}: { title: string; description: string; xLabel: string; yLabel: string }
): string | null {
	const drawn = curves.filter((c) => c.curve.n > 0);
	if (drawn.length === 0) return null;
	const points = drawn.flatMap((c) => curvePoints(c.label, c.curve));
	// Censoring marks (+), left out when there are too many to read (they would hide the curves).
	const marks = drawn.flatMap((c) =>
		c.curve.steps
			.filter((s) => s.nCensor > 0 && s.time > 0)
			.map((s) => ({ group: c.label, time: s.time, survival: s.survival }))
	);
	const censored = marks.length <= MAX_CENSOR_MARKS ? marks : [];
	const maxTime = Math.max(1, ...points.map((p) => p.time));
	const showLegend = drawn.length > 1;
	// Curves that stay high are drawn on a zoomed axis (its first tick says where it starts), down
	// to 10 points below the lowest bound, in steps of 10 %.
	const lowest = Math.min(...points.map((p) => p.lower));
	const floor = Math.max(0, Math.floor(lowest * 10) / 10 - 0.1);
	return renderPlot(
		{
			width: CHART_WIDTH,
			marginLeft: 48,
			marginBottom: 40,
			height: 300,
			x: { label: xLabel, domain: [0, Math.ceil(maxTime)], grid: true },
			y: { label: yLabel, domain: [floor, 1], grid: true, tickFormat: '.0%' },
			color: {
				legend: showLegend,
				domain: drawn.map((c) => c.label),
				range: PALETTE.slice(0, Math.max(1, drawn.length))
			},
			marks: [
				Plot.areaY(points, {
					x: 'time',
					y1: 'lower',
					y2: 'upper',
					z: 'group',
					fill: 'group',
					fillOpacity: 0.15,
					curve: 'step-after'
				}),
				Plot.lineY(points, {
					x: 'time',
					y: 'survival',
					z: 'group',
					stroke: 'group',
					strokeWidth: 2,
					curve: 'step-after'
				}),
				Plot.dot(censored, { x: 'time', y: 'survival', stroke: 'group', symbol: 'plus', r: 3 }),
				Plot.ruleY([floor])
			]
		},
		{ title, description }
	);
}
