import { Plot, renderPlot } from '#server/charts/plot.ts';
import { OKABE_ITO, seriesColours } from '#server/charts/palette.ts';
import { isWithheldSection } from '#server/domain/observatory/disclosure.rules.ts';
import type { Durability } from '#server/domain/observatory/durability.rules.ts';
import type { Flows } from '#server/domain/observatory/flows.rules.ts';
import type { GeographySection } from '#server/domain/observatory/geography.service.ts';
import type { ImpactSection } from '#server/domain/observatory/impact.service.ts';
import type { Integration } from '#server/domain/observatory/integration.rules.ts';
import type { Profiles } from '#server/domain/observatory/profiles.rules.ts';
import type { FunnelSection } from '#server/domain/observatory/observatory.service.ts';
import { OBSERVATORY_INDICATORS } from '#server/domain/observatory/observatory.definitions.ts';
import { summariseSection } from '#domain/observatory/section-summary.ts';
import { geographyVerdict } from '$lib/domain/observatory/geography-verdict.ts';
import {
	formatNumber,
	formatPValue,
	formatPercent,
	formatProportion
} from '$lib/domain/observatory/observatory-format.ts';
import {
	figureWidthEm,
	keepFiguresWhole,
	printedText,
	splitWideTable,
	type LaidTable
} from '$lib/domain/observatory/report-layout.ts';
import { createTranslator, translate, type Locale } from '$lib/i18n/index.ts';
import { observatoryOriginLabel } from '$lib/components/backoffice/CaseFormat.ts';

/**
 * The annual report's blocks, one per registered section: key figures, charts (server SVG), small
 * tables. Sections with a dedicated summary below (flows, funnel, profiles) are presented; any
 * other registered section gets an automatic summary of its values and a link to its page, so a
 * new section appears in the report at once (its owner may add a summary here).
 */

export type ReportFigure = {
	label: string;
	value: string;
	defKey?: string;
	/** The value's width in ems (`figureWidthEm`): the page sizes the figure to fit its box. */
	widthEm?: number;
};
export type ReportTable = LaidTable & {
	/** At most this many value columns per table on an A4 page (default 5); wider tables are split. */
	maxValueColumns?: number;
};
export type ReportBlock = {
	name: string;
	title: string;
	href: string;
	figures: ReportFigure[];
	charts: { svg: string; title: string }[];
	tables: ReportTable[];
	/** Sentences under the figures (e.g. the spatial pattern in words). */
	notes?: string[];
	isGeneric: boolean;
	definitions: { key: string; name: string; text: string }[];
};

type BuildContext = {
	locale: Locale;
	year: number;
	/** The flows from the first contact to the report's year (history chart and table). */
	history: Flows | null;
	/** Durability of every installation up to the report's year (one year's cohort is too young). */
	durabilityToDate: Durability | null;
	/** Where every household installed up to the report's year settled (one year is too few). */
	geographyToDate?: GeographySection | null;
	/** The impact of every household installed up to the year and still there at its end. */
	impactToDate?: ImpactSection | null;
	/** The minimum cell size when the reader is not staff (hidden figures); null or absent for staff. */
	minCellSize?: number | null;
};
type Builder = (
	data: unknown,
	context: BuildContext
) => Omit<ReportBlock, 'name' | 'title' | 'href' | 'definitions'>;

const tr = (locale: Locale, key: string, params?: Record<string, string | number>) =>
	translate(locale, key, params);

/** A message if it exists, else the fallback (section names of sections without messages). */
function trOr(locale: Locale, key: string, fallback: string): string {
	const text = translate(locale, key);
	return text === key ? fallback : text;
}

const defName = (locale: Locale, key: string) => tr(locale, `observatory_def_${key}_name`);

const FLOW_FIGURES = [
	['contacts', 'contact'],
	['qualified', 'qualified_project'],
	['installations', 'installation'],
	['personsInstalled', 'persons_installed'],
	['members', 'member'],
	['departures', 'departure'],
	['abandonments', 'abandonment'],
	['businessesCreated', 'business_created'],
	['businessesActiveAtYearEnd', 'business_active']
] as const;

