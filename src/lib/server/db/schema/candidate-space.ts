import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { casesTable } from './cases.ts';
import { programmesTable } from './programmes.ts';

/*
 * The candidate's space (domain/candidate-space). Messages between the candidate and their
 * advisor are case timeline entries (kind 'message', staff visibility), not a table of their own:
 * the timeline is the one story of a case.
 */

export const CASE_DOCUMENT_STATUSES = ['requested', 'received'] as const;
export type CaseDocumentStatus = (typeof CASE_DOCUMENT_STATUSES)[number];

/**
 * A document the advisor asks the household for (a label), and the file the candidate sent for it.
 * The file is in the file storage (files/storage.ts) under `file_key`; only the case's staff and its
 * candidate may download it.
 */
export const caseDocumentsTable = pgTable(
	'case_documents',
	{
		id: id('doc'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		label: text('label').notNull(),
		status: text('status').$type<CaseDocumentStatus>().notNull().default('requested'),
		requestedBy: text('requested_by').references(() => usersTable.id, { onDelete: 'set null' }),
		fileKey: text('file_key'),
		fileName: text('file_name'),
		mimeType: text('mime_type'),
		sizeBytes: integer('size_bytes'),
		uploadedAt: timestamp('uploaded_at', { withTimezone: true }),
		uploadedBy: text('uploaded_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [
		// The documents of one case, in the order they were asked for.
		index('case_documents_case_idx').on(table.caseId, table.createdAt)
	]
);

export type CaseDocument = typeof caseDocumentsTable.$inferSelect;
