import { inflateRawSync } from 'node:zlib';
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
		readonly reason:
			| 'unsupported_format'
			| 'unreadable_file'
			| 'empty_file'
			/** An XLSX that unpacks to more than `maxUncompressedBytes`, or too compressed (a zip bomb). */
			| 'too_large_uncompressed'
			| 'too_many_columns'
			| 'too_many_rows'
			/** Reading took longer than `timeBudgetMs`. */
			| 'too_slow',
		message: string,
		/** The limit that was passed, in the unit of the reason (bytes, columns, rows, ms). */
		readonly limit?: number
	) {
		super(message);
		this.name = 'TabularError';
	}
}

/**
 * What reading a file may cost, checked before and while parsing, so that a small upload
 * cannot make the server unpack, hold or render far more than it: a 5 MB XLSX may unpack to
 * hundreds of MB of XML, a CSV line may hold 100,000 columns.
 */
export type ReadLimits = {
	/** Total size of an XLSX's files once unpacked. */
	maxUncompressedBytes: number;
	/** Largest unpacked/packed ratio of one XLSX part over 1 MB (XML compresses 5 to 30 times). */
	maxCompressionRatio: number;
	maxColumns: number;
	/** Data rows (the header row excluded). */
	maxRows: number;
	timeBudgetMs: number;
};

export const DEFAULT_READ_LIMITS: ReadLimits = {
	maxUncompressedBytes: 50 * 1024 * 1024,
	maxCompressionRatio: 200,
	maxColumns: 200,
	maxRows: 200_000,
	timeBudgetMs: 15_000
};

/** Throws too_slow once the budget is spent; called every few thousand records. */
function deadlineOf(limits: ReadLimits): () => void {
	const end = performance.now() + limits.timeBudgetMs;
	return () => {
		if (performance.now() > end) {
			throw new TabularError(
				'too_slow',
				`Reading the file took longer than ${limits.timeBudgetMs / 1000} s`,
				limits.timeBudgetMs
			);
		}
	};
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

const tooManyColumns = (max: number) =>
	new TabularError('too_many_columns', `The file has more than ${max} columns`, max);
const tooManyRows = (max: number) =>
	new TabularError('too_many_rows', `The file has more than ${max} rows`, max);

/**
 * RFC 4180 records: quoted fields may hold the delimiter, doubled quotes and line breaks.
 * With `limits`, a record over `maxColumns` fields or more than `maxRows` data records stops
 * the parse at once (before the rest of the file is held in memory).
 */
export function parseCsv(
	text: string,
	delimiter = detectDelimiter(text),
	limits: ReadLimits | null = null
): string[][] {
	const checkTime = limits ? deadlineOf(limits) : () => {};
	const maxColumns = limits?.maxColumns ?? Infinity;
	const maxRecords = (limits?.maxRows ?? Infinity) + 1;
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
			if (record.length >= maxColumns) throw tooManyColumns(maxColumns);
			field = '';
			i++;
		} else if (char === '\n' || char === '\r') {
			record.push(field);
			records.push(record);
			if (records.length > maxRecords) throw tooManyRows(maxRecords - 1);
			if (records.length % 2048 === 0) checkTime();
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
		if (records.length > maxRecords) throw tooManyRows(maxRecords - 1);
	}
	return records;
}