const flowsBlock: Builder = (data, { locale, year, history }) => {
	const flows = data as Flows;
	const row = flows.years.find((y) => y.year === year);
	const n = (value: number) => formatNumber(locale, value);
	const figures: ReportFigure[] = row
		? FLOW_FIGURES.map(([field, key]) => ({ label: defName(locale, key), value: n(row[field]), defKey: key }))
		: [];
	const charts: ReportBlock['charts'] = [];
	const tables: ReportTable[] = [];
	if (history && history.years.length) {
		const title = tr(locale, 'observatory_report_flows_chart_title', {
			from: String(history.period.from),
			to: String(history.period.to)
		});
		const series = [
			['contacts', defName(locale, 'contact')],
			['installations', defName(locale, 'installation')]
		] as const;
		const points = history.years.flatMap((y) =>
			series.map(([field, what]) => ({ year: y.year, what, count: y[field] }))
		);
		charts.push({
			title,
			svg: renderPlot(
				{
					marginLeft: 48,
					height: 240,
					width: 640,
					x: { label: null, tickFormat: 'd', ticks: Math.min(history.years.length, 8) },
					y: { grid: true, label: null },
					// Colour-blind-safe and distinct in print as on screen (the observatory's palette).
					color: { legend: true, range: seriesColours(series.length) },
					marks: [
						Plot.lineY(points, { x: 'year', y: 'count', stroke: 'what', marker: 'circle' }),
						Plot.ruleY([0])
					]
				},
				{
					title,
					description: history.years.map((y) => `${y.year}: ${y.contacts} / ${y.installations}`).join('; ')
				}
			)
		});
		tables.push({
			caption: tr(locale, 'observatory_report_flows_history'),
			head: [
				tr(locale, 'observatory_year'),
				defName(locale, 'contact'),
				defName(locale, 'installation'),
				defName(locale, 'persons_installed'),
				defName(locale, 'departure'),
				tr(locale, 'observatory_flows_present_households')
			],
			rows: history.years.map((y) => [
				String(y.year),
				n(y.contacts),
				n(y.installations),
				n(y.personsInstalled),
				n(y.departures),
				n(y.householdsPresentAtYearEnd)
			])
		});
	}
	return { figures, charts, tables, isGeneric: false };
};

function stageName(locale: Locale, stage: string, labels: FunnelSection['stageLabels'] = {}): string {
	return labels[stage]?.[locale] || trOr(locale, `case_stage_${stage}`, stage);
}

const funnelBlock: Builder = (data, { locale, year }) => {
	const funnel = data as FunnelSection;
	const n = (value: number) => formatNumber(locale, value);
	const title = tr(locale, 'observatory_report_funnel_chart_title', { year: String(year) });
	const steps = funnel.steps.map((step) => ({
		stage: stageName(locale, step.stage, funnel.stageLabels),
		count: step.count
	}));
	const figures: ReportFigure[] = [
		{
			label: defName(locale, 'contact'),
			value: n(funnel.steps[0]?.count ?? 0),
			defKey: 'cohort_of_contacts'
		},
		{
			label: tr(locale, 'observatory_funnel_to_installed'),
			value: formatProportion(locale, funnel.steps.at(-1)?.fromContact),
			defKey: 'conversion'
		},
		{ label: defName(locale, 'abandonment'), value: n(funnel.abandonments), defKey: 'abandonment' }
	];
	return {
		figures,
		charts: steps.length
			? [
					{
						title,
						svg: renderPlot(
							{
								marginLeft: 130,
								width: 640,
								height: 40 + steps.length * 30,
								x: { grid: true, label: null },
								y: { label: null, domain: steps.map((s) => s.stage) },
								marks: [
									Plot.barX(steps, { y: 'stage', x: 'count', fill: OKABE_ITO[0] }),
									Plot.text(steps, { y: 'stage', x: 'count', text: (d) => String(d.count), dx: 14 }),
									Plot.ruleX([0])
								]
							},
							{ title, description: steps.map((s) => `${s.stage}: ${s.count}`).join('; ') }
						)
					}
				]
			: [],
		tables: [
			{
				caption: tr(locale, 'observatory_funnel_steps_title'),
				head: [
					tr(locale, 'observatory_stage'),
					tr(locale, 'observatory_households'),
					tr(locale, 'observatory_funnel_from_contact')
				],
				rows: funnel.steps.map((step) => [
					stageName(locale, step.stage, funnel.stageLabels),
					n(step.count),
					formatProportion(locale, step.fromContact)
				])
			}
		],
		isGeneric: false
	};
};

