import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { decodeText, frenchNumber, parseCsv } from '../../files/tabular.ts';
import { sectionTables, writeFrenchCsv, writeWorkbook } from './exports.rules.ts';

const booleans = { yes: 'oui', no: 'non' };

describe('observatory exports: tables and files', () => {
	test('a section becomes a summary of its single figures and one table per list of records', () => {
		const tables = sectionTables({
			period: { from: 2024, to: 2025 },
			stillOpen: 3,
			labels: ['a', 'b'],
			steps: [
				{ stage: 'contact', count: 10, fromPrevious: null, fromContact: { proportion: 1, lower: 0.7 } },
				{
					stage: 'installed',
					count: 4,
					fromPrevious: { proportion: 0.4, lower: 0.1 },
					fromContact: { proportion: 0.4, lower: 0.1 }
				}
			],
			tables: [{ dimension: 'status', rows: [{ value: 'freelancer', contacts: 2 }], unknown: 1 }]
		});
		expect(tables.map((table) => table.name)).toEqual(['summary', 'steps', 'tables.status.rows', 'tables']);
		expect(tables[0].rows).toEqual([
			['period.from', 2024],
			['period.to', 2025],
			['stillOpen', 3],
			['labels', 'a, b']
		]);
		// A null nested object adds no column of its own.
		expect(tables[1].columns).toEqual([
			'stage',
			'count',
			'fromContact.proportion',
			'fromContact.lower',
			'fromPrevious.proportion',
			'fromPrevious.lower'
		]);
		expect(tables[1].rows[0]).toEqual(['contact', 10, 1, 0.7, null, null]);
		expect(tables[2]).toEqual({
			name: 'tables.status.rows',
			columns: ['value', 'contacts'],
			rows: [['freelancer', 2]]
		});
		expect(tables[3]).toEqual({ name: 'tables', columns: ['dimension', 'unknown'], rows: [['status', 1]] });
	});

	test('numbers are written as French Excel reads them: decimal comma, no exponent, nothing for NaN', () => {
		expect(frenchNumber(1234.5)).toBe('1234,5');
		expect(frenchNumber(2 / 3)).toBe('0,666666666667');
		expect(frenchNumber(-0.25)).toBe('-0,25');
		expect(frenchNumber(1e-9)).toBe('0,000000001');
		expect(frenchNumber(42)).toBe('42');
		expect(frenchNumber(Number.NaN)).toBe('');
	});

	test('the CSV has a BOM, semicolons, CRLF, quoted fields, defused formulas and translated booleans', () => {
		const body = writeFrenchCsv({
			preamble: [['Programme', 'Gers; Lot']],
			tables: [{ name: 'steps', columns: ['a', 'b', 'c', 'd'], rows: [['=1+1', 0.5, true, 'dit "oui"']] }],
			booleans
		});
		expect([...body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = decodeText(body).text;
		expect(text).toBe('Programme;"Gers; Lot"\r\n\r\nsteps\r\na;b;c;d\r\n\'=1+1;0,5;oui;"dit ""oui"""\r\n');
		expect(parseCsv(text, ';')[4]).toEqual(["'=1+1", '0,5', 'oui', 'dit "oui"']);
	});

	test('the workbook has the preamble first and one sheet per table, with unique valid names', async () => {
		const long = 'Hypothèses · Valeurs · Tranches de revenu';
		const body = await writeWorkbook({
			preamble: [['Programme', 'Gers']],
			preambleSheet: 'À propos',
			tables: [
				{ name: long, columns: ['x'], rows: [[1.5]] },
				{ name: long, columns: ['y'], rows: [[false]] },
				{ name: 'a/b:c', columns: ['z'], rows: [[null]] }
			],
			booleans
		});
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(body as unknown as ArrayBuffer);
		const names = workbook.worksheets.map((sheet) => sheet.name);
		expect(names[0]).toBe('À propos');
		expect(new Set(names).size).toBe(4);
		expect(names.every((name) => name.length <= 31 && !/[[\]:*?/\\]/.test(name))).toBe(true);
		expect(workbook.worksheets[1].getRow(2).getCell(1).value).toBe(1.5);
		expect(workbook.worksheets[2].getRow(2).getCell(1).value).toBe('non');
	});
});
