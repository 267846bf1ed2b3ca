/*
 * INSEE reference attributes of communes (pure): the "table d'appartenance géographique
 * des communes" (AAV 2020 code and category, canton) and the COG cantons file (bureau
 * centralisateur of each canton). Spreadsheet exports often lose the leading zeros of
 * all-digit codes (01001 → 1001, 005 → 5): codes are padded back before any join.
 */

/** CATEAAV2020 values: 11 commune-centre, 12 other pole commune, 13 secondary pole, 20 crown, 30 outside. */
export const AAV_CATEGORIES = ['11', '12', '13', '20', '30'] as const;
export type AavCategory = (typeof AAV_CATEGORIES)[number];

/** One row of the commune table, codes normalised. */
export type InseeCommuneRow = {
	code: string;
	name: string | null;
	aavCode: string | null;
	aavCategory: AavCategory | null;
	cantonCode: string | null;
};

/** One canton of the COG and the commune of its bureau centralisateur. */
export type CantonSeatRow = { code: string; seatCode: string };

/** Column names accepted, upper-cased: INSEE's own first, then other published extracts. */
const COMMUNE_COLUMNS = {
	code: ['CODGEO', 'COM', 'GEO_CODE', 'INSEE_COM', 'CODE_INSEE'],
	name: ['LIBGEO', 'NAME', 'NOM', 'LIBELLE'],
	aavCode: ['AAV2020', 'AAV'],
	aavCategory: ['CATEAAV2020', 'CATE_AAV', 'CATEAAV'],
	cantonCode: ['CV', 'CAN', 'CANTON']
} as const;
const CANTON_COLUMNS = {
	code: ['CAN', 'CODE', 'CANTON'],
	seatCode: ['BURCENTRAL', 'CAPITAL_CODE', 'CHEFLIEU']
} as const;

/** A table as read by `readTable`: header row and data rows, cells as text. */
export type TextTable = { headers: string[]; rows: string[][] };

const isDigits = (value: string) => /^\d+$/.test(value);

/** A commune code with its leading zeros back (1001 → 01001); letter codes (2A004) stay as they are. */
export function padCommuneCode(value: string): string {
	const code = value.trim().toUpperCase();
	return isDigits(code) && code.length < 5 ? code.padStart(5, '0') : code;
}

/** An AAV 2020 code on 3 characters (5 → 005, 0 → 000); letter codes (GEN) stay. */
export function padAavCode(value: string): string {
	const code = value.trim().toUpperCase();
	return isDigits(code) && code.length < 3 ? code.padStart(3, '0') : code;
}

/** A canton code on at least 4 characters (108 → 0108, 3205 stays); 2A01 stays. */
export function padCantonCode(value: string): string {
	const code = value.trim().toUpperCase();
	return isDigits(code) && code.length < 4 ? code.padStart(4, '0') : code;
}

function columnIndex(headers: string[], names: readonly string[]): number {
	const upper = headers.map((h) => h.trim().toUpperCase());
	for (const name of names) {
		const index = upper.indexOf(name);
		if (index >= 0) return index;
	}
	return -1;
}

/**
 * The header row: INSEE's own XLSX files put a few title lines above it, so the first
 * row naming a commune-code column among the first 20 is taken.
 */
function locateHeader(table: TextTable, codeNames: readonly string[]): TextTable | null {
	const candidates = [table.headers, ...table.rows.slice(0, 20)];
	const index = candidates.findIndex((row) => columnIndex(row, codeNames) >= 0);
	if (index < 0) return null;
	return { headers: candidates[index], rows: table.rows.slice(index) };
}

export type ParsedCommuneTable =
	{ ok: true; rows: InseeCommuneRow[]; skipped: number } | { ok: false; missing: string[]; found: string[] };

/**
 * Reads the commune table. Needs a commune code and at least one of the AAV category, the
 * AAV code or the canton; rows without a valid commune code are skipped and counted.
 */
export function parseInseeCommuneTable(table: TextTable): ParsedCommuneTable {
	const located = locateHeader(table, COMMUNE_COLUMNS.code);
	if (!located) return { ok: false, missing: ['CODGEO'], found: table.headers };
	const { headers, rows } = located;
	const at = {
		code: columnIndex(headers, COMMUNE_COLUMNS.code),
		name: columnIndex(headers, COMMUNE_COLUMNS.name),
		aavCode: columnIndex(headers, COMMUNE_COLUMNS.aavCode),
		aavCategory: columnIndex(headers, COMMUNE_COLUMNS.aavCategory),
		cantonCode: columnIndex(headers, COMMUNE_COLUMNS.cantonCode)
	};
	if (at.aavCode < 0 && at.aavCategory < 0 && at.cantonCode < 0) {
		return { ok: false, missing: ['AAV2020', 'CATEAAV2020', 'CV'], found: headers };
	}
	const cell = (row: string[], index: number) => (index >= 0 ? (row[index] ?? '').trim() : '');
	const parsed: InseeCommuneRow[] = [];
	let skipped = 0;
	for (const row of rows) {
		const code = padCommuneCode(cell(row, at.code));
		if (!/^(\d{5}|\d[AB]\d{3})$/.test(code)) {
			skipped++;
			continue;
		}
		const aavCode = cell(row, at.aavCode);
		const category = cell(row, at.aavCategory);
		const canton = cell(row, at.cantonCode);
		parsed.push({
			code,
			name: cell(row, at.name) || null,
			aavCode: aavCode ? padAavCode(aavCode) : null,
			aavCategory: (AAV_CATEGORIES as readonly string[]).includes(category)
				? (category as AavCategory)
				: null,
			cantonCode: canton ? padCantonCode(canton) : null
		});
	}
	return { ok: true, rows: parsed, skipped };
}

