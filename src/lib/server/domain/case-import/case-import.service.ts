import type { Actor } from '../../auth/actor.ts';
import { generateId } from '../../db/columns.ts';
import type { Db } from '../../db/index.ts';
import type {
	caseActivitiesTable,
	CaseImport,
	CaseImportSummary,
	caseStageChangesTable,
	casesTable,
	personsTable
} from '../../db/schema/index.ts';
import { readTable, TabularError, type Table } from '../../files/tabular.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { createLogger } from '../../logger.ts';
import { findLastReferenceOfYear, lockProgramme } from '../case/case-intake.repository.ts';
import { findProgrammePipeline } from '../case/case.repository.ts';
import { insertAuditEntriesInBulk } from '../audit/audit.repository.ts';
import {
	formatCaseReference,
	nextReferenceSequence,
	referencePrefix,
	resolvePipeline,
	type Pipeline
} from '../case/case.rules.ts';
import { findCommuneRecords } from '../territory/territory.repository.ts';
import {
	caseImportAlreadyDone,
	caseImportEmptyFile,
	caseImportFileTooLarge,
	caseImportForbidden,
	caseImportHasErrors,
	caseImportInvalidMapping,
	caseImportNoRows,
	caseImportNotFound,
	caseImportTooManyRows,
	caseImportTooManyColumns,
	caseImportTooSlow,
	caseImportUnpacksTooLarge,
	caseImportUnreadableFile,
	caseImportUnsupportedFormat
} from './case-import.errors.ts';
import {
	findCaseImportById,
	findDuplicateMatches,
	findImportedExternalIds,
	findRecentCaseImports,
	insertActivities,
	insertCaseImport,
	insertCases,
	insertPersons,
	insertStageChanges,
	updateCaseImport,
	type CaseImportListItem,
	type CaseImportRecord
} from './case-import.repository.ts';
import {
	autoMapping,
	checkMapping,
	isImportField,
	MAX_IMPORT_BYTES,
	MAX_IMPORT_COLUMNS,
	MAX_IMPORT_ROWS,
	MAX_IMPORT_UNCOMPRESSED_BYTES,
	normaliseHeader,
	stageHistory,
	validateRows,
	type CaseImportField,
	type ImportRecord,
	type MappingIssue,
	type RowIssue,
	type ValidatedRow
} from './case-import.rules.ts';

const log = createLogger({ namespace: 'case-import:service' });

type Deps = { db: Db; now?: Date };

/**
 * The `soho` command acting for a programme without a user account: what it writes has
 * no author (`created_by`, `changed_by` null), like the public application form.
 */
export type SystemActor = { system: true; programmeId: string; locale: Locale };
export type ImportActor = Actor | SystemActor;

const isSystem = (actor: ImportActor): actor is SystemActor => 'system' in actor && actor.system === true;
const userIdOf = (actor: ImportActor) => (isSystem(actor) ? null : actor.userId);

/** Only programme staff (and the CLI) import: committee members, partners, candidates are refused. */
function assertCanImport(actor: ImportActor): void {
	if (isSystem(actor)) return;
	if (actor.role !== 'admin' && actor.role !== 'advisor') throw caseImportForbidden({ userId: actor.userId });
}

const IMPORT_ID = /^imp_[a-z0-9]{8,64}$/;

/* ------------------------------------------------------------------ reading the file */

