import { getApp } from '#server/app.ts';
import { DomainError, errorMessageKey } from '#server/errors.ts';
import { STATUS } from '#server/http/errors.ts';
import { printToPdf } from '#server/pdf/chromium.ts';
import { contentsPagesParam } from '$lib/domain/observatory/report-layout.ts';
import { translate } from '$lib/i18n/index.ts';
import type { RequestHandler } from './$types';
import { requireObservatoryViewer } from '../../observatory.server.ts';
import { reportYear } from '../report.server.ts';

/**
 * The annual report as PDF: headless Chromium prints the report page, rendered inside this
 * process with the caller's own session (see pdf/chromium.ts: no network, no other URL).
 * Without Chromium or playwright-core: 503 with a message saying to print from the browser.
 */
export const GET: RequestHandler = async (event) => {
	const viewer = requireObservatoryViewer(event);
	const locale = event.locals.locale;
	const year = reportYear(event.url.searchParams.get('year'), new Date());
	const problem = (code: string, status: number) =>
		new Response(translate(locale, errorMessageKey(code)), {
			status,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'private, no-store' }
		});
	if (year === null) return problem('observatory_report.invalid_year', 400);
	try {
		const path = `/backoffice/observatory/report?year=${year}&lang=${locale}`;
		// Printed twice: the contents give each chapter's page, read from the first print.
		const pdf = await printToPdf(
			{
				path,
				fetchPage: (pagePath) => event.fetch(pagePath),
				pathWithPages: (pages) => `${path}&pages=${contentsPagesParam(pages)}`
			},
			{ chromiumPath: getApp().config.chromiumPath }
		);
		event.locals.logger.info({ programmeId: viewer.programmeId, year, bytes: pdf.byteLength }, 'report PDF');
		return new Response(pdf as BodyInit, {
			headers: {
				'content-type': 'application/pdf',
				'content-disposition': `attachment; filename="observatory-report-${year}.pdf"`,
				'cache-control': 'private, no-store'
			}
		});
	} catch (err) {
		if (err instanceof DomainError) return problem(err.code, STATUS[err.kind]);
		throw err;
	}
};
