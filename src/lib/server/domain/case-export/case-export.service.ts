import * as v from 'valibot';
import type { Db } from '../../db/index.ts';
import { writeCsv, writeXlsx, type OutCell } from '../../files/tabular.ts';
import { translate } from '../../../i18n/index.ts';
import type { Locale } from '../../../i18n/core.ts';
import { createLogger } from '../../logger.ts';
import { originLabel } from '../vocabulary/vocabulary.rules.ts';
import { findCases, findProgrammePipeline, type CaseListFilters } from '../case/case.repository.ts';
import { resolvePipeline } from '../case/case.rules.ts';
import { listCasesSchema } from '../case/case.schemas.ts';
import { CASE_IMPORT_FIELDS, type CaseImportField } from '../case-import/case-import.rules.ts';
import type { ImportActor } from '../case-import/case-import.service.ts';
import { caseExportForbidden, caseExportInvalidFormat } from './case-export.errors.ts';
import { findCaseExportRows, type CaseExportRow } from './case-export.repository.ts';

const log = createLogger({ namespace: 'case-export:service' });

export const CASE_EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type CaseExportFormat = (typeof CASE_EXPORT_FORMATS)[number];

/** The import columns (so that an export re-imports as is), then what only the export shows. */
export const CASE_EXPORT_COLUMNS = [...CASE_IMPORT_FIELDS, 'reference', 'stage_label', 'advisor'] as const;

const MIME: Record<CaseExportFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
};

/** Most cases one export holds. */
const MAX_EXPORT_ROWS = 100_000;

const filtersSchema = listCasesSchema.entries.filters;

function cellsOf(row: CaseExportRow, stageLabel: (stage: string) => string, locale: Locale): OutCell[] {
	const { case: kase, candidate } = row;
	const day = (value: string | null): OutCell => (value ? { date: value } : null);
	const firstDate = (stage: string) => row.stageDates.get(stage) ?? null;
	const values: Record<CaseImportField, OutCell> = {
		external_id: kase.externalId,
		first_name: candidate?.firstName ?? null,
		last_name: candidate?.lastName ?? null,
		email: candidate?.email ?? null,
		phone: candidate?.phone ?? null,
		birth_year: candidate?.birthYear ?? null,
		household_size: row.householdSize,
		// "other" is written with its words, so the file re-imports as it was entered.
		status: (candidate?.status === 'other' && candidate.statusOther) || candidate?.status || null,
		sector: (candidate?.sector === 'other' && candidate.sectorOther) || candidate?.sector || null,
		// The origin's label in the exporter's language ("Occitanie", "Belgique", the words of
		// "other"), which the import reads back as the same origin.
		origin: candidate ? originLabel(locale, candidate) || null : null,
		source: kase.source,
		stage: kase.stage,
		contact_date: day(firstDate('__first')),
		qualified_date: day(firstDate('qualified')),
		installed_date: day(kase.installedOn),
		installed_commune: kase.installedCommuneCode,
		left_date: day(kase.leftOn),
		left_reason: kase.leftReason ?? kase.abandonedReason,
		business_siret: kase.businessSiret,
		business_created_date: day(kase.businessCreatedOn),
		business_closed_date: day(kase.businessClosedOn)
	};
	return [
		...CASE_IMPORT_FIELDS.map((field) => values[field]),
		kase.reference,
		stageLabel(kase.stage),
		row.advisorName
	];
}

/**
 * The case list as a spreadsheet, with the same filters as the back-office list and in
 * the same order: CSV for French Excel (UTF-8 BOM, `;`, CRLF) or XLSX (bold header, real
 * dates). Staff only; committee members, partners and candidates are refused
 * (case_export.forbidden): a file of cases is not something they may take away.
 */
export async function exportCases(
	{ actor, filters = {}, format }: { actor: ImportActor; filters?: CaseListFilters; format: string },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ fileName: string; contentType: string; body: Uint8Array; count: number }> {
	if (!('system' in actor) && actor.role !== 'admin' && actor.role !== 'advisor') {
		throw caseExportForbidden({ userId: actor.userId });
	}
	if (!(CASE_EXPORT_FORMATS as readonly string[]).includes(format)) throw caseExportInvalidFormat({ format });
	const parsedFilters = v.parse(filtersSchema, filters) as CaseListFilters;
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const { rows: listed } = await findCases({
		db,
		programmeId: actor.programmeId,
		filters: parsedFilters,
		limit: MAX_EXPORT_ROWS,
		offset: 0
	});
	const ids = listed.map((row) => row.id);
	const details = await findCaseExportRows({ db, programmeId: actor.programmeId, caseIds: ids });
	const byId = new Map(details.map((row) => [row.case.id, row]));
	const stageLabel = (stage: string) =>
		pipeline.labels?.[stage]?.[actor.locale] ?? translate(actor.locale, `case_stage_${stage}`);
	const rows = ids.flatMap((id) => {
		const row = byId.get(id);
		return row ? [cellsOf(row, stageLabel, actor.locale)] : [];
	});
	const headers = [...CASE_EXPORT_COLUMNS];
	const body =
		format === 'csv'
			? writeCsv(headers, rows)
			: await writeXlsx(translate(actor.locale, 'caseimport_export_sheet'), headers, rows);
	const day = now.toISOString().slice(0, 10);
	log.info({ programmeId: actor.programmeId, format, count: rows.length }, 'Cases exported');
	return {
		fileName: `cases-${day}.${format}`,
		contentType: MIME[format as CaseExportFormat],
		body,
		count: rows.length
	};
}
