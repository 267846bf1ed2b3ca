/**
 * How the annual report lays its content on an A4 page (pure, no I/O): wide tables are cut into
 * tables of fewer columns, each repeating the row headers, and key figures are sized from their
 * length so that the longest figure a programme can have fits its box without being clipped.
 */

export type LaidTable = {
	caption: string;
	head: string[];
	rows: string[][];
	/** Columns holding sentences (wrapped, aligned left); the others are figures. */
	textColumns?: number[];
};

/**
 * Splits a table whose value columns (all but the first, the row headers) are more than
 * `maxValueColumns` into consecutive tables of at most that many, each with the first column and
 * a caption numbered "(1/2)", "(2/2)". A table that fits is returned as it is.
 */
export function splitWideTable<T extends LaidTable>(table: T, maxValueColumns: number): T[] {
	const valueColumns = table.head.length - 1;
	if (maxValueColumns < 1 || valueColumns <= maxValueColumns) return [table];
	const parts = Math.ceil(valueColumns / maxValueColumns);
	return Array.from({ length: parts }, (_, part) => {
		const from = 1 + part * maxValueColumns;
		const to = Math.min(from + maxValueColumns, table.head.length);
		const kept = [0, ...Array.from({ length: to - from }, (_, i) => from + i)];
		const textColumns = kept.flatMap((column, index) =>
			table.textColumns?.includes(column) && index > 0 ? [index] : []
		);
		return {
			...table,
			caption: `${table.caption} (${part + 1}/${parts})`,
			head: kept.map((column) => table.head[column] ?? ''),
			rows: table.rows.map((row) => kept.map((column) => row[column] ?? '')),
			textColumns: textColumns.length ? textColumns : undefined
		};
	});
}

/**
 * The figure cells of a table (all but the row headers and the text columns) never break inside
 * a number or a sign ("< 0,001", "1 234"): their spaces become no-break spaces, but the one before
 * an interval ("36 % (28 %–44 %)"), where a narrow column may wrap the cell.
 */
export function keepFiguresWhole<T extends LaidTable>(table: T): T {
	const isFigure = (column: number) => column > 0 && !table.textColumns?.includes(column);
	return {
		...table,
		rows: table.rows.map((row) =>
			row.map((cell, column) => (isFigure(column) ? cell.replace(/ (?!\()/g, '\u00a0') : cell))
		)
	};
}

/**
 * A sentence as French typesetting prints it: the space before « : ; ! ? % » and after « is a
 * no-break one, so that a line never starts with "%" or "»" ("95 %" stays whole). Other languages
 * are returned as they are.
 */
export function printedText(locale: string, text: string): string {
	if (!locale.startsWith('fr')) return text;
	return text.replace(/ ([:;!?%»])/g, '\u00a0$1').replace(/« /g, '«\u00a0');
}

/**
 * The width of a key figure in ems of the report's figure font (Source Sans 3 semibold), rounded
 * up: digits and currency signs are half an em (tabular figures), separators and spaces less, a
 * per cent sign 0.85 em, any other letter or sign at most 0.7 em. Used by the report's CSS as `--figure-em`: the figure's size is
 * its box's width divided by it, so no figure is ever wider than its box.
 */
export function figureWidthEm(value: string): number {
	let width = 0;
	for (const char of value) {
		if (/\d/.test(char)) width += 0.52;
		else if (/[\s\u00a0\u202f,.]/.test(char)) width += 0.26;
		else if (char === '%') width += 0.85;
		else width += 0.7;
	}
	return Math.max(1, Math.ceil(width * 100) / 100);
}

/** The longest printed report has far fewer pages; a larger number in the address is ignored. */
const MAX_CONTENTS_PAGE = 999;
const CONTENTS_TARGET = /^[a-z][\w-]{0,63}$/;

/**
 * The contents' page numbers as the address of the printed report carries them (`?pages=…`):
 * the PDF is printed once, the page of each chapter read from it (pdf-destinations.ts), then
 * printed again with this. Sorted, so that the same numbers always give the same address.
 */
export function contentsPagesParam(pages: Record<string, number>): string {
	return Object.entries(pages)
		.filter(([target, page]) => CONTENTS_TARGET.test(target) && Number.isInteger(page) && page > 0)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([target, page]) => `${target}:${page}`)
		.join(',');
}

/** `contentsPagesParam`'s text back to target → page; anything malformed is left out. */
export function readContentsPages(param: string | null): Record<string, number> {
	const pages: Record<string, number> = {};
	for (const part of (param ?? '').split(',')) {
		const match = /^([^:]+):(\d{1,3})$/.exec(part);
		if (!match || !CONTENTS_TARGET.test(match[1])) continue;
		const page = Number(match[2]);
		if (page >= 1 && page <= MAX_CONTENTS_PAGE) pages[match[1]] = page;
	}
	return pages;
}
