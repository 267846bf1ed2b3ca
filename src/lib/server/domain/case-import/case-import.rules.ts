import {
	CASE_SOURCES,
	type CaseSource,
	type OriginArea,
	type PersonSector,
	type PersonStatus
} from '../../db/schema/index.ts';
import { originValues, resolveVocabularyValue } from '../vocabulary/vocabulary.rules.ts';
import { translate } from '../../../i18n/index.ts';
import { normalisePhone } from '../case/case.schemas.ts';
import { ABANDONED, INSTALLED, LEFT_TERRITORY, type Pipeline } from '../case/case.rules.ts';

/*
 * Pure rules of a case import: which column is which field, how each cell is read, and
 * every problem of a row as an error code (`case_import.*`), so that a file is either
 * imported whole or not at all.
 */

/**
 * The columns of a case spreadsheet, in the order the export writes them (an export
 * re-imports as is). `birth_year` is optional; it helps find duplicates by name.
 */
export const CASE_IMPORT_FIELDS = [
	'external_id',
	'first_name',
	'last_name',
	'email',
	'phone',
	'birth_year',
	'household_size',
	'status',
	'sector',
	'origin',
	'source',
	'stage',
	'contact_date',
	'qualified_date',
	'installed_date',
	'installed_commune',
	'left_date',
	'left_reason',
	'business_siret',
	'business_created_date',
	'business_closed_date'
] as const;
export type CaseImportField = (typeof CASE_IMPORT_FIELDS)[number];

/** Without these columns no row can be read. */
export const REQUIRED_IMPORT_FIELDS: readonly CaseImportField[] = ['last_name', 'stage'];

/** Most rows an import takes at once. */
export const MAX_IMPORT_ROWS = 20_000;
/** Largest file accepted (the web server accepts 10 MB bodies). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Most columns a file may have: the canonical fields are 21; the mapping page shows each column. */
export const MAX_IMPORT_COLUMNS = 200;
/** Most an XLSX may unpack to (a 5 MB workbook of 20,000 rows unpacks to about 20 MB of XML). */
export const MAX_IMPORT_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;

/** Lower case, no accents, words joined by '_': "Date d'installation" → "date_d_installation". */
export function normaliseHeader(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '');
}

/** Header spellings (normalised) read as each field, French and English. */
const HEADER_SYNONYMS: Record<CaseImportField, string[]> = {
	external_id: [
		'id',
		'identifiant',
		'id_externe',
		'identifiant_externe',
		'numero_dossier',
		'n_dossier',
		'external_ref'
	],
	first_name: ['prenom', 'firstname', 'given_name', 'prenom_candidat'],
	last_name: ['nom', 'nom_de_famille', 'lastname', 'surname', 'family_name', 'nom_candidat'],
	email: [
		'e_mail',
		'courriel',
		'mail',
		'adresse_email',
		'adresse_mail',
		'adresse_electronique',
		'email_address'
	],
	phone: ['telephone', 'tel', 'portable', 'mobile', 'phone_number', 'numero_de_telephone'],
	birth_year: ['annee_de_naissance', 'annee_naissance', 'year_of_birth', 'naissance'],
	household_size: [
		'taille_du_foyer',
		'taille_foyer',
		'nb_personnes',
		'nombre_de_personnes',
		'personnes',
		'foyer',
		'household'
	],
	status: ['statut', 'statut_professionnel', 'professional_status'],
	sector: ['secteur', 'secteur_d_activite', 'activite', 'business_sector'],
	origin: ['origine', 'provenance', 'region_d_origine', 'pays_d_origine', 'origin_area'],
	source: ['canal', 'origine_du_contact', 'source_du_contact', 'channel'],
	stage: ['etape', 'etat', 'phase', 'statut_du_dossier', 'etape_du_dossier', 'pipeline_stage'],
	contact_date: [
		'date_de_contact',
		'date_contact',
		'premier_contact',
		'date_du_premier_contact',
		'first_contact'
	],
	qualified_date: ['date_de_qualification', 'date_qualification', 'qualification'],
	installed_date: ['date_d_installation', 'date_installation', 'installation_date', 'installed_on'],
	installed_commune: [
		'commune_d_installation',
		'commune_installation',
		'code_insee',
		'insee',
		'code_commune',
		'commune_d_installation_code_insee',
		'installed_commune_insee',
		'installed_commune_code'
	],
	left_date: ['date_de_depart', 'date_depart', 'departure_date', 'left_on'],
	left_reason: ['motif_de_depart', 'motif_depart', 'raison_du_depart', 'departure_reason', 'motif'],
	business_siret: ['siret', 'numero_siret', 'n_siret', 'siret_entreprise'],
	business_created_date: [
		'date_de_creation',
		'date_creation',
		'date_de_creation_de_l_entreprise',
		'date_creation_entreprise',
		'business_created_on'
	],
	business_closed_date: [
		'date_de_fermeture',
		'date_fermeture',
		'date_de_cessation',
		'date_cessation',
		'business_closed_on'
	]
};