/** Header + rows with trimmed cells, rows padded to the header's width, blank rows dropped. */
function toTable(records: string[][]): Table {
	const cleaned = records
		.map((record) => record.map((cell) => undefuseFormula(cell.trim())))
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

export function readCsv(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): Table {
	const { text } = decodeText(bytes);
	return toTable(parseCsv(text, detectDelimiter(text), limits));
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/**
 * Checks an XLSX (a zip) before it is unpacked: the sizes its central directory declares, then
 * each part inflated with a ceiling on its output (a zip may lie about its sizes). Refuses
 * over `maxUncompressedBytes` in total or a part compressed more than `maxCompressionRatio`.
 */
export function assertZipWithinLimits(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): void {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const unreadable = (why: string) => new TabularError('unreadable_file', `Not a readable XLSX file: ${why}`);
	const tooLarge = (why: string) =>
		new TabularError(
			'too_large_uncompressed',
			`The workbook unpacks to ${why} (limit ${limits.maxUncompressedBytes} bytes, ratio ${limits.maxCompressionRatio})`,
			limits.maxUncompressedBytes
		);
	// The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes.
	let eocd = -1;
	for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at--) {
		if (view.getUint32(at, true) === EOCD_SIGNATURE) {
			eocd = at;
			break;
		}
	}
	if (eocd < 0) throw unreadable('no zip directory');
	const entries = view.getUint16(eocd + 10, true);
	let at = view.getUint32(eocd + 16, true);
	if (entries === 0xffff || at === 0xffffffff) throw tooLarge('a ZIP64 archive');
	const parts: { compressed: number; size: number; method: number; local: number }[] = [];
	let declared = 0;
	for (let index = 0; index < entries; index++) {
		if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
			throw unreadable('damaged zip directory');
		}
		const part = {
			method: view.getUint16(at + 10, true),
			compressed: view.getUint32(at + 20, true),
			size: view.getUint32(at + 24, true),
			local: view.getUint32(at + 42, true)
		};
		if (part.size === 0xffffffff || part.compressed === 0xffffffff) throw tooLarge('a ZIP64 part');
		declared += part.size;
		if (declared > limits.maxUncompressedBytes) throw tooLarge(`more than ${declared} bytes`);
		if (part.size > 1024 * 1024 && part.size > part.compressed * limits.maxCompressionRatio) {
			throw tooLarge(`a part compressed ${Math.round(part.size / Math.max(1, part.compressed))} times`);
		}
		parts.push(part);
		at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
	}
	// The declared sizes may lie: inflate each part with a ceiling on what it may produce.
	let budget = limits.maxUncompressedBytes;
	for (const part of parts) {
		if (part.local + 30 > bytes.length || view.getUint32(part.local, true) !== LOCAL_SIGNATURE) {
			throw unreadable('damaged zip entry');
		}
		const start =
			part.local + 30 + view.getUint16(part.local + 26, true) + view.getUint16(part.local + 28, true);
		const data = bytes.subarray(start, start + part.compressed);
		if (part.method === 0) budget -= data.length;
		else if (part.method === 8) {
			try {
				budget -= inflateRawSync(data, { maxOutputLength: Math.max(1, budget + 1) }).length;
			} catch (error) {
				if (error instanceof RangeError) throw tooLarge(`more than ${limits.maxUncompressedBytes} bytes`);
				throw unreadable('damaged zip data');
			}
		} else throw unreadable(`zip compression method ${part.method}`);
		if (budget < 0) throw tooLarge(`more than ${limits.maxUncompressedBytes} bytes`);
	}
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

export async function readXlsx(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<Table> {
	assertZipWithinLimits(bytes, limits);
	const checkTime = deadlineOf(limits);
	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	} catch (error) {
		throw new TabularError('unreadable_file', `Not a readable XLSX file: ${(error as Error).message}`);
	}
	const sheet = workbook.worksheets[0];
	if (!sheet) throw new TabularError('empty_file', 'The workbook has no sheet');
	checkTime();
	if (sheet.actualColumnCount > limits.maxColumns) throw tooManyColumns(limits.maxColumns);
	if (sheet.actualRowCount > limits.maxRows + 1) throw tooManyRows(limits.maxRows);
	const records: string[][] = [];
	sheet.eachRow({ includeEmpty: true }, (row) => {
		if (row.cellCount > limits.maxColumns) throw tooManyColumns(limits.maxColumns);
		if (records.length % 2048 === 0) checkTime();
		const cells: string[] = [];
		for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.getCell(column).value));
		records.push(cells);
	});
	return toTable(records);
}

/** Reads a CSV or XLSX file into a table, within `limits` (DEFAULT_READ_LIMITS unless given). */
export async function readTable(
	fileName: string,
	bytes: Uint8Array,
	limits: Partial<ReadLimits> = {}
): Promise<{ format: TabularFormat; table: Table }> {
	if (bytes.length === 0) throw new TabularError('empty_file', `${fileName} is empty`);
	const format = detectFormat(fileName, bytes);
	const within = { ...DEFAULT_READ_LIMITS, ...limits };
	return { format, table: format === 'xlsx' ? await readXlsx(bytes, within) : readCsv(bytes, within) };
}

/* ------------------------------------------------------------------ writing */

/*
 * Every spreadsheet soho writes (case export, observatory sections, research extract) goes
 * through the writers below, so that a value typed by a member of the public (a name sent
 * through /apply) can never run as a formula in the reader's spreadsheet (CSV injection).
 */

/** A cell to write: text, a number, a calendar date (ISO string typed as date) or nothing. */
export type OutCell = string | number | { date: string } | null;

/** A negative number as French Excel or a CSV reader writes it: data, not a formula. */
const PLAIN_NEGATIVE_NUMBER = /^-\d+(?:[.,]\d+)?$/;

/**
 * Text a spreadsheet would read as a formula (it starts with = + - @, a tab or a carriage
 * return) gets a leading apostrophe, as OWASP advises; a plain negative number stays a number.
 */
