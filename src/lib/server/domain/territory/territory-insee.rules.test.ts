import { describe, expect, test } from 'vitest';
import {
	countAavCategories,
	padAavCode,
	padCantonCode,
	padCommuneCode,
	parseCantonTable,
	parseInseeCommuneTable,
	planInseeAttributes
} from './territory-insee.rules.ts';

describe('INSEE commune attributes', () => {
	test('codes that lost their leading zeros in a spreadsheet get them back; letter codes stay', () => {
		expect(padCommuneCode('1001')).toBe('01001');
		expect(padCommuneCode('32013')).toBe('32013');
		expect(padCommuneCode('2a004')).toBe('2A004');
		expect(padAavCode('5')).toBe('005');
		expect(padAavCode('0')).toBe('000');
		expect(padAavCode('GEN')).toBe('GEN');
		expect(padCantonCode('108')).toBe('0108');
		expect(padCantonCode('3205')).toBe('3205');
	});

	test('the commune table is read by column name, categories outside the INSEE list become null', () => {
		const parsed = parseInseeCommuneTable({
			headers: ['CODGEO', 'LIBGEO', 'CV', 'AAV2020', 'CATEAAV2020'],
			rows: [
				['1001', "L'Abergement-Clémenciat", '108', '524', '20'],
				['32013', 'Auch', '3299', '145', '11'],
				['', 'no code', '', '', ''],
				['32999', 'Odd', '3201', '0', '99']
			]
		});
		expect(parsed).toEqual({
			ok: true,
			skipped: 1,
			rows: [
				{
					code: '01001',
					name: "L'Abergement-Clémenciat",
					cantonCode: '0108',
					aavCode: '524',
					aavCategory: '20'
				},
				{ code: '32013', name: 'Auch', cantonCode: '3299', aavCode: '145', aavCategory: '11' },
				{ code: '32999', name: 'Odd', cantonCode: '3201', aavCode: '000', aavCategory: null }
			]
		});
	});

	test("INSEE's own spreadsheet puts title lines above the header: the header row is found", () => {
		const parsed = parseInseeCommuneTable({
			headers: ["Table d'appartenance géographique des communes", ''],
			rows: [
				['Géographie au 01/01/2022', ''],
				['CODGEO', 'CATEAAV2020'],
				['32013', '11']
			]
		});
		expect(parsed.ok && parsed.rows).toEqual([
			{ code: '32013', name: null, aavCode: null, aavCategory: '11', cantonCode: null }
		]);
	});

	test('a table without commune code or without any attribute column says what is missing', () => {
		expect(parseInseeCommuneTable({ headers: ['a', 'b'], rows: [] })).toEqual({
			ok: false,
			missing: ['CODGEO'],
			found: ['a', 'b']
		});
		expect(parseInseeCommuneTable({ headers: ['CODGEO', 'LIBGEO'], rows: [] })).toMatchObject({ ok: false });
	});

	test('the cantons file gives each canton its bureau centralisateur, in both column spellings', () => {
		expect(
			parseCantonTable({ headers: ['code', 'name', 'capital_code'], rows: [['3205', 'Auch-2', '32013']] })
		).toEqual({ ok: true, cantons: [{ code: '3205', seatCode: '32013' }] });
		expect(parseCantonTable({ headers: ['CAN', 'DEP', 'BURCENTRAL'], rows: [['101', '1', '1004']] })).toEqual(
			{
				ok: true,
				cantons: [{ code: '0101', seatCode: '01004' }]
			}
		);
	});

	test('only imported communes are updated; a former commune passes its row to its successor unless the successor has its own', () => {
		const row = (code: string, aavCategory: '11' | '20' | '30') => ({
			code,
			name: null,
			aavCode: '145',
			aavCategory,
			cantonCode: '3201'
		});
		const plan = planInseeAttributes({
			rows: [
				row('32013', '11'),
				row('32074', '20'),
				row('32344', '30'),
				row('32500', '20'),
				row('31555', '11')
			],
			communeCodes: ['32013', '32344', '32400', '32600'],
			formerCommunes: [
				{ code: '32074', communeCode: '32344' },
				{ code: '32500', communeCode: '32600' }
			],
			cantonSeats: new Set(['32013'])
		});
		expect(plan.matched).toBe(2);
		expect(plan.unknown).toBe(1);
		expect(plan.mappedFromFormer).toEqual([{ code: '32500', into: '32600' }]);
		expect(plan.superseded).toBe(1);
		expect(plan.missing).toEqual(['32400']);
		expect(plan.updates).toEqual([
			{ code: '32013', aavCode: '145', aavCategory: '11', cantonCode: '3201', isCantonSeat: true },
			{ code: '32344', aavCode: '145', aavCategory: '30', cantonCode: '3201', isCantonSeat: false },
			{ code: '32600', aavCode: '145', aavCategory: '20', cantonCode: '3201', isCantonSeat: false }
		]);
		expect(countAavCategories(plan.updates)).toEqual({
			'11': 1,
			'12': 0,
			'13': 0,
			'20': 1,
			'30': 1,
			none: 0
		});
	});

	test('without a cantons file the seat flag is left out, so the stored one is kept', () => {
		const plan = planInseeAttributes({
			rows: [{ code: '32013', name: null, aavCode: null, aavCategory: '11', cantonCode: null }],
			communeCodes: ['32013'],
			formerCommunes: [],
			cantonSeats: null
		});
		expect(plan.updates[0]).not.toHaveProperty('isCantonSeat');
	});
});
