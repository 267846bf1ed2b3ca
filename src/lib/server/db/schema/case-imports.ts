import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';

export const CASE_IMPORT_FORMATS = ['csv', 'xlsx'] as const;
export type CaseImportFormat = (typeof CASE_IMPORT_FORMATS)[number];

export const CASE_IMPORT_STATUSES = ['draft', 'imported'] as const;
/** draft: uploaded, mapped and previewed (nothing written); imported: its cases were written. */
export type CaseImportStatus = (typeof CASE_IMPORT_STATUSES)[number];

/** What an import wrote, kept on the import for the back office and the CLI. */
export type CaseImportSummary = {
	created: number;
	possibleDuplicates: number;
	stageChanges: number;
};

/**
 * A spreadsheet of past or current cases being imported: the parsed cells are kept so
 * that the upload → mapping → preview → confirm flow works page by page without
 * JavaScript. Nothing reaches `cases` until the import is confirmed with no row in error.
 */
export const caseImportsTable = pgTable(
	'case_imports',
	{
		id: id('imp'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		fileName: text('file_name').notNull(),
		format: text('format').$type<CaseImportFormat>().notNull(),
		/** The header row as read from the file. */
		headers: jsonb('headers').$type<string[]>().notNull(),
		/** The data rows as text cells (dates of XLSX files already as ISO dates). */
		rows: jsonb('rows').$type<string[][]>().notNull(),
		/** The field each column is read as (null: ignored), aligned with `headers`. */
		mapping: jsonb('mapping').$type<(string | null)[]>().notNull(),
		status: text('status').$type<CaseImportStatus>().notNull().default('draft'),
		rowCount: integer('row_count').notNull(),
		summary: jsonb('summary').$type<CaseImportSummary>(),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		importedAt: timestamp('imported_at', { withTimezone: true }),
		...timestamps()
	},
	(table) => [
		// The recent imports of a programme.
		index('case_imports_programme_idx').on(table.programmeId, table.createdAt)
	]
);

export type CaseImport = typeof caseImportsTable.$inferSelect;
