import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import {
	decodeText,
	defuseFormula,
	detectDelimiter,
	parseCsv,
	readTable,
	TabularError,
	writeCsv,
	writeXlsx
} from './tabular.ts';
import { xlsxBomb } from './zip.test-utils.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('reading CSV files', () => {
	test('commas and semicolons are both recognised as the delimiter', async () => {
		expect(detectDelimiter('a,b,c\n1,2,3')).toBe(',');
		expect(detectDelimiter('nom;prénom;ville, pays\n')).toBe(';');
		const comma = await readTable('cases.csv', bytes('last_name,first_name\nGarnier,Hélène\n'));
		const semicolon = await readTable('cases.csv', bytes('last_name;first_name\r\nGarnier;Hélène\r\n'));
		expect(comma.table).toEqual({ headers: ['last_name', 'first_name'], rows: [['Garnier', 'Hélène']] });
		expect(semicolon.table).toEqual(comma.table);
	});

	test('quoted fields keep their delimiters, doubled quotes and line breaks', () => {
		const text = 'a;b;c\r\n"x;y";"he said ""hi""";"line 1\r\nline 2"\r\n';
		expect(parseCsv(text)).toEqual([
			['a', 'b', 'c'],
			['x;y', 'he said "hi"', 'line 1\r\nline 2']
		]);
	});

	test('a UTF-8 BOM is dropped and blank lines are ignored', async () => {
		const { table } = await readTable('x.csv', bytes('\uFEFFnom;commune\n\nGarnier;Éauze\n;\n'));
		expect(table).toEqual({ headers: ['nom', 'commune'], rows: [['Garnier', 'Éauze']] });
	});

	test('Windows-1252 bytes (Excel on French Windows) are decoded', async () => {
		// "commune\r\nÉauze\r\n" as written by Excel: É is 0xC9, not valid UTF-8.
		const file = new Uint8Array([
			...bytes('commune;nom\r\n'),
			0xc9,
			...bytes('auze;Andr'),
			0xe9,
			...bytes('\r\n')
		]);
		expect(decodeText(file).encoding).toBe('windows-1252');
		const { table } = await readTable('export.csv', file);
		expect(table.rows).toEqual([['Éauze', 'André']]);
	});

	test('short rows are padded to the header and empty files refused', async () => {
		const { table } = await readTable('x.csv', bytes('a,b,c\n1\n'));
		expect(table.rows).toEqual([['1', '', '']]);
		await expect(readTable('x.csv', new Uint8Array())).rejects.toBeInstanceOf(TabularError);
		await expect(readTable('x.pdf', bytes('%PDF-1.4'))).rejects.toMatchObject({
			reason: 'unsupported_format'
		});
		await expect(readTable('x.xlsx', bytes('not a zip'))).rejects.toMatchObject({
			reason: 'unreadable_file'
		});
	});
});

describe('reading XLSX files', () => {
	test('the first sheet is read, dates become ISO dates and numbers text', async () => {
		const workbook = new ExcelJS.Workbook();
		const sheet = workbook.addWorksheet('Dossiers');
		workbook.addWorksheet('Ignored').addRow(['nope']);
		sheet.addRow(['Nom', 'Date de contact', 'Taille du foyer', 'E-mail']);
		sheet.addRow([
			'Garnier',
			new Date(Date.UTC(2024, 2, 1)),
			3,
			{ text: 'helene@example.org', hyperlink: 'mailto:helene@example.org' }
		]);
		const file = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
		const { format, table } = await readTable('cases.xlsx', file);
		expect(format).toBe('xlsx');
		expect(table).toEqual({
			headers: ['Nom', 'Date de contact', 'Taille du foyer', 'E-mail'],
			rows: [['Garnier', '2024-03-01', '3', 'helene@example.org']]
		});
	});
});