const HEADER_LOOKUP = new Map<string, CaseImportField>();
for (const field of CASE_IMPORT_FIELDS) {
	HEADER_LOOKUP.set(field, field);
	HEADER_LOOKUP.set(field.replace(/_/g, ''), field);
	for (const synonym of HEADER_SYNONYMS[field]) HEADER_LOOKUP.set(synonym, field);
}

/** The field a header is read as, or null when it is not recognised. */
export function fieldOfHeader(header: string): CaseImportField | null {
	const full = normaliseHeader(header);
	const withoutNote = normaliseHeader(header.replace(/\([^)]*\)/g, ' '));
	return HEADER_LOOKUP.get(full) ?? HEADER_LOOKUP.get(withoutNote) ?? null;
}

/** Automatic mapping: each recognised header gets its field, each field is taken by the first such column. */
export function autoMapping(headers: readonly string[]): (CaseImportField | null)[] {
	const taken = new Set<CaseImportField>();
	return headers.map((header) => {
		const field = fieldOfHeader(header);
		if (!field || taken.has(field)) return null;
		taken.add(field);
		return field;
	});
}

export const isImportField = (value: unknown): value is CaseImportField =>
	typeof value === 'string' && (CASE_IMPORT_FIELDS as readonly string[]).includes(value);

export type MappingIssue = { code: string; field?: CaseImportField; column?: string };

/** Problems with a mapping: a field read from two columns, a required field read from none. */
export function checkMapping(
	headers: readonly string[],
	mapping: readonly (string | null)[]
): MappingIssue[] {
	const issues: MappingIssue[] = [];
	const seen = new Set<string>();
	mapping.forEach((field, index) => {
		if (!field) return;
		if (!isImportField(field)) issues.push({ code: 'case_import.unknown_field', column: headers[index] });
		else if (seen.has(field)) {
			issues.push({ code: 'case_import.field_mapped_twice', field, column: headers[index] });
		}
		seen.add(field);
	});
	for (const field of REQUIRED_IMPORT_FIELDS) {
		if (!seen.has(field)) issues.push({ code: 'case_import.missing_column', field });
	}
	return issues;
}

/* ------------------------------------------------------------------ values */

const pad = (n: number) => String(n).padStart(2, '0');

function existingDate(year: number, month: number, day: number): string | null {
	const date = new Date(Date.UTC(year, month - 1, day));
	if (year < 1900 || year > 2100) return null;
	if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
		return null;
	return `${year}-${pad(month)}-${pad(day)}`;
}

/** A calendar date as YYYY-MM-DD from ISO (2024-03-01, with or without a time) or French (01/03/2024) text. */
export function parseImportDate(text: string): string | null {
	const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
	if (iso) return existingDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
	const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
	if (french) return existingDate(Number(french[3]), Number(french[2]), Number(french[1]));
	return null;
}