/** Reads a CSV or XLSX upload into a table, refusing with a clear code what cannot be imported. */
async function readImportFile({ fileName, bytes }: { fileName: string; bytes: Uint8Array }) {
	if (bytes.length > MAX_IMPORT_BYTES) {
		throw caseImportFileTooLarge({ maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024, bytes: bytes.length });
	}
	try {
		const { format, table } = await readTable(fileName, bytes, {
			maxColumns: MAX_IMPORT_COLUMNS,
			maxRows: MAX_IMPORT_ROWS,
			maxUncompressedBytes: MAX_IMPORT_UNCOMPRESSED_BYTES
		});
		if (table.headers.length === 0) throw caseImportEmptyFile({ fileName });
		if (table.rows.length === 0) throw caseImportNoRows({ fileName });
		if (table.rows.length > MAX_IMPORT_ROWS) {
			throw caseImportTooManyRows({ max: MAX_IMPORT_ROWS, rows: table.rows.length });
		}
		return { format, table };
	} catch (error) {
		if (!(error instanceof TabularError)) throw error;
		if (error.reason === 'empty_file') throw caseImportEmptyFile({ fileName });
		if (error.reason === 'unsupported_format') throw caseImportUnsupportedFormat({ fileName });
		if (error.reason === 'too_many_rows') throw caseImportTooManyRows({ max: MAX_IMPORT_ROWS });
		if (error.reason === 'too_many_columns') throw caseImportTooManyColumns({ max: MAX_IMPORT_COLUMNS });
		if (error.reason === 'too_large_uncompressed') {
			throw caseImportUnpacksTooLarge({ maxMegabytes: MAX_IMPORT_UNCOMPRESSED_BYTES / 1024 / 1024 });
		}
		if (error.reason === 'too_slow') throw caseImportTooSlow({ seconds: (error.limit ?? 0) / 1000 });
		throw caseImportUnreadableFile({ fileName });
	}
}

/* ------------------------------------------------------------------ checking the rows */

/** The duplicate key of a name with birth year, normalised as the database compares it. */
export function nameKeyOf(
	firstName: string | null,
	lastName: string,
	birthYear: number | null
): string | null {
	if (birthYear === null || !firstName) return null;
	const fold = (text: string) =>
		text
			.normalize('NFD')
			.replace(/\p{M}/gu, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, ' ')
			.trim();
	return `${fold(firstName)}|${fold(lastName)}|${birthYear}`;
}

/** A valid row flagged as a possible duplicate: of a case already in the programme, or of an earlier row. */
export type DuplicateOf = { caseId: string; row: null } | { caseId: null; row: number };

type Analysis = {
	pipeline: Pipeline;
	mappingIssues: MappingIssue[];
	rows: ValidatedRow[];
	issues: RowIssue[];
	/** By row number. */
	duplicates: Map<number, DuplicateOf>;
};

/** Checks the mapping, then every row against the programme (pipeline, communes, past imports, duplicates). */
async function analyse(
	{
		programmeId,
		table,
		mapping,
		year
	}: { programmeId: string; table: Table; mapping: (string | null)[]; year: number },
	{ db }: { db: Db }
): Promise<Analysis> {
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId }));
	const mappingIssues = checkMapping(table.headers, mapping);
	if (mappingIssues.length) return { pipeline, mappingIssues, rows: [], issues: [], duplicates: new Map() };
	const columnOf = (field: CaseImportField) => mapping.indexOf(field);
	const distinct = (field: CaseImportField, normalise: (text: string) => string = (text) => text) => {
		const column = columnOf(field);
		if (column === -1) return [];
		return [...new Set(table.rows.map((row) => normalise((row[column] ?? '').trim())).filter(Boolean))];
	};
	const communeCodes = distinct('installed_commune', (code) => {
		const upper = code.toUpperCase();
		return /^\d{4}$/.test(upper) ? `0${upper}` : upper;
	}).filter((code) => /^(\d{5}|2[AB]\d{3})$/.test(code));
	const externalIds = distinct('external_id');
	const [communes, imported] = await Promise.all([
		findCommuneRecords({ db, codes: communeCodes }),
		findImportedExternalIds({ db, programmeId, externalIds })
	]);
	const rows = validateRows(table.rows, table.headers, mapping, {
		pipeline,
		knownCommunes: new Set(communes.map((commune) => commune.code)),
		importedExternalIds: new Set(imported),
		year
	});
	const issues = rows.flatMap((row) => row.issues);
	return {
		pipeline,
		mappingIssues,
		rows,
		issues,
		duplicates: await findDuplicates(programmeId, rows, { db })
	};
}

/**
 * Possible duplicates among the valid rows: the same email, phone, or first name, last
 * name and birth year as a person of the programme (the most recent one wins) or as an
 * earlier row of the file. Flagged, never refused: an advisor merges or clears them.
 */
