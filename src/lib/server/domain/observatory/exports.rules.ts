import { writeCsvLines, writeWorkbookSheets, type OutCell } from '../../files/tabular.ts';

/*
 * Files of the observatory: a section's figures (any JSON-serialisable section data) become
 * tables — one per list of records (years, steps, rows…), plus a table of the single figures —
 * written as CSV for French Excel (UTF-8 BOM, `;`, decimal comma, CRLF) or as an XLSX workbook
 * (one sheet per table), each preceded by what the figures are: programme, period, filters, date
 * and, for the demo programme, that the data are synthetic.
 */

export type ExportCell = string | number | boolean | null;
export type ExportTable = { name: string; columns: string[]; rows: ExportCell[][] };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

const cellOf = (value: unknown, hiddenLabel: string | null): ExportCell => {
	if (value === null || value === undefined) return null;
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	// NaN is a figure hidden by the minimum cell size (disclosure.rules.ts): "< 5", not a blank.
	if (typeof value === 'number')
		return Number.isFinite(value) ? value : Number.isNaN(value) ? hiddenLabel : null;
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	return JSON.stringify(value);
};

const isPrimitiveList = (values: unknown[]) =>
	values.every((value) => !isPlainObject(value) && !Array.isArray(value));

/** The label of a record in a nested table's name: its dimension, key, stage… or its rank. */
function labelOf(record: Record<string, unknown>, index: number): string {
	for (const key of ['dimension', 'key', 'name', 'stage', 'section', 'group', 'cohort']) {
		const value = record[key];
		if (typeof value === 'string' || typeof value === 'number') return String(value);
	}
	return String(index + 1);
}

/**
 * Tables of a section's data. Lists of records become tables (nested objects flattened as
 * `a.b` columns, nested lists of records as tables of their own); every other figure goes to the
 * first table, `summary`, as (figure, value) rows. A hidden figure (NaN, see disclosure.rules.ts)
 * is written as `hiddenLabel` ("< 5").
 */
export function sectionTables(
	data: unknown,
	{ hiddenLabel = null }: { hiddenLabel?: string | null } = {}
): ExportTable[] {
	const summary: ExportCell[][] = [];
	const tables: ExportTable[] = [];

	const recordTable = (path: string, records: Record<string, unknown>[]) => {
		const columns: string[] = [];
		const flatRows: Record<string, ExportCell>[] = [];
		records.forEach((record, index) => {
			const flat: Record<string, ExportCell> = {};
			const flatten = (value: unknown, prefix: string) => {
				if (isPlainObject(value)) {
					for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key);
				} else if (Array.isArray(value)) {
					if (isPrimitiveList(value)) flat[prefix] = value.map((item) => String(item)).join(', ');
					else walk(value, `${path}.${labelOf(record, index)}.${prefix}`);
				} else flat[prefix] = cellOf(value, hiddenLabel);
			};
			flatten(record, '');
			for (const key of Object.keys(flat)) if (!columns.includes(key)) columns.push(key);
			flatRows.push(flat);
		});
		// A record whose nested object is null (e.g. no previous stage) adds no column of its own.
		const kept = columns.filter((column) => !columns.some((other) => other.startsWith(`${column}.`)));
		if (kept.length)
			tables.push({
				name: path,
				columns: kept,
				rows: flatRows.map((flat) => kept.map((c) => flat[c] ?? null))
			});
	};

	function walk(value: unknown, path: string): void {
		if (Array.isArray(value)) {
			if (isPrimitiveList(value)) summary.push([path, value.map((item) => String(item)).join(', ')]);
			else recordTable(path, value.filter(isPlainObject));
		} else if (isPlainObject(value)) {
			for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
		} else summary.push([path, cellOf(value, hiddenLabel)]);
	}

	walk(data, '');
	return summary.length
		? [{ name: 'summary', columns: ['figure', 'value'], rows: summary }, ...tables]
		: tables;
}

export type Booleans = { yes: string; no: string };

/** Cells as the spreadsheet writers take them: booleans become the locale's yes and no. */
const outCells = (cells: ExportCell[], booleans: Booleans): OutCell[] =>
	cells.map((cell) => (typeof cell === 'boolean' ? (cell ? booleans.yes : booleans.no) : cell));

/** What a file holds, written before the figures: (label, value) lines. */
export type ExportPreamble = [string, string][];

/**
 * One CSV file: the preamble, then each table under its title, separated by blank lines. UTF-8
 * with a BOM, `;`, CRLF, decimal comma: French Excel opens it as is.
 */
export function writeFrenchCsv({
	preamble,
	tables,
	booleans,
	titled = true
}: {
	preamble: ExportPreamble;
	tables: ExportTable[];
	booleans: Booleans;
	/** Write each table's name above it (several tables in one file). */
	titled?: boolean;
}): Uint8Array {
	const lines: OutCell[][] = [...preamble];
	for (const table of tables) {
		if (lines.length) lines.push([]);
		if (titled) lines.push([table.name]);
		lines.push(table.columns);
		for (const row of table.rows) lines.push(outCells(row, booleans));
	}
	return writeCsvLines(lines);
}

/** A workbook: the preamble on its own first sheet, then one sheet per table (bold frozen header). */
export async function writeWorkbook({
	preamble,
	preambleSheet,
	tables,
	booleans
}: {
	preamble: ExportPreamble;
	preambleSheet: string;
	tables: ExportTable[];
	booleans: Booleans;
}): Promise<Uint8Array> {
	return writeWorkbookSheets([
		{ name: preambleSheet, rows: preamble, hasHeader: false, widths: [30, 80], isFirstColumnBold: true },
		...tables.map((table) => ({
			name: table.name,
			rows: [table.columns, ...table.rows.map((row) => outCells(row, booleans))]
		}))
	]);
}
