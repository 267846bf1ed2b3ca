import { expect, test } from 'vitest';
import { curvePoints, survivalChart } from './durability.charts.ts';
import { survivalCurve, type DurabilityObservation } from './durability.rules.ts';

const observation = (days: number, event: boolean): DurabilityObservation => ({
	caseId: 'x',
	start: '2020-01-01',
	end: '2020-01-01',
	time: days / 365.25,
	event,
	endsAt: event ? 'event' : 'sign_of_life',
	cohort: 2020,
	status: null
});

test('a curve is drawn from 100 % at time 0 through its events to its last time, bands collapsing where undefined', () => {
	const curve = survivalCurve([
		observation(366, true),
		observation(731, false),
		observation(1096, true),
		observation(0, false),
		observation(2192, false),
		observation(366, true)
	]);
	const points = curvePoints('all', curve);
	expect(points.map((p) => [Math.round(p.time * 365.25), p.survival])).toEqual([
		[0, 1],
		[366, 0.6],
		[1096, 0.3],
		[2192, 0.3]
	]);
	expect(points[0]).toMatchObject({ lower: 1, upper: 1 });
	expect(points[1].lower).toBeCloseTo(0.12573, 5);
	const svg = survivalChart([{ label: 'all', curve }], {
		title: 'Still here',
		description: '1 year: 100 %',
		xLabel: 'Years',
		yLabel: 'Still here'
	})!;
	expect(svg).toContain('role="img"');
	expect(svg).toContain('aria-label="Still here"');
	expect(svg).toContain('<desc>1 year: 100 %</desc>');
});

test('a large programme is drawn with at most about one point per pixel; nobody gives no chart', () => {
	const many = Array.from({ length: 20_000 }, (_, i) => observation(i % 5000, i % 3 === 0));
	const points = curvePoints('all', survivalCurve(many));
	expect(points.length).toBeLessThanOrEqual(801);
	expect(points[0].time).toBe(0);
	expect(points.at(-1)!.time).toBeCloseTo(4999 / 365.25, 10);
	expect(
		survivalChart([{ label: 'none', curve: survivalCurve([]) }], {
			title: 't',
			description: 'd',
			xLabel: 'x',
			yLabel: 'y'
		})
	).toBeNull();
});
