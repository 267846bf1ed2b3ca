import { getApp } from '#server/app.ts';
import type { Flows } from '#server/domain/observatory/flows.rules.ts';
import type { Durability } from '#server/domain/observatory/durability.rules.ts';
import type { GeographySection } from '#server/domain/observatory/geography.service.ts';
import type { ImpactSection } from '#server/domain/observatory/impact.service.ts';
import {
	computeObservatorySections,
	envelopeHead,
	isObservatorySection
} from '#server/domain/observatory/observatory-report.service.ts';
import { isWithheldSection } from '#server/domain/observatory/disclosure.rules.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';
import { requireObservatoryViewer } from '../observatory.server.ts';
import { buildReportBlock, reportYear } from './report.server.ts';
import { readContentsPages } from '$lib/domain/observatory/report-layout.ts';

/**
 * The printable annual report: every registered section for one year (`?year=YYYY`, by default
 * the last full year), with the flows since the first contact for history, definitions and
 * method notes. Works without JavaScript; the print stylesheet makes it an A4 document. The PDF
 * route prints it a second time with `?pages=` (target:page,…), the page of each chapter in the
 * first print, which the contents then show.
 */
export const load: PageServerLoad = async (event) => {
	const viewer = requireObservatoryViewer(event);
	const locale = event.locals.locale;
	const now = new Date();
	const year = reportYear(event.url.searchParams.get('year'), now);
	const defaultYear = now.getUTCFullYear() - 1;
	if (year === null)
		return { year: null, defaultYear, yearIssue: 'observatory_report.invalid_year', report: null };
	const db = getApp().database.readDb;
	try {
		const { context, sections } = await computeObservatorySections(
			{ viewer, input: { from: year, to: year } },
			{ db, now, cache: getApp().observatoryCache }
		);
		// History up to the year: flows since the first contact; durability, geography and impact of
		// every cohort installed by then.
		const history = await computeObservatorySections(
			{
				viewer,
				input: { to: year },
				sections: ['flows', 'durability', 'geography', 'impact'].filter(isObservatorySection)
			},
			{ db, now, cache: getApp().observatoryCache }
		);
		// A history section withheld for a reader other than staff (too few households) is left out.
		const toDate = <T>(data: unknown) => (data === undefined || isWithheldSection(data) ? null : (data as T));
		const blocks = Object.entries(sections).map(([name, data]) =>
			buildReportBlock(name, data, {
				locale,
				year,
				history: toDate<Flows>(history.sections.flows),
				durabilityToDate: toDate<Durability>(history.sections.durability),
				geographyToDate: toDate<GeographySection>(history.sections.geography),
				impactToDate: toDate<ImpactSection>(history.sections.impact),
				minCellSize: viewer.kind === 'staff' ? null : context.minCellSize
			})
		);
		return {
			year,
			defaultYear,
			yearIssue: null,
			contentsPages: readContentsPages(event.url.searchParams.get('pages')),
			report: {
				...envelopeHead(context),
				historyPeriod: history.context.period,
				generatedAt: now,
				blocks
			}
		};
	} catch (err) {
		throwHttpError(err);
	}
};