/** SIRET: 14 digits passing the Luhn check (La Poste's establishments use their own rule). */
export function isValidSiret(siret: string): boolean {
	if (!/^\d{14}$/.test(siret)) return false;
	const digits = [...siret].map(Number);
	if (siret.startsWith('356000000')) return digits.reduce((sum, d) => sum + d, 0) % 5 === 0;
	let sum = 0;
	for (let i = 0; i < 14; i++) {
		let d = digits[13 - i];
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}

const EMAIL_PATTERN = /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[a-z]{2,}$/i;

/** Words people write for each source. */
const SOURCE_WORDS: Record<CaseSource, string[]> = {
	web_form: [
		'formulaire',
		'formulaire_du_site',
		'site',
		'site_web',
		'site_internet',
		'web',
		'internet',
		'en_ligne',
		'online'
	],
	phone: ['telephone', 'tel', 'appel', 'phone_call', 'call'],
	fair: ['salon', 'foire', 'salon_professionnel', 'trade_fair', 'show'],
	press: ['presse', 'article', 'journal', 'media', 'medias', 'radio', 'tv', 'television'],
	referral: ['recommandation', 'bouche_a_oreille', 'parrainage', 'prescripteur', 'word_of_mouth'],
	ambassador: ['ambassadeur', 'ambassadrice', 'ambassadeurs'],
	event: ['evenement', 'evenements', 'rencontre', 'reunion', 'webinaire', 'webinar'],
	other: ['autre', 'autres', 'divers']
};

function wordLookup<T extends string>(
	keys: readonly T[],
	words: Record<T, string[]>,
	labelKey: (key: T) => string
) {
	const lookup = new Map<string, T>();
	for (const key of keys) {
		lookup.set(key, key);
		for (const word of words[key]) lookup.set(word, key);
		for (const locale of ['fr', 'en'] as const)
			lookup.set(normaliseHeader(translate(locale, labelKey(key))), key);
	}
	return lookup;
}

const SOURCE_LOOKUP = wordLookup(CASE_SOURCES, SOURCE_WORDS, (source) => `case_source_${source}`);

export const sourceOf = (text: string): CaseSource | null => SOURCE_LOOKUP.get(normaliseHeader(text)) ?? null;
/** A status as written in a file: its key when the words name one, else `other` with the text. */
export const statusOf = (text: string): { status: PersonStatus | null; statusOther: string | null } => {
	const value = resolveVocabularyValue('status', text);
	return { status: value.key, statusOther: value.other };
};

/** Stage keys of the pipeline and exits, with their French and English labels (configured ones too). */
export function stageLookup(pipeline: Pick<Pipeline, 'stages' | 'exits' | 'labels'>): Map<string, string> {
	const lookup = new Map<string, string>();
	for (const stage of [...pipeline.stages, ...pipeline.exits]) {
		lookup.set(stage, stage);
		for (const locale of ['fr', 'en'] as const) {
			const label = pipeline.labels?.[stage]?.[locale] ?? translate(locale, `case_stage_${stage}`);
			if (label !== `case_stage_${stage}`) lookup.set(normaliseHeader(label), stage);
		}
	}
	lookup.set('parti', LEFT_TERRITORY);
	lookup.set('depart', LEFT_TERRITORY);
	lookup.set('left', LEFT_TERRITORY);
	lookup.set('abandonne', ABANDONED);
	return lookup;
}

/* ------------------------------------------------------------------ rows */

/** One row read as a case: values are normalised (dates ISO, phone +33…, email lower case). */
export type ImportRecord = {
	externalId: string | null;
	firstName: string | null;
	lastName: string;
	email: string | null;
	phone: string | null;
	birthYear: number | null;
	householdSize: number;
	status: PersonStatus | null;
	/** With status `other`: the status as written in the file. */
	statusOther: string | null;
	sector: PersonSector | null;
	/** With sector `other`: the sector as written in the file. */
	sectorOther: string | null;
	originCountry: string | null;
	/** A key of the origins' vocabulary: a region of France, `overseas`, `abroad` or `other`. */
	originArea: OriginArea | null;
	/** With origin `other`: the origin as written in the file. */
	originAreaOther: string | null;
	source: CaseSource;
	stage: string;
	contactDate: string | null;
	qualifiedDate: string | null;
	installedDate: string | null;
	installedCommune: string | null;
	leftDate: string | null;
	leftReason: string | null;
	businessSiret: string | null;
	businessCreatedDate: string | null;
	businessClosedDate: string | null;
};

/** A problem with one cell: `row` is the spreadsheet's row number (the header is row 1). */
export type RowIssue = {
	row: number;
	field: CaseImportField | null;
	column: string | null;
	code: string;
	value: string;
};

export type ValidatedRow = { row: number; record: ImportRecord | null; issues: RowIssue[] };

/** What validation needs to know about the database, fetched by the service beforehand. */
export type ImportContext = {
	pipeline: Pick<Pipeline, 'stages' | 'exits' | 'labels' | 'installedIndex'>;
	/** INSEE codes of the file that exist in `communes`. */
	knownCommunes: ReadonlySet<string>;
	/** External ids of the file already held by a case of the programme. */
	importedExternalIds: ReadonlySet<string>;
	/** The current year, for birth years. */
	year: number;
};

/** The values of the mapped columns of a row, by field (missing columns read as ''). */
export function cellsByField(
	row: readonly string[],
	mapping: readonly (string | null)[]
): Partial<Record<CaseImportField, string>> {
	const cells: Partial<Record<CaseImportField, string>> = {};
	mapping.forEach((field, index) => {
		if (isImportField(field)) cells[field] = (row[index] ?? '').trim();
	});
	return cells;
}

const TEXT_LIMITS: Partial<Record<CaseImportField, number>> = {
	external_id: 100,
	first_name: 80,
	last_name: 80,
	sector: 120,
	origin: 120,
	left_reason: 2000
};

/**
 * Reads and checks every row. A row is valid when it has no issue; `record` is null
 * otherwise. Rows are numbered as in the spreadsheet (first data row = 2).
 */
export function validateRows(
	rows: readonly (readonly string[])[],
	headers: readonly string[],
	mapping: readonly (string | null)[],
	context: ImportContext
): ValidatedRow[] {
	const columnOf = new Map<string, string>();
	mapping.forEach((field, index) => {
		if (isImportField(field) && !columnOf.has(field)) columnOf.set(field, headers[index] ?? null);
	});
	const stages = stageLookup(context.pipeline);
	const externalIdRows = new Map<string, number>();
	return rows.map((cellsRow, index) => {
		const row = index + 2;
		const cells = cellsByField(cellsRow, mapping);
		const issues: RowIssue[] = [];
		const fail = (field: CaseImportField, code: string) =>
			issues.push({ row, field, column: columnOf.get(field) ?? null, code, value: cells[field] ?? '' });
		const text = (field: CaseImportField) => {
			const value = cells[field] ?? '';
			const limit = TEXT_LIMITS[field];
			if (limit && value.length > limit) fail(field, 'case_import.text_too_long');
			return value === '' ? null : value;
		};
		const date = (field: CaseImportField) => {
			const value = cells[field] ?? '';
			if (value === '') return null;
			const parsed = parseImportDate(value);
			if (!parsed) fail(field, 'case_import.invalid_date');
			return parsed;
		};

		const externalId = text('external_id');
		if (externalId) {
			if (externalIdRows.has(externalId)) fail('external_id', 'case_import.external_id_repeated');
			else if (context.importedExternalIds.has(externalId))
				fail('external_id', 'case_import.already_imported');
			externalIdRows.set(externalId, row);
		}
		const firstName = text('first_name');
		const lastName = text('last_name');
		if (!lastName) fail('last_name', 'case_import.last_name_required');

		let email = text('email');
		if (email) {
			email = email.toLowerCase();
			if (email.length > 254 || !EMAIL_PATTERN.test(email)) fail('email', 'case_import.invalid_email');
		}
		let phone = text('phone');
		if (phone) {
			phone = normalisePhone(phone);
			if (!phone) fail('phone', 'case_import.invalid_phone');
		}
		let birthYear: number | null = null;
		const birthText = text('birth_year');
		if (birthText) {
			birthYear = /^\d{4}$/.test(birthText) ? Number(birthText) : NaN;
			if (!(birthYear >= 1900 && birthYear <= context.year))
				fail('birth_year', 'case_import.invalid_birth_year');
		}
		let householdSize = 1;
		const sizeText = text('household_size');
		if (sizeText) {
			householdSize = /^\d{1,2}$/.test(sizeText) ? Number(sizeText) : NaN;
			if (!(householdSize >= 1 && householdSize <= 15))
				fail('household_size', 'case_import.invalid_household_size');
		}
		// Status and sector: a known label or word is its key; any other text is kept as `other`
		// for an advisor to map (domain/vocabulary), so a file never splits a category.
		const { status, statusOther } = statusOf(text('status') ?? '');
		const sourceText = text('source');
		const source = sourceText ? sourceOf(sourceText) : 'other';
		if (!source) fail('source', 'case_import.invalid_source');
		const { key: sector, other: sectorOther } = resolveVocabularyValue('sector', text('sector'));
		// Origin: a country code or name is abroad with its country; a region, département, city or
		// postcode is its region; any other text is kept as `other` (domain/vocabulary).
		const origin = originValues({ originArea: text('origin') });

		const stageText = text('stage');
		const stage = stageText ? (stages.get(normaliseHeader(stageText)) ?? null) : null;
		if (!stageText) fail('stage', 'case_import.stage_required');
		else if (!stage) fail('stage', 'case_import.unknown_stage');

		const contactDate = date('contact_date');
		const qualifiedDate = date('qualified_date');
		const installedDate = date('installed_date');
		const leftDate = date('left_date');
		const leftReason = text('left_reason');
		const businessCreatedDate = date('business_created_date');
		const businessClosedDate = date('business_closed_date');

		let installedCommune = text('installed_commune');
		if (installedCommune) {
			installedCommune = installedCommune.toUpperCase();
			if (/^\d{4}$/.test(installedCommune)) installedCommune = `0${installedCommune}`; // Excel drops the leading 0
			if (!context.knownCommunes.has(installedCommune))
				fail('installed_commune', 'case_import.unknown_commune');
		}
		let businessSiret = text('business_siret');
		if (businessSiret) {
			businessSiret = businessSiret.replace(/[\s.]/g, '');
			if (!isValidSiret(businessSiret)) fail('business_siret', 'case_import.invalid_siret');
		}

		// Dates in the order of the pipeline: contact ≤ qualified ≤ installed ≤ left.
		const ordered: [CaseImportField, string | null][] = [
			['contact_date', contactDate],
			['qualified_date', qualifiedDate],
			['installed_date', installedDate],
			['left_date', leftDate]
		];
		let latest: string | null = null;
		for (const [field, value] of ordered) {
			if (!value) continue;
			if (latest && value < latest) fail(field, 'case_import.dates_out_of_order');
			else latest = value;
		}
		if (businessCreatedDate && businessClosedDate && businessClosedDate < businessCreatedDate) {
			fail('business_closed_date', 'case_import.dates_out_of_order');
		}

		if (stage) {
			const index = context.pipeline.stages.indexOf(stage);
			const isInstalled =
				stage === LEFT_TERRITORY || (index !== -1 && index >= context.pipeline.installedIndex);
			if (isInstalled) {
				if (!installedDate && !cells.installed_date)
					fail('installed_date', 'case_import.installed_date_required');
				if (!installedCommune) fail('installed_commune', 'case_import.installed_commune_required');
			} else if (installedDate) {
				fail('installed_date', 'case_import.installed_date_before_stage');
			}
			if (stage === LEFT_TERRITORY && !leftDate && !cells.left_date)
				fail('left_date', 'case_import.left_date_required');
			if (stage !== LEFT_TERRITORY && leftDate) fail('left_date', 'case_import.left_date_without_leaving');
		}

		// Issues in the order of the file's columns, as the person reads the row.
		issues.sort(
			(a, b) => (a.field ? mapping.indexOf(a.field) : -1) - (b.field ? mapping.indexOf(b.field) : -1)
		);
		if (issues.length || !lastName || !source || !stage) return { row, record: null, issues };
		return {
			row,
			issues,
			record: {
				externalId,
				firstName,
				lastName,
				email,
				phone,
				birthYear,
				householdSize,
				status,
				statusOther,
				sector,
				sectorOther,
				originCountry: origin.originCountry ?? null,
				originArea: origin.originArea,
				originAreaOther: origin.originAreaOther,
				source,
				stage,
				contactDate,
				qualifiedDate,
				installedDate,
				installedCommune,
				leftDate,
				leftReason,
				businessSiret,
				businessCreatedDate,
				businessClosedDate
			}
		};
	});
}

/* ------------------------------------------------------------------ stage history */

export type HistoryStep = {
	fromStage: string | null;
	toStage: string;
	on: string | null;
	reason: string | null;
};

/**
 * The stage changes an imported case went through, from its row's dates: the first stage
 * at the contact date, 'qualified' at the qualification date, 'installed' at the
 * installation date, 'left_territory' at the departure date (with its reason), and the
 * row's stage last when no dated step reached it (at the latest known date). Steps
 * without a date take the previous step's date (null: the import's time).
 */
export function stageHistory(
	record: ImportRecord,
	pipeline: Pick<Pipeline, 'stages' | 'installedIndex'>
): HistoryStep[] {
	const steps: HistoryStep[] = [];
	let current: string | null = null;
	let lastDate: string | null = record.contactDate;
	const push = (toStage: string, on: string | null, reason: string | null = null) => {
		if (current === toStage) return;
		steps.push({ fromStage: current, toStage, on: on ?? lastDate, reason });
		current = toStage;
		if (on) lastDate = on;
	};
	const first = pipeline.stages[0];
	const targetIndex = pipeline.stages.indexOf(record.stage);
	const reached = (stage: string) => {
		const index = pipeline.stages.indexOf(stage);
		if (index === -1) return false;
		if (record.stage === LEFT_TERRITORY) return index <= pipeline.installedIndex;
		return targetIndex !== -1 && index <= targetIndex;
	};
	push(first, record.contactDate ?? record.qualifiedDate ?? record.installedDate ?? record.leftDate);
	if (record.qualifiedDate && pipeline.stages.includes('qualified') && reached('qualified')) {
		push('qualified', record.qualifiedDate);
	}
	// The stage mapped to the `installed` milestone ('installed' unless the programme renamed it).
	const installedStage = pipeline.stages[pipeline.installedIndex] ?? INSTALLED;
	if (reached(installedStage)) push(installedStage, record.installedDate);
	if (record.stage === LEFT_TERRITORY) push(LEFT_TERRITORY, record.leftDate, record.leftReason);
	else if (record.stage === ABANDONED) push(ABANDONED, null, record.leftReason);
	else push(record.stage, null);
	return steps;
}