function profileValue(locale: Locale, dimension: string, value: string): string {
	if (dimension === 'status') return trOr(locale, `case_status_${value}`, value);
	if (dimension === 'sector') return trOr(locale, `case_sector_${value}`, value);
	if (['pcs_group', 'age_band', 'household_kind'].includes(dimension))
		return trOr(locale, `observatory_profiles_${dimension}_${value}`, value);
	if (dimension === 'origin') return observatoryOriginLabel(createTranslator(locale), locale, value);
	return value;
}

const profilesBlock: Builder = (data, { locale, year }) => {
	const profiles = data as Profiles;
	const n = (value: number) => formatNumber(locale, value);
	return {
		figures: [
			{ label: tr(locale, 'observatory_profiles_contacts'), value: n(profiles.contacts), defKey: 'contact' },
			{
				label: tr(locale, 'observatory_profiles_installations'),
				value: n(profiles.installations),
				defKey: 'installation'
			}
		],
		charts: [],
		tables: [
			{
				caption: tr(locale, 'observatory_report_profiles_top', { year: String(year) }),
				head: [
					tr(locale, 'observatory_report_profiles_dimension'),
					tr(locale, 'observatory_report_profiles_first'),
					tr(locale, 'observatory_share')
				],
				rows: profiles.tables.map((table) => {
					const top = [...table.rows].sort((a, b) => b.installations - a.installations)[0];
					return [
						defName(locale, table.dimension),
						top && top.installations > 0 ? profileValue(locale, table.dimension, top.value) : '–',
						top && top.installations > 0 ? formatPercent(locale, top.installationsShare) : '–'
					];
				})
			}
		],
		isGeneric: false
	};
};

/** Durability: 1-, 3- and 5-year rates with their interval, of every installation up to the year. */
const durabilityBlock: Builder = (data, { locale, durabilityToDate }) => {
	const durability = durabilityToDate ?? (data as Durability);
	const n = (value: number) => formatNumber(locale, value);
	const analyses = [
		['residence', durability.residence],
		['business', durability.business]
	] as const;
	const figures: ReportFigure[] = analyses.map(([kind, analysis]) => ({
		label: `${defName(locale, `durability_${kind}`)} — ${tr(locale, 'observatory_durability_followed')}`,
		value: n(analysis.overall.n),
		defKey: `durability_${kind}`
	}));
	const rate = (r: { survival: number | null; lower: number | null; upper: number | null } | undefined) =>
		formatProportion(locale, r ? { proportion: r.survival, lower: r.lower, upper: r.upper } : null);
	const years = analyses[0][1].overall.rates.map((r) => r.years);
	return {
		figures,
		charts: [],
		tables: [
			{
				caption: defName(locale, 'durability_survival_rate'),
				head: ['', ...years.map((y) => tr(locale, 'observatory_durability_at_years', { years: y }))],
				rows: analyses.map(([kind, analysis]) => [
					defName(locale, `durability_${kind}`),
					...years.map((y) => rate(analysis.overall.rates.find((r) => r.years === y)))
				])
			}
		],
		isGeneric: false
	};
};

/**
 * Geography: where the households installed up to the year settled, each comparison's verdict in
 * words (the geography page's sentences) with its p-value, and Moran's I.
 */