describe('writing spreadsheets', () => {
	test('CSV for French Excel: BOM, semicolons, CRLF, quotes where needed, ISO dates', () => {
		const out = writeCsv(
			['nom', 'note', 'date'],
			[
				['Garnier', 'a;b "c"', { date: '2024-03-01' }],
				['Durand', null, null]
			]
		);
		expect([...out.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(out)).toBe(
			'\uFEFFnom;note;date\r\nGarnier;"a;b ""c""";2024-03-01\r\nDurand;;\r\n'
		);
	});

	test('text a spreadsheet would run as a formula gets an apostrophe; plain negative numbers stay numbers', () => {
		for (const text of ['=1+1', '+33 6', '@SUM(A1)', '-A1', '-1+1', '\t=1', '\r=1', '-'])
			expect(defuseFormula(text)).toBe(`'${text}`);
		for (const text of ['-12', '-3,5', '-0.25', 'Garnier', "l'=x", ' =1', ''])
			expect(defuseFormula(text)).toBe(text);
		const out = new TextDecoder().decode(writeCsv(['a', 'b', 'c'], [['=1+1', -2.5, '-2.5']]));
		expect(out).toBe("a;b;c\r\n'=1+1;-2,5;-2.5\r\n");
	});

	test('an XLSX written here reads back the same table, with a bold header and real dates', async () => {
		const out = await writeXlsx('Cases', ['nom', 'date', 'n'], [['Garnier', { date: '2024-03-01' }, 3]]);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(out as unknown as ArrayBuffer);
		const sheet = workbook.worksheets[0];
		expect(sheet.getRow(1).font?.bold).toBe(true);
		expect(sheet.getCell('B2').value).toBeInstanceOf(Date);
		const { table } = await readTable('cases.xlsx', out);
		expect(table).toEqual({ headers: ['nom', 'date', 'n'], rows: [['Garnier', '2024-03-01', '3']] });
	});
});

describe('reading within limits', () => {
	const reasonOf = async (work: Promise<unknown>) =>
		work.then(
			() => null,
			(error: unknown) => (error instanceof TabularError ? error.reason : error)
		);

	test('an XLSX that unpacks to 116 MB is refused from its zip directory, before anything is unpacked', async () => {
		const bomb = xlsxBomb(116);
		expect(bomb.length).toBeLessThan(1024 * 1024);
		expect(await reasonOf(readTable('bomb.xlsx', bomb))).toBe('too_large_uncompressed');
	});

	test('a zip that lies about its sizes is refused once inflating passes the limit, memory kept low', async () => {
		const bomb = xlsxBomb(116, { isLying: true });
		const before = process.memoryUsage().rss;
		expect(await reasonOf(readTable('liar.xlsx', bomb))).toBe('too_large_uncompressed');
		// The ceiling (50 MB) bounds what inflating may hold; exceljs never sees the file.
		expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
	});

	test('a part compressed far more than a spreadsheet is (over the ratio) is refused, even under the size limit', async () => {
		expect(await reasonOf(readTable('dense.xlsx', xlsxBomb(20), { maxCompressionRatio: 50 }))).toBe(
			'too_large_uncompressed'
		);
	});

	test('a CSV with 100,000 columns is refused at its 201st column, before the table is built', async () => {
		const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(';');
		const error = await readTable('wide.csv', bytes(`${header}\r\n${header}\r\n`)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TabularError);
		expect((error as TabularError).reason).toBe('too_many_columns');
		expect((error as TabularError).limit).toBe(200);
		expect((await readTable('ok.csv', bytes('a;b\r\n1;2\r\n'), { maxColumns: 2 })).table.headers).toEqual([
			'a',
			'b'
		]);
	});

	test('rows over the limit are refused while parsing, in CSV and XLSX', async () => {
		const csv = ['a;b', ...Array.from({ length: 11 }, (_, i) => `${i};x`)].join('\r\n');
		expect(await reasonOf(readTable('long.csv', bytes(csv), { maxRows: 10 }))).toBe('too_many_rows');
		expect((await readTable('ten.csv', bytes(csv), { maxRows: 11 })).table.rows).toHaveLength(11);
		const xlsx = await writeXlsx(
			'S',
			['a'],
			Array.from({ length: 11 }, (_, i) => [i])
		);
		expect(await reasonOf(readTable('long.xlsx', xlsx, { maxRows: 10 }))).toBe('too_many_rows');
		expect(await reasonOf(readTable('wide.xlsx', xlsx, { maxColumns: 0 }))).toBe('too_many_columns');
	});

	test('reading past the time budget stops with too_slow', async () => {
		const csv = ['a;b', ...Array.from({ length: 5000 }, (_, i) => `${i};x`)].join('\r\n');
		expect(await reasonOf(readTable('slow.csv', bytes(csv), { timeBudgetMs: -1 }))).toBe('too_slow');
	});
});