export function defuseFormula(text: string): string {
	if (/^[=+@\t\r]/.test(text)) return `'${text}`;
	if (text.startsWith('-') && !PLAIN_NEGATIVE_NUMBER.test(text)) return `'${text}`;
	return text;
}

/** The reverse of defuseFormula, applied when reading: a file exported by soho re-imports as is. */
function undefuseFormula(text: string): string {
	return text.startsWith("'") && defuseFormula(text.slice(1)) === text ? text.slice(1) : text;
}

/** A number as French Excel reads it: decimal comma, no thousands separator, no exponent. */
export function frenchNumber(value: number): string {
	if (!Number.isFinite(value)) return '';
	let text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
	if (/e/i.test(text)) text = value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
	return text.replace('.', ',');
}

const quoteCsv = (text: string) => (/[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** One CSV field: text defused and quoted where needed, numbers with a decimal comma, ISO dates. */
function csvField(cell: OutCell): string {
	if (cell === null) return '';
	if (typeof cell === 'number') return frenchNumber(cell);
	if (typeof cell === 'object') return cell.date;
	return quoteCsv(defuseFormula(cell));
}

/** CSV for French Excel: UTF-8 with BOM, `;`, CRLF. An empty line stays a blank line. */
export function writeCsvLines(lines: OutCell[][]): Uint8Array {
	const text = lines.map((line) => line.map(csvField).join(';')).join('\r\n');
	return new TextEncoder().encode('\uFEFF' + text + '\r\n');
}

/** CSV for French Excel: a header row, then the rows (see writeCsvLines). */
export function writeCsv(headers: string[], rows: OutCell[][]): Uint8Array {
	return writeCsvLines([headers, ...rows]);
}

/** One sheet of a workbook: its rows, the first one a bold frozen header unless `hasHeader` is false. */
export type OutSheet = {
	name: string;
	rows: OutCell[][];
	hasHeader?: boolean;
	/** Column widths in characters; by default from the header's labels (10 to 40). */
	widths?: number[];
	isFirstColumnBold?: boolean;
};

/** A valid, unique sheet name (31 characters, none of []:*?/\). */
function sheetNameOf(name: string, used: Set<string>): string {
	const base = name.replace(/[[\]:*?/\\]/g, '-').slice(0, 28) || 'sheet';
	let candidate = base;
	for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, 27)}~${n}`;
	used.add(candidate.toLowerCase());
	return candidate;
}

/** The value of an XLSX cell: text defused like in CSV, dates as real dates, numbers as numbers. */
function xlsxValue(cell: OutCell): ExcelJS.CellValue {
	if (cell === null) return null;
	if (typeof cell === 'object') return new Date(`${cell.date}T00:00:00Z`);
	return typeof cell === 'string' ? defuseFormula(cell) : cell;
}

/** A workbook of several sheets; dates are real dates shown yyyy-mm-dd. */
export async function writeWorkbookSheets(sheets: OutSheet[]): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const used = new Set<string>();
	for (const { name, rows, hasHeader = true, widths, isFirstColumnBold } of sheets) {
		const sheet = workbook.addWorksheet(
			sheetNameOf(name, used),
			hasHeader ? { views: [{ state: 'frozen', ySplit: 1 }] } : {}
		);
		rows.forEach((row, rowIndex) => {
			const added = sheet.addRow(row.map(xlsxValue));
			if (hasHeader && rowIndex === 0) added.font = { bold: true };
			row.forEach((cell, index) => {
				if (cell !== null && typeof cell === 'object') added.getCell(index + 1).numFmt = 'yyyy-mm-dd';
			});
		});
		if (isFirstColumnBold) sheet.getColumn(1).font = { bold: true };
		const header = hasHeader ? (rows[0] ?? []) : [];
		const count = Math.max(widths?.length ?? 0, header.length);
		for (let index = 0; index < count; index++) {
			const label = header[index];
			sheet.getColumn(index + 1).width =
				widths?.[index] ?? Math.min(40, Math.max(10, (typeof label === 'string' ? label.length : 8) + 2));
		}
	}
	const buffer = await workbook.xlsx.writeBuffer();
	return new Uint8Array(buffer as ArrayBuffer);
}

/** One sheet, bold header row, dates as real dates (shown yyyy-mm-dd), frozen header. */
export async function writeXlsx(
	sheetName: string,
	headers: string[],
	rows: OutCell[][]
): Promise<Uint8Array> {
	return writeWorkbookSheets([{ name: sheetName, rows: [headers, ...rows] }]);
}
