import { describe, expect, test } from 'vitest';
import { Plot, renderPlot } from './plot.ts';

describe('charts rendered on the server', () => {
	test('a bar chart of installations per year is an accessible SVG with one bar per year', () => {
		const data = [
			{ year: '2024', installations: 12 },
			{ year: '2025', installations: 19 },
			{ year: '2026', installations: 7 }
		];
		const svg = renderPlot(
			{ marks: [Plot.barY(data, { x: 'year', y: 'installations' })] },
			{ title: 'Installations per year', description: '2024: 12, 2025: 19, 2026: 7' }
		);
		expect(svg.startsWith('<svg')).toBe(true);
		expect(svg).toContain('role="img"');
		expect(svg).toContain('aria-label="Installations per year"');
		expect(svg).toContain('<desc>2024: 12, 2025: 19, 2026: 7</desc>');
		expect(svg.match(/<rect/g)?.length).toBe(3);
		expect(svg).toContain('>2025<');
	});

	test('a chart with a legend is a figure whose chart SVG carries the accessible name', () => {
		const svg = renderPlot(
			{
				color: { legend: true },
				marks: [
					Plot.lineY(
						[
							{ t: 0, s: 1, g: 'a' },
							{ t: 1, s: 0.8, g: 'a' }
						],
						{ x: 't', y: 's', stroke: 'g' }
					)
				]
			},
			{ title: 'Survival' }
		);
		expect(svg.startsWith('<figure')).toBe(true);
		expect(svg).toMatch(/<svg[^>]*aria-label="Survival"/);
		expect(svg).toContain('<path');
	});
});
