import { CONNECTION_LEVELS, type ConnectionLevel } from '../../db/schema/index.ts';
import {
	connectivityDuplicateCommune,
	connectivityEmptyFile,
	connectivityInvalidRow,
	connectivityUnknownFormat,
	connectivityUnknownQuarter
} from './connectivity.errors.ts';
import type { ConnectivityFormat } from './connectivity.schemas.ts';

export function isConnectionLevel(value: unknown): value is ConnectionLevel {
	return typeof value === 'string' && (CONNECTION_LEVELS as readonly string[]).includes(value);
}

/** The level that applies: what staff set by hand, otherwise the imported one (null: unknown). */
export function effectiveConnectionLevel(row: {
	level: ConnectionLevel | null;
	overrideLevel: ConnectionLevel | null;
}): ConnectionLevel | null {
	return row.overrideLevel ?? row.level;
}

/** Negative when `a` is slower than `b`, 0 when equal, positive when faster. */
export function compareConnectionLevels(a: ConnectionLevel, b: ConnectionLevel): number {
	return CONNECTION_LEVELS.indexOf(a) - CONNECTION_LEVELS.indexOf(b);
}

/** The levels at least as good as `min` (for "at least 30 Mbit/s" filters). An unknown level never qualifies. */
export function connectionLevelsAtLeast(min: ConnectionLevel): ConnectionLevel[] {
	return CONNECTION_LEVELS.filter((level) => compareConnectionLevels(level, min) >= 0);
}

/** Share of FttH-connectable premises from which a commune counts as having 1 Gbit/s. */
export const GBIT_FIBRE_SHARE = 0.8;

/**
 * The level a fibre share alone tells: 'gbit' when at least 80 % of premises can get
 * FttH. Below that the share says nothing about the other premises, which may have
 * fast VDSL or nothing usable, so the level stays unknown (null) rather than
 * 'below_8': a wrong "slow" label would push candidates away from a village.
 */
export function levelFromFibreShare(share: number | null): ConnectionLevel | null {
	return share !== null && share >= GBIT_FIBRE_SHARE ? 'gbit' : null;
}

/**
 * ARCEP's FttH coverage classes ("Catégorie"): the lower bound of the share of
 * connectable premises, in percent (0 = none, 5 = under 10 %, …, 80 = 80 % or more).
 */
export const ARCEP_CATEGORY_SHARES: Record<string, number> = {
	'0': 0,
	'5': 0.05,
	'10': 0.1,
	'25': 0.25,
	'50': 0.5,
	'80': 0.8
};

/** The last day of a quarter written 'T1 2018' (ARCEP's notation): '2018-03-31'. */
export function quarterEndDate(quarter: string): string | null {
	const match = /^T([1-4]) (\d{4})$/.exec(quarter.trim());
	if (!match) return null;
	const month = Number(match[1]) * 3;
	const day = new Date(Date.UTC(Number(match[2]), month, 0)).getUTCDate();
	return `${match[2]}-${String(month).padStart(2, '0')}-${day}`;
}

/** One commune read from a connectivity file. `line` is 1-based, for messages. */
export type ConnectivityRow = {
	code: string;
	fibreShare: number | null;
	level: ConnectionLevel | null;
	line: number;
};

export type ParsedConnectivityFile = {
	format: Exclude<ConnectivityFormat, 'auto'>;
	/** ARCEP quarter read, e.g. 'T1 2018'; null for a levels file. */
	quarter: string | null;
	/** End of that quarter (YYYY-MM-DD); null for a levels file. */
	measuredAt: string | null;
	rows: ConnectivityRow[];
};

const INSEE_CODE = /^(\d{5}|2[AB]\d{3})$/;

