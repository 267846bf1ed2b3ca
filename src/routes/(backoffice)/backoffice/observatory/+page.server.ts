import { getApp } from '#server/app.ts';
import { horizontalBars, OKABE_ITO, yearColumns } from '#server/charts/palette.ts';
import { DomainError } from '#server/errors.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { filtersFromSearchParams } from '#server/domain/observatory/observatory.schemas.ts';
import { INDICATIVE_FROM, type SummaryLabel } from '#server/domain/observatory/summary.rules.ts';
import { getObservatorySummary } from '#server/domain/observatory/summary.service.ts';
import { ValidationError, type FieldIssue } from '#server/validation.ts';
import { formatNumber, formatPercent } from '$lib/domain/observatory/observatory-format.ts';
import { translate } from '$lib/i18n/index.ts';
import type { Locale } from '$lib/i18n/core.ts';
import type { PageServerLoad } from './$types';
import { requireObservatoryViewer } from './observatory.server.ts';

/** The section page behind each finding, and its name in the observatory's navigation. */
const SECTION_PAGES = {
	flows: { path: '/flows', label: 'observatory_nav_flows' },
	funnel: { path: '/funnel', label: 'observatory_nav_funnel' },
	profiles: { path: '/profiles', label: 'observatory_nav_profiles' },
	durability: { path: '/durability', label: 'observatory_nav_durability' },
	integration: { path: '/integration', label: 'observatory_nav_integration' },
	impact: { path: '/impact', label: 'observatory_nav_impact' }
} as const;

export type SummaryFindingView = {
	key: string;
	sentence: string;
	certainty: { level: string; text: string };
	chart: { svg: string; title: string };
	detail: { href: string; text: string };
};

/**
 * The observatory's landing page: the period's key findings for elected officials and funders, in
 * plain sentences, each with one chart, how sure it is, and a link to the section that details it.
 */
export const load: PageServerLoad = async (event) => {
	const viewer = requireObservatoryViewer(event);
	const locale = event.locals.locale;
	const base = { viewerKind: viewer.kind, isAdmin: viewer.isAdmin };
	let summary;
	try {
		summary = await getObservatorySummary(
			{ viewer, input: filtersFromSearchParams(event.url.searchParams) },
			{ db: getApp().database.readDb, cache: getApp().observatoryCache }
		);
	} catch (err) {
		if (err instanceof ValidationError)
			return {
				...base,
				findings: [],
				issues: err.issues as FieldIssue[],
				period: null,
				isFiltered: true,
				minCellSize: null,
				withheld: null
			};
		if (err instanceof DomainError) throwHttpError(err);
		throw err;
	}
	const { context } = summary;
	const stageLabels = context.pipeline.labels ?? {};
	const label = (l: SummaryLabel): string => {
		if ('text' in l) return l.text;
		if ('stage' in l) {
			const own = stageLabels[l.stage]?.[locale];
			if (own) return own;
			const text = translate(locale, `case_stage_${l.stage}`);
			return text === `case_stage_${l.stage}` ? l.stage : text;
		}
		return translate(locale, l.key, l.params);
	};
	const query = event.url.search;
	const findings: SummaryFindingView[] = summary.findings.map((finding, i) => {
		const params = { ...finding.params };
		for (const [name, value] of Object.entries(finding.labelParams ?? {})) params[name] = label(value);
		const title = translate(locale, finding.chart.title);
		const percent = finding.chart.unit === 'percent';
		const format = (value: number) => (percent ? formatPercent(locale, value) : formatNumber(locale, value));
		const section = SECTION_PAGES[finding.section];
		return {
			key: finding.key,
			sentence: translate(locale, finding.message, params),
			certainty: {
				level: finding.certainty.level,
				text: translate(locale, `observatory_summary_certainty_${finding.certainty.level}`, {
					households: finding.certainty.households,
					threshold: INDICATIVE_FROM
				})
			},
			chart: {
				title,
				svg: (finding.chart.years ? yearColumns : horizontalBars)({
					bars: finding.chart.bars.map((bar) => ({ label: label(bar.label), value: bar.value })),
					title,
					format,
					percent,
					tickFormat: percent ? (v: number) => formatPercent(locale as Locale, v) : undefined,
					colour: OKABE_ITO[i % 3 === 0 ? 0 : i % 3 === 1 ? 2 : 1]
				})
			},
			detail: {
				href: `/backoffice/observatory${section.path}${query}`,
				text: translate(locale, 'observatory_summary_detail_link', {
					section: translate(locale, section.label)
				})
			}
		};
	});
	return {
		...base,
		findings,
		issues: [] as FieldIssue[],
		period: context.period,
		isFiltered: context.isFiltered,
		programmeIsDemo: context.programme.isDemo,
		minCellSize: summary.minCellSize,
		withheld: summary.withheld
	};
};
