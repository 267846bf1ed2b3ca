import { expect, test } from 'vitest';
import { buildReportBlock, reportYear, sectionPagePath } from './report.server.ts';

test('the report year defaults to the last full year and refuses anything but a 4-digit year', () => {
	const now = new Date('2026-11-26T09:00:00Z');
	expect(reportYear(null, now)).toBe(2025);
	expect(reportYear(' ', now)).toBe(2025);
	expect(reportYear('2019', now)).toBe(2019);
	expect(reportYear('20x9', now)).toBeNull();
	expect(reportYear('1850', now)).toBeNull();
});

test('a section without a dedicated summary is listed by its numbers (not its lists), with a link to its page', () => {
	const block = buildReportBlock(
		'newcomers',
		{ period: { from: 2025, to: 2025 }, total: 1234.5, label: 'x', nested: { share: 0.25 }, rows: [1, 2] },
		{ locale: 'en', year: 2025, history: null, durabilityToDate: null }
	);
	expect(block).toMatchObject({
		name: 'newcomers',
		title: 'newcomers',
		href: '/backoffice/observatory/newcomers',
		isGeneric: true,
		figures: [
			{ label: 'total', value: '1,234.5' },
			{ label: 'nested.share', value: '0.25' }
		]
	});
	expect(sectionPagePath('flows')).toBe('/backoffice/observatory/flows');
});

test('the integration waves are cut into tables of three waves for A4, and figures carry their width for sizing', () => {
	const wave = (waveMonths: number) => {
		const rate = { proportion: 0.5, lower: 0.2, upper: 0.8 };
		return {
			waveMonths,
			responseRate: rate,
			livingHere: rate,
			localClients: rate,
			intentionToStay: rate,
			satisfaction: { satisfied: rate }
		};
	};
	const integration = {
		householdsInvited: 27,
		businesses: { created: 4 },
		attribution: { waveMonths: 12, atWave: { decisive: null } },
		waves: [6, 12, 24, 36, 60].map(wave)
	};
	const block = buildReportBlock('integration', integration, {
		locale: 'fr',
		year: 2025,
		history: null,
		durabilityToDate: null
	});
	expect(block.tables.map((table) => table.head.length)).toEqual([4, 3]);
	expect(block.tables[1]?.head.slice(1)).toEqual(['36 mois', '60 mois']);
	// No space to break a rate from its sign: only the one before the interval.
	expect(block.tables[0]?.rows[0]?.[1]).toBe('50\u00a0% (20\u00a0%–80\u00a0%)');
	expect(block.figures[0]).toMatchObject({ value: '27', widthEm: 1.04 });
});