/** Splits one CSV line; handles double-quoted cells ("a, b") and doubled quotes. */
export function splitCsvLine(line: string, delimiter: string): string[] {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (quoted) {
			if (c === '"' && line[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === delimiter) {
			cells.push(cell.trim());
			cell = '';
		} else cell += c;
	}
	cells.push(cell.trim());
	return cells;
}

/** Excel drops leading zeros: '1001' is commune 01001. */
function normaliseCode(raw: string): string {
	const code = raw.trim().toUpperCase();
	return /^\d{4}$/.test(code) ? '0' + code : code;
}

const ARCEP_HEADER = /^\s*"?code commune"?\s*,\s*"?champ"?\s*,/i;

function isArcepHeader(line: string): boolean {
	return ARCEP_HEADER.test(line);
}

/**
 * Reads a connectivity CSV, entirely in memory, and throws at the first bad line so
 * that nothing is written from a malformed file. Two formats:
 * - 'arcep-ftth': ARCEP's "Déploiement par Commune" observatory file (title lines,
 *   then `Code commune,Champ,T3 2017,…`; rows 'Locaux Raccordables' and 'Catégorie').
 *   The fibre share is the lower bound of the commune's category for the quarter;
 * - 'levels': `code_insee;level` or `code_insee;fibre_share` (`;` or `,`, header optional).
 */
export function parseConnectivityCsv({
	text,
	file,
	format,
	quarter
}: {
	text: string;
	file: string;
	format: ConnectivityFormat;
	quarter?: string;
}): ParsedConnectivityFile {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	if (!lines.some((line) => line.replace(/[,;\s"]/g, '') !== '')) throw connectivityEmptyFile({ file });
	const arcepHeader = lines.slice(0, 20).findIndex(isArcepHeader);
	const detected = arcepHeader >= 0 ? 'arcep-ftth' : 'levels';
	if (format !== 'auto' && format !== detected) throw connectivityUnknownFormat({ file, format });
	return detected === 'arcep-ftth'
		? parseArcepFtth({ lines, headerIndex: arcepHeader, file, quarter })
		: parseLevels({ lines, file });
}

function parseArcepFtth({
	lines,
	headerIndex,
	file,
	quarter
}: {
	lines: string[];
	headerIndex: number;
	file: string;
	quarter?: string;
}): ParsedConnectivityFile {
	const header = splitCsvLine(lines[headerIndex], ',');
	const quarters = header.slice(2).filter((cell) => /^T[1-4] \d{4}$/.test(cell));
	const wanted = quarter ?? quarters.at(-1);
	const column = wanted ? header.indexOf(wanted) : -1;
	if (!wanted || column < 2) {
		throw connectivityUnknownQuarter({ file, quarter: quarter ?? '', quarters: quarters.join(', ') });
	}
	const rows: ConnectivityRow[] = [];
	const seen = new Set<string>();
	for (let i = headerIndex + 1; i < lines.length; i++) {
		const line = i + 1;
		if (lines[i].replace(/[,\s]/g, '') === '') continue;
		const cells = splitCsvLine(lines[i], ',');
		const code = normaliseCode(cells[0] ?? '');
		if (!INSEE_CODE.test(code)) throw connectivityInvalidRow({ file, line, value: cells[0] ?? '' });
		const field = (cells[1] ?? '').toLowerCase();
		const value = (cells[column] ?? '').trim();
		if (field === 'locaux raccordables') {
			if (!/^\d+$/.test(value)) throw connectivityInvalidRow({ file, line, value });
			continue;
		}
		if (field !== 'catégorie' && field !== 'categorie') {
			throw connectivityInvalidRow({ file, line, value: cells[1] ?? '' });
		}
		const share = ARCEP_CATEGORY_SHARES[value];
		if (share === undefined) throw connectivityInvalidRow({ file, line, value });
		if (seen.has(code)) throw connectivityDuplicateCommune({ file, line, code });
		seen.add(code);
		rows.push({ code, fibreShare: share, level: levelFromFibreShare(share), line });
	}
	if (rows.length === 0) throw connectivityEmptyFile({ file });
	return { format: 'arcep-ftth', quarter: wanted, measuredAt: quarterEndDate(wanted), rows };
}

const CODE_COLUMNS = /^(code[ _]?insee|insee|code|code[ _]commune|codgeo|com)$/i;
const LEVEL_COLUMNS = /^(level|niveau|connection_level)$/i;
const SHARE_COLUMNS = /^(fibre_share|fiber_share|ftth_share|part_fibre|part_ftth)$/i;

/** A share written 0.45, 0,45 or 45 % (percent form only with the sign). */
function parseShare(raw: string): number | null {
	const text = raw.trim().replace(',', '.');
	const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
	const value = percent ? Number(percent[1]) / 100 : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
	return Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
}

function parseLevels({ lines, file }: { lines: string[]; file: string }): ParsedConnectivityFile {
	const first = lines.findIndex((line) => line.trim() !== '');
	const delimiter = lines[first].includes(';') ? ';' : lines[first].includes('\t') ? '\t' : ',';
	const firstCells = splitCsvLine(lines[first], delimiter);
	const hasHeader = !INSEE_CODE.test(normaliseCode(firstCells[0] ?? ''));
	let codeColumn = 0;
	let levelColumn = -1;
	let shareColumn = -1;
	if (hasHeader) {
		codeColumn = firstCells.findIndex((cell) => CODE_COLUMNS.test(cell));
		levelColumn = firstCells.findIndex((cell) => LEVEL_COLUMNS.test(cell));
		shareColumn = firstCells.findIndex((cell) => SHARE_COLUMNS.test(cell));
		if (codeColumn < 0 || (levelColumn < 0 && shareColumn < 0)) {
			throw connectivityUnknownFormat({ file, format: 'levels' });
		}
	}
	const rows: ConnectivityRow[] = [];
	const byCode = new Map<string, ConnectivityRow>();
	for (let i = hasHeader ? first + 1 : first; i < lines.length; i++) {
		const line = i + 1;
		if (lines[i].trim() === '') continue;
		const cells = splitCsvLine(lines[i], delimiter);
		const code = normaliseCode(cells[codeColumn] ?? '');
		if (!INSEE_CODE.test(code)) throw connectivityInvalidRow({ file, line, value: cells[codeColumn] ?? '' });
		let level: ConnectionLevel | null = null;
		let fibreShare: number | null = null;
		if (hasHeader) {
			const rawLevel = levelColumn >= 0 ? (cells[levelColumn] ?? '').trim().toLowerCase() : '';
			const rawShare = shareColumn >= 0 ? (cells[shareColumn] ?? '').trim() : '';
			if (rawLevel !== '') {
				if (!isConnectionLevel(rawLevel)) throw connectivityInvalidRow({ file, line, value: rawLevel });
				level = rawLevel;
			}
			if (rawShare !== '') {
				fibreShare = parseShare(rawShare);
				if (fibreShare === null) throw connectivityInvalidRow({ file, line, value: rawShare });
			}
		} else {
			const raw = (cells[1] ?? '').trim();
			if (isConnectionLevel(raw.toLowerCase())) level = raw.toLowerCase() as ConnectionLevel;
			else {
				fibreShare = parseShare(raw);
				if (fibreShare === null) throw connectivityInvalidRow({ file, line, value: raw });
			}
		}
		const row = { code, fibreShare, level: level ?? levelFromFibreShare(fibreShare), line };
		const previous = byCode.get(code);
		if (previous) {
			if (previous.level !== row.level || previous.fibreShare !== row.fibreShare) {
				throw connectivityDuplicateCommune({ file, line, code });
			}
			continue;
		}
		byCode.set(code, row);
		rows.push(row);
	}
	if (rows.length === 0) throw connectivityEmptyFile({ file });
	return { format: 'levels', quarter: null, measuredAt: null, rows };
}

/** What an import would write for one commune, compared with what is stored. */
export function isSameConnectivity(
	stored: {
		fibreShare: number | null;
		level: ConnectionLevel | null;
		source: string | null;
		measuredAt: string | null;
	},
	next: {
		fibreShare: number | null;
		level: ConnectionLevel | null;
		source: string;
		measuredAt: string | null;
	}
): boolean {
	const share = (value: number | null) => (value === null ? null : Math.round(value * 1000));
	return (
		share(stored.fibreShare) === share(next.fibreShare) &&
		stored.level === next.level &&
		stored.source === next.source &&
		stored.measuredAt === next.measuredAt
	);
}

/**
 * The source label of the demo's synthetic broadband levels: pages show it in the reader's
 * language ("démo (niveaux synthétiques)") instead of this code.
 */
export const DEMO_CONNECTIVITY_SOURCE = 'soho-demo-synthetic';