async function findDuplicates(
	programmeId: string,
	rows: ValidatedRow[],
	{ db }: { db: Db }
): Promise<Map<number, DuplicateOf>> {
	const records = rows.filter((row): row is ValidatedRow & { record: ImportRecord } => row.record !== null);
	const keysOf = (record: ImportRecord) =>
		[
			record.email ? `e:${record.email}` : null,
			record.phone ? `p:${record.phone}` : null,
			(() => {
				const key = nameKeyOf(record.firstName, record.lastName, record.birthYear);
				return key ? `n:${key}` : null;
			})()
		].filter((key): key is string => key !== null);
	const matches = await findDuplicateMatches({
		db,
		programmeId,
		emails: [...new Set(records.flatMap((row) => (row.record.email ? [row.record.email] : [])))],
		phones: [...new Set(records.flatMap((row) => (row.record.phone ? [row.record.phone] : [])))],
		nameKeys: [
			...new Set(
				records.flatMap((row) => {
					const key = nameKeyOf(row.record.firstName, row.record.lastName, row.record.birthYear);
					return key ? [key] : [];
				})
			)
		]
	});
	const existing = new Map<string, string>();
	for (const match of matches) {
		for (const key of [
			match.email ? `e:${match.email}` : null,
			match.phone ? `p:${match.phone}` : null,
			match.nameKey ? `n:${match.nameKey}` : null
		]) {
			if (key && !existing.has(key)) existing.set(key, match.caseId);
		}
	}
	const duplicates = new Map<number, DuplicateOf>();
	const earlier = new Map<string, number>();
	for (const { row, record } of records) {
		const keys = keysOf(record);
		const caseId = keys.map((key) => existing.get(key)).find(Boolean);
		const ofRow = keys.map((key) => earlier.get(key)).find((value) => value !== undefined);
		if (caseId) duplicates.set(row, { caseId, row: null });
		else if (ofRow !== undefined) duplicates.set(row, { caseId: null, row: ofRow });
		for (const key of keys) if (!earlier.has(key)) earlier.set(key, row);
	}
	return duplicates;
}

/* ------------------------------------------------------------------ writing */

const PREVIEW_ROWS = 10;

const NO_PERSON_DETAILS = {
	firstName: null,
	lastName: null,
	email: null,
	phone: null,
	birthYear: null,
	status: null,
	statusOther: null,
	sector: null,
	sectorOther: null,
	originCountry: null,
	originArea: null,
	originAreaOther: null
};

/** A calendar day as a time: midday UTC keeps the same day in every French time zone. */
const dayTime = (day: string, offsetSeconds: number) =>
	new Date(Date.parse(`${day}T12:00:00Z`) + offsetSeconds * 1000);

/**
 * Writes the valid rows as cases in the caller's transaction: references in sequence,
 * the household (the candidate, then one unnamed 'other' person per extra member so the
 * observatory counts people), the stage history at the row's dates, and one timeline
 * note naming the file. Everything is inserted in batches.
 */
/** The audit's "after" of a created record: its values, without ids, bookkeeping or blanks. */
function withoutEmpty(values: Record<string, unknown>): Record<string, unknown> {
	const skipped = new Set([
		'id',
		'programmeId',
		'caseId',
		'createdAt',
		'updatedAt',
		'createdBy',
		'updatedBy',
		'isDemo'
	]);
	return Object.fromEntries(
		Object.entries(values).filter(
			([key, value]) =>
				!skipped.has(key) &&
				value !== null &&
				value !== undefined &&
				value !== '' &&
				!(Array.isArray(value) && value.length === 0)
		)
	);
}

