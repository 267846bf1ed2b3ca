import { defineError } from '../../errors.ts';

/** No import with this id in the actor's programme. */
export const caseImportNotFound = defineError('case_import.not_found', 'not_found');
/** Only programme staff (admin, advisor) import cases. */
export const caseImportForbidden = defineError('case_import.forbidden', 'forbidden');
/** The file is empty or has no header row. */
export const caseImportEmptyFile = defineError('case_import.empty_file', 'invalid');
/** Not a CSV or XLSX file (an old .xls, a PDF, an image...). */
export const caseImportUnsupportedFormat = defineError('case_import.unsupported_format', 'invalid');
/** A CSV or XLSX file that cannot be read (corrupt, or a zip that is not a workbook). */
export const caseImportUnreadableFile = defineError('case_import.unreadable_file', 'invalid');
/** Over MAX_IMPORT_BYTES. details: { maxMegabytes } */
export const caseImportFileTooLarge = defineError('case_import.file_too_large', 'invalid');
/** Over MAX_IMPORT_ROWS data rows. details: { max } */
export const caseImportTooManyRows = defineError('case_import.too_many_rows', 'invalid');
/** Over MAX_IMPORT_COLUMNS columns. details: { max } */
export const caseImportTooManyColumns = defineError('case_import.too_many_columns', 'invalid');
/** An XLSX that unpacks to over MAX_IMPORT_UNCOMPRESSED_BYTES, or compressed like a zip bomb. details: { maxMegabytes } */
export const caseImportUnpacksTooLarge = defineError('case_import.unpacks_too_large', 'invalid');
/** Reading the file took longer than the time budget. details: { seconds } */
export const caseImportTooSlow = defineError('case_import.too_slow', 'invalid');
/** A header row and no data row. */
export const caseImportNoRows = defineError('case_import.no_rows', 'invalid');
/** The mapping is not one field per column (or misses a required column). details: { issues } */
export const caseImportInvalidMapping = defineError('case_import.invalid_mapping', 'invalid');
/** Rows are in error: nothing was imported. details: { rows, errors } */
export const caseImportHasErrors = defineError('case_import.has_errors', 'conflict');
/** This import was already confirmed; its cases exist. */
export const caseImportAlreadyDone = defineError('case_import.already_done', 'conflict');
