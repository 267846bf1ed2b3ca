import { CASE_IMPORT_FIELDS } from './case-import.rules.ts';

/*
 * Synthetic spreadsheets of past programme records, for tests and the benchmark: every
 * name, email and phone is invented (example.org, 06 00 … numbers).
 */

const FIRST = ['Hélène', 'Marc', 'Aïcha', 'Jean', 'Inès', 'Paul', 'Zoé', 'Karim', 'Léa', 'Tom'];
const LAST = ['Garnier', 'Durand', 'Lefèvre', 'Martin', 'Nguyen', 'Bernard', 'Dubois', 'Moreau'];
const STATUSES = [
	'freelancer',
	'Indépendant',
	'salarié en télétravail',
	'founder',
	'repreneur',
	'artiste',
	''
];
const SOURCES = ['web_form', 'salon', 'téléphone', 'presse', 'recommandation', 'event', ''];

/** A 14-digit SIRET passing the Luhn check, from a sequence number. */
export function sampleSiret(n: number): string {
	const base = `8${String(n).padStart(12, '0')}`;
	for (let check = 0; check < 10; check++) {
		const candidate = base + check;
		let sum = 0;
		for (let i = 0; i < 14; i++) {
			let d = Number(candidate[13 - i]);
			if (i % 2 === 1) {
				d *= 2;
				if (d > 9) d -= 9;
			}
			sum += d;
		}
		if (sum % 10 === 0) return candidate;
	}
	throw new Error('unreachable');
}

const day = (year: number, dayOfYear: number) =>
	new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);

/**
 * `count` valid rows (columns = CASE_IMPORT_FIELDS) over five stages: contact, qualified,
 * installed, left_territory, abandoned. Installed rows use `communeCodes` in turn.
 */
export function sampleCaseRows(
	count: number,
	communeCodes: string[],
	prefix = 'EXT'
): Record<string, string>[] {
	return Array.from({ length: count }, (_, i) => {
		const stage = ['contact', 'qualified', 'installed', 'left_territory', 'abandoned'][i % 5];
		const year = 2019 + (i % 6);
		const reached = (s: string) => ['qualified', 'installed', 'left_territory'].includes(s);
		const installed = stage === 'installed' || stage === 'left_territory';
		return {
			external_id: `${prefix}-${String(i + 1).padStart(5, '0')}`,
			first_name: FIRST[i % FIRST.length],
			last_name: `${LAST[i % LAST.length]}-${i + 1}`,
			email: `person${i + 1}@${prefix.toLowerCase()}.example.org`,
			phone: `06 ${String(10_000_000 + i).slice(0, 2)} ${String(10_000_000 + i).slice(2, 4)} ${String(10_000_000 + i).slice(4, 6)} ${String(10_000_000 + i).slice(6, 8)}`,
			birth_year: i % 3 === 0 ? String(1970 + (i % 30)) : '',
			household_size: String(1 + (i % 4)),
			status: STATUSES[i % STATUSES.length],
			sector: i % 2 ? 'numérique' : 'artisanat',
			origin: i % 4 === 0 ? 'NL' : 'Île-de-France',
			source: SOURCES[i % SOURCES.length],
			stage,
			contact_date: i % 2 ? day(year, i % 60) : `${String(1 + (i % 28)).padStart(2, '0')}/01/${year}`,
			qualified_date: reached(stage) ? day(year, 70 + (i % 30)) : '',
			installed_date: installed ? day(year, 150 + (i % 60)) : '',
			installed_commune: installed ? communeCodes[i % communeCodes.length] : '',
			left_date: stage === 'left_territory' ? day(year + 1, 200) : '',
			left_reason:
				stage === 'left_territory'
					? 'Mutation; retour en ville'
					: stage === 'abandoned'
						? 'Projet reporté'
						: '',
			business_siret: installed && i % 2 === 0 ? sampleSiret(i + 1) : '',
			business_created_date: installed && i % 2 === 0 ? day(year, 220) : '',
			business_closed_date: ''
		};
	});
}

const quote = (cell: string, delimiter: string) =>
	cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;

/** Rows as CSV text with the canonical headers (or others given in `headers`). */
export function toCsv(
	rows: Record<string, string>[],
	{
		delimiter = ';',
		headers = [...CASE_IMPORT_FIELDS] as string[]
	}: { delimiter?: string; headers?: string[] } = {}
): string {
	const fields = [...CASE_IMPORT_FIELDS] as string[];
	return [
		headers.map((h) => quote(h, delimiter)).join(delimiter),
		...rows.map((row) => fields.map((field) => quote(row[field] ?? '', delimiter)).join(delimiter))
	].join('\r\n');
}