async function writeRecords(
	{
		programmeId,
		records,
		duplicates,
		pipeline,
		importId,
		fileName,
		actor,
		now
	}: {
		programmeId: string;
		records: { row: number; record: ImportRecord }[];
		duplicates: Map<number, DuplicateOf>;
		pipeline: Pipeline;
		importId: string;
		fileName: string;
		actor: ImportActor;
		now: Date;
	},
	{ db }: { db: Db }
): Promise<CaseImportSummary> {
	const programme = await lockProgramme({ db, programmeId });
	if (!programme) throw caseImportNotFound({ programmeId });
	const year = now.getUTCFullYear();
	const prefix = referencePrefix(programme.slug);
	const last = await findLastReferenceOfYear({ db, programmeId, prefix, year });
	let sequence = nextReferenceSequence(last ? [last] : [], prefix, year);
	const actorId = userIdOf(actor);
	const caseIdOfRow = new Map<number, string>();
	const cases: (typeof casesTable.$inferInsert)[] = [];
	const persons: (typeof personsTable.$inferInsert)[] = [];
	const changes: (typeof caseStageChangesTable.$inferInsert)[] = [];
	const activities: (typeof caseActivitiesTable.$inferInsert)[] = [];
	const summaryText = translate(actor.locale, 'caseimport_activity_summary', { file: fileName });
	let possibleDuplicates = 0;
	for (const { row, record } of records) {
		const caseId = generateId('cas');
		caseIdOfRow.set(row, caseId);
		const duplicate = duplicates.get(row);
		const possibleDuplicateOf = duplicate
			? (duplicate.caseId ?? caseIdOfRow.get(duplicate.row as number) ?? null)
			: null;
		if (possibleDuplicateOf) possibleDuplicates++;
		const history = stageHistory(record, pipeline).map((step, index) => ({
			...step,
			at: step.on ? dayTime(step.on, index) : new Date(now.getTime() + index * 1000)
		}));
		const lastStep = history[history.length - 1];
		const reference = formatCaseReference(prefix, year, sequence++);
		cases.push({
			id: caseId,
			programmeId,
			reference,
			externalId: record.externalId,
			source: record.source,
			stage: record.stage,
			stageChangedAt: lastStep.at,
			advisorId: null,
			installedCommuneCode: record.installedCommune,
			installedOn: record.installedDate,
			leftOn: record.leftDate,
			leftReason: record.stage === 'left_territory' ? record.leftReason : null,
			abandonedReason: record.stage === 'abandoned' ? record.leftReason : null,
			businessSiret: record.businessSiret,
			businessCreatedOn: record.businessCreatedDate,
			businessClosedOn: record.businessClosedDate,
			possibleDuplicateOf,
			createdBy: actorId,
			updatedBy: actorId,
			// Past records keep their own first date: "new cases this week" stays true.
			createdAt: history[0].at < now ? history[0].at : now,
			updatedAt: now
		});
		persons.push({
			id: generateId('per'),
			programmeId,
			caseId,
			householdRole: 'candidate',
			firstName: record.firstName,
			lastName: record.lastName,
			email: record.email,
			phone: record.phone,
			birthYear: record.birthYear,
			status: record.status,
			statusOther: record.statusOther,
			sector: record.sector,
			sectorOther: record.sectorOther,
			originCountry: record.originCountry,
			originArea: record.originArea,
			originAreaOther: record.originAreaOther
		});
		// Unnamed members carry the same columns (null) so that one batch writes them all.
		for (let i = 1; i < record.householdSize; i++) {
			persons.push({
				id: generateId('per'),
				programmeId,
				caseId,
				householdRole: 'other',
				...NO_PERSON_DETAILS
			});
		}
		for (const step of history) {
			changes.push({
				programmeId,
				caseId,
				fromStage: step.fromStage,
				toStage: step.toStage,
				changedAt: step.at,
				changedBy: actorId,
				reason: step.reason
			});
		}
		activities.push({
			programmeId,
			caseId,
			kind: 'note',
			occurredAt: now,
			authorId: actorId,
			summary: summaryText,
			data: {
				messageKey: 'caseimport_activity_summary',
				importId,
				fileName,
				row,
				reference,
				...(record.externalId ? { externalId: record.externalId } : {}),
				...(possibleDuplicateOf ? { possibleDuplicateOf } : {})
			}
		});
	}
	await insertCases({ db, cases });
	await insertPersons({ db, persons });
	await insertStageChanges({ db, changes });
	await insertActivities({ db, activities });
	// The history of changes starts with the import: who ran it (or the CLI), the values written.
	const author = actorId
		? { actorId, actorLabel: (actor as Actor).name || (actor as Actor).email }
		: { actorId: null, actorLabel: 'import' };
	const audit = [
		...cases.map((kase) => ({
			programmeId,
			caseId: kase.id!,
			entityType: 'case' as const,
			entityId: kase.id!,
			action: 'create' as const,
			...author,
			at: now,
			before: {},
			after: withoutEmpty({ ...kase, importId, fileName })
		})),
		...persons.map((person) => ({
			programmeId,
			caseId: person.caseId,
			entityType: 'person' as const,
			entityId: person.id!,
			action: 'create' as const,
			...author,
			at: now,
			before: {},
			after: withoutEmpty(person)
		}))
	];
	await insertAuditEntriesInBulk({ db, entries: audit });
	return { created: cases.length, possibleDuplicates, stageChanges: changes.length };
}

