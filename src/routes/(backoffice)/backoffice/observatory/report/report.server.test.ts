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
	expect(sectionPagePath('flows')).toBe('/backoffice/observatory');
});
