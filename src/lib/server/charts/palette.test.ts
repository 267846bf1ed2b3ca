import { describe, expect, test } from 'vitest';
import {
	CHART_FONT_SIZE,
	groupedBars,
	horizontalBars,
	OKABE_ITO,
	seriesColours,
	yearColumns
} from './palette.ts';

const format = (value: number) => String(value);

describe('observatory charts', () => {
	test('series take distinct Okabe–Ito colours', () => {
		const colours = seriesColours(3);
		expect(new Set(colours).size).toBe(3);
		for (const colour of colours) expect(OKABE_ITO).toContain(colour);
	});

	test('bars are drawn with 14-unit text, long labels shortened on the chart and whole in its description', () => {
		const long = 'Cadres et professions intellectuelles supérieures';
		const svg = horizontalBars({
			bars: [
				{ label: long, value: 12 },
				{ label: 'Artisans', value: 3 }
			],
			title: 'PCS',
			format
		});
		expect(svg).toContain(`style="font-size:${CHART_FONT_SIZE}px"`);
		expect(svg).toContain(OKABE_ITO[0]);
		expect(svg).toMatch(/Cadres et professions intellect[^<]*…/);
		expect(svg).toContain(`<desc>${long}: 12; Artisans: 3</desc>`);
	});

	test('two series side by side get a legend; years read as columns', () => {
		const grouped = groupedBars({
			rows: [
				{ label: 'Artiste', series: 'Contacts', value: 0.2 },
				{ label: 'Artiste', series: 'Installations', value: 0.1 }
			],
			labels: ['Artiste'],
			series: ['Contacts', 'Installations'],
			title: 'Statut',
			format,
			percent: true
		});
		expect(grouped).toContain(OKABE_ITO[0]);
		expect(grouped).toContain(OKABE_ITO[1]);
		expect(grouped).toContain('Installations');
		const columns = yearColumns({
			bars: Array.from({ length: 20 }, (_, i) => ({ label: String(2007 + i), value: i })),
			title: 'Installations',
			format
		});
		// Twenty years: every other one labelled.
		expect(columns).toContain('>2007<');
		expect(columns).not.toContain('>2008<');
	});
});