/* ------------------------------------------------------------------ use cases */

export type CaseImportView = Pick<
	CaseImport,
	| 'id'
	| 'fileName'
	| 'format'
	| 'status'
	| 'rowCount'
	| 'headers'
	| 'mapping'
	| 'summary'
	| 'createdAt'
	| 'importedAt'
>;

const toView = ({
	rows: _rows,
	programmeId: _p,
	createdBy: _c,
	updatedAt: _u,
	...view
}: CaseImportRecord & { rows?: unknown }): CaseImportView => view;

async function loadImport(
	{ actor, importId, forUpdate = false }: { actor: ImportActor; importId: string; forUpdate?: boolean },
	{ db }: { db: Db }
): Promise<CaseImport> {
	assertCanImport(actor);
	if (!IMPORT_ID.test(importId)) throw caseImportNotFound({ importId });
	const found = await findCaseImportById({ db, programmeId: actor.programmeId, importId, forUpdate });
	if (!found) throw caseImportNotFound({ importId });
	return found;
}

/**
 * Uploads a CSV or XLSX file: reads it, maps its headers to the import fields, and keeps
 * it as a draft import. Nothing is checked against the programme yet (see previewCaseImport).
 */
export async function createCaseImport(
	{ actor, input }: { actor: ImportActor; input: { fileName: string; bytes: Uint8Array } },
	{ db, now = new Date() }: Deps
): Promise<{ import: CaseImportView }> {
	assertCanImport(actor);
	const fileName = (input.fileName || 'import.csv').replace(/[/\\]/g, '_').slice(0, 200);
	const { format, table } = await readImportFile({ fileName, bytes: input.bytes });
	const created = await insertCaseImport({
		db,
		values: {
			programmeId: actor.programmeId,
			fileName,
			format,
			headers: table.headers,
			rows: table.rows,
			mapping: autoMapping(table.headers),
			rowCount: table.rows.length,
			createdBy: userIdOf(actor),
			createdAt: now,
			updatedAt: now
		}
	});
	log.info(
		{ importId: created.id, programmeId: actor.programmeId, rows: created.rowCount, format },
		'Case import uploaded'
	);
	return { import: toView(created) };
}

/** Changes the field each column is read as (null or '' ignores the column). Drafts only. */
export async function setCaseImportMapping(
	{ actor, importId, mapping }: { actor: ImportActor; importId: string; mapping: (string | null)[] },
	{ db, now = new Date() }: Deps
): Promise<{ import: CaseImportView }> {
	return db.transaction(async (tx) => {
		const found = await loadImport({ actor, importId, forUpdate: true }, { db: tx });
		if (found.status !== 'draft') throw caseImportAlreadyDone({ importId });
		if (mapping.length !== found.headers.length) {
			throw caseImportInvalidMapping({ issues: [{ code: 'case_import.unknown_field' }] });
		}
		const cleaned = mapping.map((field) => (field === null || field === '' ? null : field));
		const unknown = cleaned.flatMap((field, index) =>
			field !== null && !isImportField(field)
				? [{ code: 'case_import.unknown_field', column: found.headers[index] }]
				: []
		);
		if (unknown.length) throw caseImportInvalidMapping({ issues: unknown });
		const updated = await updateCaseImport({
			db: tx,
			programmeId: actor.programmeId,
			importId,
			values: { mapping: cleaned, updatedAt: now }
		});
		return { import: toView(updated) };
	});
}

