import { defineError } from '../../errors.ts';

/** `?year=` of the annual report is not a 4-digit year. */
export const observatoryReportInvalidYear = defineError('observatory_report.invalid_year', 'invalid');
/** No headless Chromium (or no playwright-core) on this server: the report is printed from the browser. */
export const observatoryReportPdfUnavailable = defineError(
	'observatory_report.pdf_unavailable',
	'unavailable'
);
/** Chromium started but the PDF could not be printed (timeout, crash). */
export const observatoryReportPdfFailed = defineError('observatory_report.pdf_failed', 'unavailable');
