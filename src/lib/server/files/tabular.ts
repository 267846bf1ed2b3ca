import ExcelJS from 'exceljs';

/*
 * Spreadsheets in and out: CSV (comma or semicolon, UTF-8 or Windows-1252, quoted fields,
 * CRLF) and XLSX (first sheet). Every cell is read as text; XLSX dates become ISO dates
 * (YYYY-MM-DD). Writing targets French Excel: CSV in UTF-8 with a BOM, `;`, CRLF.
 */

export type TabularFormat = 'csv' | 'xlsx';

/** A table as read from a file: the header row and the data rows, all cells as trimmed text. */
export type Table = { headers: string[]; rows: string[][] };

export class TabularError extends Error {
	constructor(
		readonly reason: 'unsupported_format' | 'unreadable_file' | 'empty_file',
		message: string
	) {
		super(message);
		this.name = 'TabularError';
	}
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** The format of a file, from its first bytes (XLSX is a zip) and then its name. */
export function detectFormat(fileName: string, bytes: Uint8Array): TabularFormat {
	const isZip = ZIP_MAGIC.every((byte, index) => bytes[index] === byte);
	const lower = fileName.toLowerCase();
	if (isZip) {
		if (lower.endsWith('.xlsx') || !/\.(csv|txt)$/.test(lower)) return 'xlsx';
		throw new TabularError('unreadable_file', `${fileName} is a zip archive, not a CSV file`);
	}
	if (lower.endsWith('.xlsx'))
		throw new TabularError('unreadable_file', `${fileName} is not a readable XLSX file`);
	if (/\.(xls|ods|numbers|pdf|docx?)$/.test(lower)) {
		throw new TabularError('unsupported_format', `${fileName}: only CSV and XLSX files are read`);
	}
	// A binary file (NUL bytes) is not text.
	if (bytes.subarray(0, 4096).includes(0)) {
		throw new TabularError('unsupported_format', `${fileName} is not a text file`);
	}
	return 'csv';
}

/**
 * Text of a CSV file: UTF-8 (with or without BOM) when the bytes are valid UTF-8,
 * Windows-1252 otherwise (what Excel writes on French Windows).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
	const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	const body = hasBom ? bytes.subarray(3) : bytes;
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
	} catch {
		return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252' };
	}
}

/** `;` or `,` (or a tab): the one found most often outside quotes in the first line. */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
	const counts = { ',': 0, ';': 0, '\t': 0 };
	let quoted = false;
	for (const char of text) {
		if (char === '"') quoted = !quoted;
		else if (!quoted && (char === '\n' || char === '\r')) break;
		else if (!quoted && char in counts) counts[char as keyof typeof counts]++;
	}
	if (counts['\t'] > counts[';'] && counts['\t'] > counts[',']) return '\t';
	return counts[';'] >= counts[','] && counts[';'] > 0 ? ';' : ',';
}

/** RFC 4180 records: quoted fields may hold the delimiter, doubled quotes and line breaks. */
export function parseCsv(text: string, delimiter = detectDelimiter(text)): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let quoted = false;
	let i = 0;
	const n = text.length;
	while (i < n) {
		const char = text[i];
		if (quoted) {
			if (char === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i += 2;
					continue;
				}
				quoted = false;
				i++;
				continue;
			}
			field += char;
			i++;
			continue;
		}
		if (char === '"' && field.length === 0) {
			quoted = true;
			i++;
		} else if (char === delimiter) {
			record.push(field);
			field = '';
			i++;
		} else if (char === '\n' || char === '\r') {
			record.push(field);
			records.push(record);
			record = [];
			field = '';
			i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
		} else {
			field += char;
			i++;
		}
	}
	if (field.length > 0 || record.length > 0) {
		record.push(field);
		records.push(record);
	}
	return records;
}

/** Header + rows with trimmed cells, rows padded to the header's width, blank rows dropped. */
function toTable(records: string[][]): Table {
	const cleaned = records
		.map((record) => record.map((cell) => cell.trim()))
		.filter((record) => record.some((cell) => cell !== ''));
	if (cleaned.length === 0) throw new TabularError('empty_file', 'The file has no header row');
	const [headers, ...rows] = cleaned;
	// Excel leaves trailing empty header cells when columns were cleared.
	while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
	const width = headers.length;
	return {
		headers,
		rows: rows.map((row) => {
			const cells = row.slice(0, Math.max(width, row.length));
			while (cells.length < width) cells.push('');
			return cells.slice(0, width);
		})
	};
}

export function readCsv(bytes: Uint8Array): Table {
	const { text } = decodeText(bytes);
	return toTable(parseCsv(text));
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (date: Date) =>
	`${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

/** The text of an XLSX cell value: dates as ISO dates, rich text joined, formulas by their result. */
function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return isoDate(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value === 'string') return value;
	if (typeof value === 'object') {
		if ('richText' in value) return value.richText.map((part) => part.text).join('');
		if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text);
		if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
		if ('error' in value) return '';
	}
	return String(value);
}

export async function readXlsx(bytes: Uint8Array): Promise<Table> {
	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	} catch (error) {
		throw new TabularError('unreadable_file', `Not a readable XLSX file: ${(error as Error).message}`);
	}
	const sheet = workbook.worksheets[0];
	if (!sheet) throw new TabularError('empty_file', 'The workbook has no sheet');
	const records: string[][] = [];
	sheet.eachRow({ includeEmpty: true }, (row) => {
		const cells: string[] = [];
		for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.getCell(column).value));
		records.push(cells);
	});
	return toTable(records);
}

/** Reads a CSV or XLSX file into a table. */
export async function readTable(
	fileName: string,
	bytes: Uint8Array
): Promise<{ format: TabularFormat; table: Table }> {
	if (bytes.length === 0) throw new TabularError('empty_file', `${fileName} is empty`);
	const format = detectFormat(fileName, bytes);
	return { format, table: format === 'xlsx' ? await readXlsx(bytes) : readCsv(bytes) };
}

/* ------------------------------------------------------------------ writing */

/** A cell to write: text, a number, a calendar date (ISO string typed as date) or nothing. */
export type OutCell = string | number | { date: string } | null;

const quoteCsv = (text: string) => (/[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** CSV for French Excel: UTF-8 with BOM, `;`, CRLF; dates as ISO dates. */
export function writeCsv(headers: string[], rows: OutCell[][]): Uint8Array {
	const lines = [headers, ...rows].map((row) =>
		row
			.map((cell) => {
				if (cell === null) return '';
				if (typeof cell === 'object') return cell.date;
				return quoteCsv(String(cell));
			})
			.join(';')
	);
	return new TextEncoder().encode('\uFEFF' + lines.join('\r\n') + '\r\n');
}

/** One sheet, bold header row, dates as real dates (shown yyyy-mm-dd), frozen header. */
export async function writeXlsx(
	sheetName: string,
	headers: string[],
	rows: OutCell[][]
): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.addRow(headers).font = { bold: true };
	for (const row of rows) {
		const added = sheet.addRow(
			row.map((cell) =>
				cell !== null && typeof cell === 'object' ? new Date(`${cell.date}T00:00:00Z`) : cell
			)
		);
		row.forEach((cell, index) => {
			if (cell !== null && typeof cell === 'object') added.getCell(index + 1).numFmt = 'yyyy-mm-dd';
		});
	}
	sheet.columns.forEach((column, index) => {
		column.width = Math.min(40, Math.max(10, headers[index]?.length ?? 10) + 2);
	});
	const buffer = await workbook.xlsx.writeBuffer();
	return new Uint8Array(buffer as ArrayBuffer);
}