export type CaseImportPreview = {
	import: CaseImportView;
	/** The first rows as read, for the preview table. */
	sample: string[][];
	mappingIssues: MappingIssue[];
	/** Every problem of every row (row number as in the spreadsheet, header = row 1). */
	issues: RowIssue[];
	counts: {
		rows: number;
		valid: number;
		rowsInError: number;
		/** Valid rows that would open a new case (all of them), and those flagged as possible duplicates. */
		newCases: number;
		possibleDuplicates: number;
	};
	/** Valid rows flagged as possible duplicates (row number → existing case or earlier row). */
	duplicates: { row: number; caseId: string | null; ofRow: number | null }[];
	/** True when the import may be confirmed: a draft, a sound mapping and no row in error. */
	canImport: boolean;
};

function toPreview(found: CaseImport, analysis: Analysis): CaseImportPreview {
	const rowsInError = analysis.rows.filter((row) => row.issues.length > 0).length;
	const valid = analysis.rows.length - rowsInError;
	const duplicates = [...analysis.duplicates].map(([row, of]) => ({ row, caseId: of.caseId, ofRow: of.row }));
	return {
		import: toView(found),
		sample: found.rows.slice(0, PREVIEW_ROWS),
		mappingIssues: analysis.mappingIssues,
		issues: analysis.issues,
		counts: {
			rows: found.rowCount,
			valid,
			rowsInError,
			newCases: analysis.mappingIssues.length ? 0 : valid,
			possibleDuplicates: duplicates.length
		},
		duplicates,
		canImport:
			found.status === 'draft' && analysis.mappingIssues.length === 0 && rowsInError === 0 && valid > 0
	};
}

/** The dry run: every row checked against the programme as the import would, nothing written. */
export async function previewCaseImport(
	{ actor, importId }: { actor: ImportActor; importId: string },
	{ db, now = new Date() }: Deps
): Promise<CaseImportPreview> {
	const found = await loadImport({ actor, importId }, { db });
	const analysis = await analyse(
		{ programmeId: actor.programmeId, table: found, mapping: found.mapping, year: now.getUTCFullYear() },
		{ db }
	);
	return toPreview(found, analysis);
}

/**
 * Confirms a draft import: in ONE transaction, checks every row again and, if any is in
 * error, writes nothing (case_import.has_errors); otherwise writes all the cases.
 */
export async function runCaseImport(
	{ actor, importId }: { actor: ImportActor; importId: string },
	{ db, now = new Date() }: Deps
): Promise<{ import: CaseImportView; summary: CaseImportSummary }> {
	const result = await db.transaction(async (tx) => {
		const found = await loadImport({ actor, importId, forUpdate: true }, { db: tx });
		if (found.status !== 'draft') throw caseImportAlreadyDone({ importId });
		const analysis = await analyse(
			{ programmeId: actor.programmeId, table: found, mapping: found.mapping, year: now.getUTCFullYear() },
			{ db: tx }
		);
		assertNoErrors(analysis);
		const summary = await writeRecords(
			{
				programmeId: actor.programmeId,
				records: validRecords(analysis),
				duplicates: analysis.duplicates,
				pipeline: analysis.pipeline,
				importId: found.id,
				fileName: found.fileName,
				actor,
				now
			},
			{ db: tx }
		);
		const updated = await updateCaseImport({
			db: tx,
			programmeId: actor.programmeId,
			importId,
			values: { status: 'imported', importedAt: now, summary, updatedAt: now }
		});
		return { import: toView(updated), summary };
	});
	log.info({ importId, programmeId: actor.programmeId, ...result.summary }, 'Cases imported');
	return result;
}

function assertNoErrors(analysis: Analysis): void {
	if (analysis.mappingIssues.length) throw caseImportInvalidMapping({ issues: analysis.mappingIssues });
	const rowsInError = new Set(analysis.issues.map((issue) => issue.row)).size;
	if (rowsInError) throw caseImportHasErrors({ rows: rowsInError, errors: analysis.issues.length });
}

const validRecords = (analysis: Analysis) =>
	analysis.rows.flatMap((row) => (row.record ? [{ row: row.row, record: row.record }] : []));

/** Recent imports of the actor's programme, newest first. */
export async function listCaseImports(
	{ actor, limit = 10 }: { actor: ImportActor; limit?: number },
	{ db }: Deps
): Promise<{ imports: CaseImportListItem[] }> {
	assertCanImport(actor);
	return { imports: await findRecentCaseImports({ db, programmeId: actor.programmeId, limit }) };
}

/* ------------------------------------------------------------------ one-shot import (CLI) */

