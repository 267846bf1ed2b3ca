import { defineError } from '../../errors.ts';

/**
 * Only programme staff export the case list: committee members see a reduced view of a
 * few cases on screen, and a spreadsheet of them would leave the programme's control.
 */
export const caseExportForbidden = defineError('case_export.forbidden', 'forbidden');
/** The format is not csv or xlsx. */
export const caseExportInvalidFormat = defineError('case_export.invalid_format', 'invalid');