const geographyBlock: Builder = (data, { locale, geographyToDate }) => {
	const geography = geographyToDate ?? (data as GeographySection);
	const n = (value: number) => formatNumber(locale, value);
	const t = (key: string, params?: Record<string, string | number>) => tr(locale, key, params);
	const metropole = geography.metropole?.name ?? '';
	const classLabel = (key: string) => trOr(locale, `observatory_geography_class_${key}`, key);
	const verdictRows = (heading: string, comparisons: GeographySection['distance']['comparisons']) =>
		comparisons.map((comparison) => [
			`${heading} — ${t(`observatory_geography_baseline_${comparison.baseline}`)}`,
			geographyVerdict(t, locale, comparison, {
				metropole,
				minInstallations: geography.minInstallations,
				classLabel
			}),
			formatPValue(locale, comparison.pValue)
		]);
	const rows = [
		...(geography.distance.metropoleKnown
			? verdictRows(
					t('observatory_geography_distance_heading', { metropole }),
					geography.distance.comparisons
				)
			: []),
		...geography.classifications
			.filter((classification) => !classification.missing)
			.flatMap((classification) =>
				verdictRows(t(`observatory_geography_${classification.key}_heading`), classification.comparisons)
			)
	];
	const moran = geography.moran;
	return {
		figures: [
			{
				label: defName(locale, 'installations_by_commune'),
				value: n(geography.installations),
				defKey: 'installations_by_commune'
			},
			{
				label: defName(locale, 'morans_i'),
				value: moran.status === 'computed' ? formatNumber(locale, moran.I, 3) : '–',
				defKey: 'morans_i'
			}
		],
		charts: [],
		tables: rows.length
			? [
					{
						caption: defName(locale, 'geography_test'),
						head: [tr(locale, 'observatory_report_indicator'), tr(locale, 'observatory_report_verdict'), 'p'],
						rows,
						textColumns: [1]
					}
				]
			: [],
		notes: [
			moran.status === 'computed'
				? t(`observatory_geography_moran_${moran.outcome}`)
				: t(`observatory_geography_moran_${moran.status}`)
		],
		isGeneric: false
	};
};

/** Integration: the surveys of the year by wave, businesses created and attribution. */
const integrationBlock: Builder = (data, { locale }) => {
	const integration = data as Integration;
	const n = (value: number) => formatNumber(locale, value);
	const p = (value: Parameters<typeof formatProportion>[1]) => formatProportion(locale, value);
	return {
		figures: [
			{ label: tr(locale, 'observatory_report_households_invited'), value: n(integration.householdsInvited) },
			{
				label: defName(locale, 'integration_businesses'),
				value: n(integration.businesses.created),
				defKey: 'integration_businesses'
			},
			{
				label: `${defName(locale, 'integration_attribution')} (${tr(locale, 'observatory_report_wave_months', { months: integration.attribution.waveMonths })})`,
				value: p(integration.attribution.atWave.decisive),
				defKey: 'integration_attribution'
			}
		],
		charts: [],
		tables: integration.waves.length
			? [
					{
						caption: defName(locale, 'integration_response_rate'),
						// Each cell is a rate with its interval: three waves per table fit an A4 page.
						maxValueColumns: 3,
						head: [
							tr(locale, 'observatory_report_indicator'),
							...integration.waves.map((w) =>
								tr(locale, 'observatory_report_wave_months', { months: w.waveMonths })
							)
						],
						rows: (
							[
								['integration_response_rate', (w) => w.responseRate],
								['integration_living_here', (w) => w.livingHere],
								['integration_local_clients', (w) => w.localClients],
								['integration_intention_to_stay', (w) => w.intentionToStay],
								['integration_satisfaction', (w) => w.satisfaction.satisfied]
							] as const satisfies readonly (readonly [
								string,
								(w: Integration['waves'][number]) => Parameters<typeof formatProportion>[1]
							])[]
						).map(([key, of]) => [defName(locale, key), ...integration.waves.map((w) => p(of(w)))])
					}
				]
			: [],
		isGeneric: false
	};
};