/**
 * Applies `header → field` overrides to the automatic mapping: headers are compared
 * normalised; '' or 'ignore' leaves the column out. Unknown headers or fields are refused.
 */
export function applyMappingOverrides(
	headers: readonly string[],
	overrides: Record<string, string>
): (string | null)[] {
	const mapping: (string | null)[] = autoMapping(headers);
	const issues: MappingIssue[] = [];
	for (const [header, field] of Object.entries(overrides)) {
		const index = headers.findIndex((candidate) => normaliseHeader(candidate) === normaliseHeader(header));
		const target = field === '' || field === 'ignore' ? null : field;
		if (index === -1) issues.push({ code: 'case_import.unknown_column', column: header });
		else if (target !== null && !isImportField(target))
			issues.push({ code: 'case_import.unknown_field', column: header });
		else {
			// A field given explicitly leaves the column that had it automatically.
			if (target !== null) mapping.forEach((current, i) => (current === target ? (mapping[i] = null) : null));
			mapping[index] = target;
		}
	}
	if (issues.length) throw caseImportInvalidMapping({ issues });
	return mapping;
}

export type CaseFileImportResult = {
	status: 'invalid' | 'dry_run' | 'imported';
	fileName: string;
	format: 'csv' | 'xlsx';
	headers: string[];
	mapping: (string | null)[];
	mappingIssues: MappingIssue[];
	issues: RowIssue[];
	counts: CaseImportPreview['counts'];
	importId: string | null;
	summary: CaseImportSummary | null;
};

/**
 * Reads, checks and (unless `isDryRun`) imports a file in one go, for the CLI: rows in
 * error come back as data and nothing is written; otherwise the import is recorded as
 * done and its cases written, in one transaction.
 */
export async function importCaseFile(
	{
		actor,
		input
	}: {
		actor: ImportActor;
		input: { fileName: string; bytes: Uint8Array; mapping?: Record<string, string>; isDryRun?: boolean };
	},
	{ db, now = new Date() }: Deps
): Promise<CaseFileImportResult> {
	assertCanImport(actor);
	const fileName = input.fileName.replace(/^.*[/\\]/, '').slice(0, 200) || 'import.csv';
	const { format, table } = await readImportFile({ fileName, bytes: input.bytes });
	const mapping = applyMappingOverrides(table.headers, input.mapping ?? {});
	return db.transaction(async (tx) => {
		const analysis = await analyse(
			{ programmeId: actor.programmeId, table, mapping, year: now.getUTCFullYear() },
			{ db: tx }
		);
		const rowsInError = new Set(analysis.issues.map((issue) => issue.row)).size;
		const valid = analysis.rows.length - rowsInError;
		const base = {
			fileName,
			format,
			headers: table.headers,
			mapping,
			mappingIssues: analysis.mappingIssues,
			issues: analysis.issues,
			counts: {
				rows: table.rows.length,
				valid,
				rowsInError,
				newCases: analysis.mappingIssues.length ? 0 : valid,
				possibleDuplicates: analysis.duplicates.size
			}
		};
		if (analysis.mappingIssues.length || rowsInError) {
			return { ...base, status: 'invalid' as const, importId: null, summary: null };
		}
		if (input.isDryRun) return { ...base, status: 'dry_run' as const, importId: null, summary: null };
		const record = await insertCaseImport({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				fileName,
				format,
				headers: table.headers,
				rows: table.rows,
				mapping,
				rowCount: table.rows.length,
				createdBy: userIdOf(actor),
				createdAt: now,
				updatedAt: now
			}
		});
		const summary = await writeRecords(
			{
				programmeId: actor.programmeId,
				records: validRecords(analysis),
				duplicates: analysis.duplicates,
				pipeline: analysis.pipeline,
				importId: record.id,
				fileName,
				actor,
				now
			},
			{ db: tx }
		);
		await updateCaseImport({
			db: tx,
			programmeId: actor.programmeId,
			importId: record.id,
			values: { status: 'imported', importedAt: now, summary }
		});
		log.info({ importId: record.id, programmeId: actor.programmeId, ...summary }, 'Cases imported');
		return { ...base, status: 'imported' as const, importId: record.id, summary };
	});
}
