import { expect, test } from 'vitest';
import {
	contentsPagesParam,
	figureWidthEm,
	keepFiguresWhole,
	printedText,
	readContentsPages,
	splitWideTable
} from './report-layout.ts';

const waves = {
	caption: 'Survey indicators',
	head: ['Indicator', '6 months', '12 months', '24 months', '36 months', '60 months'],
	rows: [
		['Response rate', 'a6', 'a12', 'a24', 'a36', 'a60'],
		['Satisfaction', 'b6', 'b12', 'b24', 'b36', 'b60']
	]
};

test('a table wider than the page is cut into tables of fewer columns, each keeping its row headers', () => {
	const parts = splitWideTable(waves, 3);
	expect(parts).toEqual([
		{
			caption: 'Survey indicators (1/2)',
			head: ['Indicator', '6 months', '12 months', '24 months'],
			rows: [
				['Response rate', 'a6', 'a12', 'a24'],
				['Satisfaction', 'b6', 'b12', 'b24']
			],
			textColumns: undefined
		},
		{
			caption: 'Survey indicators (2/2)',
			head: ['Indicator', '36 months', '60 months'],
			rows: [
				['Response rate', 'a36', 'a60'],
				['Satisfaction', 'b36', 'b60']
			],
			textColumns: undefined
		}
	]);
	// Every cell is kept, once.
	expect(parts.flatMap((part) => part.rows.flatMap((row) => row.slice(1))).sort()).toEqual(
		waves.rows.flatMap((row) => row.slice(1)).sort()
	);
});

test('a table that fits is left whole, and a text column keeps its place in the part that holds it', () => {
	expect(splitWideTable(waves, 5)).toEqual([waves]);
	const verdicts = {
		caption: 'Tests',
		head: ['Comparison', 'Finding', 'p', 'n'],
		rows: [['Distance', 'Closer than the communes.', '0.01', '40']],
		textColumns: [1]
	};
	const [first, second] = splitWideTable(verdicts, 2);
	expect(first).toMatchObject({ head: ['Comparison', 'Finding', 'p'], textColumns: [1] });
	expect(second).toMatchObject({ head: ['Comparison', 'n'], textColumns: undefined });
});

test('figure cells never break inside a number or a sign, only before an interval', () => {
	const table = keepFiguresWhole({
		caption: 'c',
		head: ['Indicator', 'Finding', 'p', 'Rate'],
		rows: [['Some row name', 'A sentence that wraps.', '< 0,001', '36 % (28 %–44 %)']],
		textColumns: [1]
	});
	expect(table.rows[0]).toEqual([
		'Some row name',
		'A sentence that wraps.',
		'<\u00a00,001',
		'36\u00a0% (28\u00a0%–44\u00a0%)'
	]);
});

test('a key figure is never narrower, in ems, than its digits and signs: the longest ones included', () => {
	const fr = new Intl.NumberFormat('fr-FR');
	const euros = new Intl.NumberFormat('fr-FR', {
		style: 'currency',
		currency: 'EUR',
		maximumFractionDigits: 0
	});
	// Source Sans 3 semibold: tabular digits are 0.5 em wide, the euro sign about as much.
	for (const value of [fr.format(999_999_999_999), euros.format(999_999_999), '€999,999,999', '7'])
		expect(figureWidthEm(value)).toBeGreaterThanOrEqual(value.replace(/\D/g, '').length * 0.5);
	expect(figureWidthEm(fr.format(999_999_999_999))).toBeGreaterThan(figureWidthEm(fr.format(999_999)));
	expect(figureWidthEm('')).toBe(1);
});

test('French sentences keep "95 %" and « quotes » whole at a line end; English ones are left as they are', () => {
	expect(printedText('fr', 'à 95 % (« oui » parmi oui : non)')).toBe(
		'à 95\u00a0% («\u00a0oui\u00a0» parmi oui\u00a0: non)'
	);
	expect(printedText('en', 'at 95 % ("yes")')).toBe('at 95 % ("yes")');
});

test('the contents’ page numbers go into the printed report’s address and come back, sorted, malformed parts left out', () => {
	const param = contentsPagesParam({
		'section-funnel': 5,
		'report-method': 12,
		'section-flows': 3,
		'bad name': 4
	});
	expect(param).toBe('report-method:12,section-flows:3,section-funnel:5');
	expect(readContentsPages(param)).toEqual({ 'report-method': 12, 'section-flows': 3, 'section-funnel': 5 });
	expect(readContentsPages('section-flows:0,section-x:1000,:3,section-y:two,section-z:7')).toEqual({
		'section-z': 7
	});
	expect(readContentsPages(null)).toEqual({});
});