/** Economic impact: the programme's formula applied to the households present at the year's end. */
const impactBlock: Builder = (data, { locale, impactToDate }) => {
	const impact = impactToDate ?? (data as ImpactSection);
	const total = impact.result.total;
	const euros = (value: number) =>
		new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(
			value
		);
	return {
		figures: [
			{
				label: defName(locale, 'impact_households_present'),
				value: formatNumber(locale, total.households),
				defKey: 'impact_households_present'
			},
			{
				label: defName(locale, 'impact_mean_income'),
				value: euros(impact.result.meanHouseholdIncome),
				defKey: 'impact_mean_income'
			},
			{
				label: defName(locale, 'impact_local_spending'),
				value: euros(total.localSpending),
				defKey: 'impact_local_spending'
			},
			{
				label: defName(locale, 'impact_local_activity'),
				value: euros(total.localActivity),
				defKey: 'impact_local_activity'
			},
			{
				label: defName(locale, 'impact_jobs'),
				// A number of jobs is read as whole jobs (the estimate keeps its decimals on the impact page).
				value: formatNumber(locale, total.jobs, 0),
				defKey: 'impact_jobs'
			}
		],
		charts: [],
		tables: [],
		isGeneric: false
	};
};

/** Any other section: its scalar values, labelled by their path. */
const genericBlock: Builder = (data, { locale }) => ({
	figures: summariseSection(data, { maxDepth: 2, maxLines: 60 })
		.filter(
			(line) =>
				typeof line.value === 'number' && !line.path.startsWith('period.') && !line.path.endsWith('[]')
		)
		.slice(0, 12)
		.map((line) => ({ label: line.path, value: formatNumber(locale, line.value as number, 3) })),
	charts: [],
	tables: [],
	isGeneric: true
});

const BUILDERS: Record<string, Builder> = {
	flows: flowsBlock,
	funnel: funnelBlock,
	profiles: profilesBlock,
	durability: durabilityBlock,
	geography: geographyBlock,
	integration: integrationBlock,
	impact: impactBlock
};

/** Value columns of a table on an A4 page, beside its row headers (the flows history has five). */
const DEFAULT_MAX_VALUE_COLUMNS = 5;

/** The page of a section in the back office (the observatory's first page is the summary). */
export const sectionPagePath = (name: string): string => `/backoffice/observatory/${name}`;

export function buildReportBlock(name: string, data: unknown, context: BuildContext): ReportBlock {
	const { locale } = context;
	// Readers other than staff: a section of fewer than k households has no figure, and the
	// others say what "< k" / "–" stand for (disclosure.rules.ts).
	const built = isWithheldSection(data)
		? {
				figures: [],
				charts: [],
				tables: [],
				notes: [tr(locale, 'observatory_too_few_households', { k: data.minCellSize })],
				isGeneric: false
			}
		: (BUILDERS[name] ?? genericBlock)(data, context);
	if (!isWithheldSection(data) && context.minCellSize)
		built.notes = [...(built.notes ?? []), tr(locale, 'observatory_hidden_note', { k: context.minCellSize })];
	return {
		name,
		title: trOr(locale, `observatory_nav_${name}`, name),
		href: sectionPagePath(name),
		...built,
		notes: built.notes?.map((note) => printedText(locale, note)),
		figures: built.figures.map((figure) => ({ ...figure, widthEm: figureWidthEm(figure.value) })),
		tables: built.tables
			.map(keepFiguresWhole)
			.flatMap((table) => splitWideTable(table, table.maxValueColumns ?? DEFAULT_MAX_VALUE_COLUMNS)),
		definitions: OBSERVATORY_INDICATORS.filter((indicator) => indicator.section === name).map(
			(indicator) => ({
				key: indicator.key,
				name: defName(locale, indicator.key),
				text: printedText(locale, tr(locale, `observatory_def_${indicator.key}_text`))
			})
		)
	};
}

/** The report's year: `?year=YYYY`, by default the last full year. Null when malformed. */
export function reportYear(param: string | null, now: Date): number | null {
	if (param === null || param.trim() === '') return now.getUTCFullYear() - 1;
	if (!/^\d{4}$/.test(param.trim())) return null;
	const year = Number(param.trim());
	return year >= 1990 && year <= 2100 ? year : null;
}