export type ParsedCantonTable =
	{ ok: true; cantons: CantonSeatRow[] } | { ok: false; missing: string[]; found: string[] };

/** Reads the COG cantons file (INSEE `CAN`/`BURCENTRAL`, or `code`/`capital_code`). */
export function parseCantonTable(table: TextTable): ParsedCantonTable {
	const located = locateHeader(table, CANTON_COLUMNS.code);
	if (!located) return { ok: false, missing: ['CAN'], found: table.headers };
	const { headers, rows } = located;
	const code = columnIndex(headers, CANTON_COLUMNS.code);
	const seat = columnIndex(headers, CANTON_COLUMNS.seatCode);
	if (seat < 0) return { ok: false, missing: ['BURCENTRAL'], found: headers };
	const cantons: CantonSeatRow[] = [];
	for (const row of rows) {
		const cantonCode = (row[code] ?? '').trim();
		const seatCode = (row[seat] ?? '').trim();
		if (!cantonCode || !seatCode) continue;
		cantons.push({ code: padCantonCode(cantonCode), seatCode: padCommuneCode(seatCode) });
	}
	return { ok: true, cantons };
}

/** What one commune receives from the import. */
export type InseeAttributeUpdate = {
	code: string;
	aavCode: string | null;
	aavCategory: AavCategory | null;
	cantonCode: string | null;
	/** Undefined when no cantons file was given: the stored value is kept. */
	isCantonSeat?: boolean;
};

export type InseeAttributePlan = {
	updates: InseeAttributeUpdate[];
	/** Rows of the file whose commune is imported under its own code. */
	matched: number;
	/** Rows of former communes, whose attributes went to the commune that absorbed them. */
	mappedFromFormer: { code: string; into: string }[];
	/** Rows of former communes whose successor has its own row (that row wins). */
	superseded: number;
	/** Rows of communes that are neither current nor former imported communes (other départements). */
	unknown: number;
	/** Imported communes that the file does not describe. */
	missing: string[];
};

/**
 * Matches the file's rows to the imported communes. A current code wins over former codes
 * mapped to the same commune (the file may predate a merger: 32074 Cannet → 32344 Riscle).
 * With a cantons file, every matched commune gets `isCantonSeat` true or false.
 */
export function planInseeAttributes({
	rows,
	communeCodes,
	formerCommunes,
	cantonSeats
}: {
	rows: InseeCommuneRow[];
	communeCodes: Iterable<string>;
	formerCommunes: { code: string; communeCode: string }[];
	cantonSeats: Set<string> | null;
}): InseeAttributePlan {
	const current = new Set(communeCodes);
	const formerTo = new Map<string, string>();
	for (const former of formerCommunes) {
		if (!current.has(former.code) && !formerTo.has(former.code))
			formerTo.set(former.code, former.communeCode);
	}
	const own = new Map<string, InseeCommuneRow>();
	const viaFormer = new Map<string, InseeCommuneRow>();
	const formerRows: { row: InseeCommuneRow; into: string }[] = [];
	let matched = 0;
	let unknown = 0;
	for (const row of rows) {
		if (current.has(row.code)) {
			if (!own.has(row.code)) matched++;
			own.set(row.code, row);
			continue;
		}
		const into = formerTo.get(row.code);
		if (into && current.has(into)) formerRows.push({ row, into });
		else unknown++;
	}
	const mappedFromFormer: { code: string; into: string }[] = [];
	let superseded = 0;
	for (const { row, into } of formerRows) {
		if (own.has(into)) {
			superseded++;
			continue;
		}
		mappedFromFormer.push({ code: row.code, into });
		if (!viaFormer.has(into)) viaFormer.set(into, row);
	}
	const updates: InseeAttributeUpdate[] = [];
	for (const code of [...current].sort()) {
		const row = own.get(code) ?? viaFormer.get(code);
		if (!row) continue;
		updates.push({
			code,
			aavCode: row.aavCode,
			aavCategory: row.aavCategory,
			cantonCode: row.cantonCode,
			...(cantonSeats ? { isCantonSeat: cantonSeats.has(code) } : {})
		});
	}
	const described = new Set(updates.map((u) => u.code));
	return {
		updates,
		matched,
		mappedFromFormer,
		superseded,
		unknown,
		missing: [...current].filter((code) => !described.has(code)).sort()
	};
}

/** Counts per AAV category of the updated communes ('none' when the file had no category). */
export function countAavCategories(updates: InseeAttributeUpdate[]): Record<AavCategory | 'none', number> {
	const counts: Record<AavCategory | 'none', number> = {
		'11': 0,
		'12': 0,
		'13': 0,
		'20': 0,
		'30': 0,
		none: 0
	};
	for (const update of updates) counts[update.aavCategory ?? 'none']++;
	return counts;
}
