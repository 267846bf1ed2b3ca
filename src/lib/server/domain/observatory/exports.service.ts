import { inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { communesTable, type GeoJsonGeometry } from '../../db/schema/index.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { createLogger } from '../../logger.ts';
import { exportsForbidden, exportsInvalidFormat } from './exports.errors.ts';
import {
	sectionTables,
	writeFrenchCsv,
	writeWorkbook,
	type Booleans,
	type ExportPreamble,
	type ExportTable
} from './exports.rules.ts';
import { IMPACT_ASSUMPTION_KEYS } from './impact.rules.ts';
import type { ImpactSection } from './impact.service.ts';
import { observatoryTooFewHouseholds, observatoryUnknownSection } from './observatory.errors.ts';
import { inPeriod, installationDate, yearOfDate } from './observatory.rules.ts';
import { OBSERVATORY_FILTER_KEYS, type ObservatoryFiltersInput } from './observatory.schemas.ts';
import { loadObservatory, type ObservatoryContext } from './observatory.context.ts';
import {
	computeObservatorySection,
	OBSERVATORY_SECTION_LOADERS,
	type ObservatorySectionName
} from './observatory.service.ts';
import { HIDDEN, isSelectionTooSmall, isWithheldSection, suppressGroup } from './disclosure.rules.ts';
import type { ObservatoryViewer } from './observatory.types.ts';

const log = createLogger({ namespace: 'observatory:exports' });

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MIME: Record<ExportFormat | 'geojson', string> = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	geojson: 'application/geo+json; charset=utf-8'
};

/** A file to download. */
export type ExportFile = { fileName: string; contentType: string; body: Uint8Array };

type Deps = { db: Db; now?: Date };

/** Sections and GeoJSON: programme staff and committee members (funders read the JSON API). */
export function assertCanExport(viewer: ObservatoryViewer): void {
	if (viewer.kind !== 'staff' && viewer.kind !== 'committee')
		throw exportsForbidden({ programmeId: viewer.programmeId, kind: viewer.kind });
}

export function assertFormat(format: string): asserts format is ExportFormat {
	if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw exportsInvalidFormat({ format });
}

/** The sections that can be exported: every section registered in the observatory. */
export const exportableSections = (): ObservatorySectionName[] =>
	Object.keys(OBSERVATORY_SECTION_LOADERS) as ObservatorySectionName[];

const isSection = (name: string): name is ObservatorySectionName =>
	Object.prototype.hasOwnProperty.call(OBSERVATORY_SECTION_LOADERS, name);

/** A message, or `fallback` when the catalogue has none. */
const messageOr = (
	locale: Locale,
	key: string,
	fallback: string,
	params?: Record<string, string | number>
) => {
	const text = translate(locale, key, params);
	return text === key ? fallback : text;
};

export const booleansOf = (locale: Locale): Booleans => ({
	yes: translate(locale, 'observatory_exports_yes'),
	no: translate(locale, 'observatory_exports_no')
});

/** A file name part: the programme's slug and the day. */
export const fileStem = (context: ObservatoryContext, what: string) =>
	`observatoire-${context.programme.slug}-${what}-${context.now.toISOString().slice(0, 10)}`;

/**
 * What every file says before its figures: programme, content, period, filters, date and — for
 * the demo programme — that the data are synthetic.
 */
export function preambleOf(context: ObservatoryContext, locale: Locale, content: string): ExportPreamble {
	const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
	const filters = OBSERVATORY_FILTER_KEYS.filter((key) => key !== 'from' && key !== 'to')
		.filter((key) => context.filters[key] !== undefined)
		.map((key) => {
			const value = String(context.filters[key]);
			const shown =
				key === 'status' || key === 'source' ? messageOr(locale, `case_${key}_${value}`, value) : value;
			return `${messageOr(locale, `observatory_filter_${key}`, key)} = ${shown}`;
		});
	const lines: ExportPreamble = [];
	if (context.programme.isDemo)
		lines.push([t('observatory_exports_meta_demo'), t('observatory_exports_demo_note')]);
	lines.push(
		[t('observatory_exports_meta_programme'), context.programme.name],
		[t('observatory_exports_meta_content'), content],
		[t('observatory_exports_meta_period'), `${context.period.from}–${context.period.to}`],
		[
			t('observatory_exports_meta_filters'),
			filters.length ? filters.join(' ; ') : t('observatory_exports_meta_no_filter')
		],
		[t('observatory_exports_meta_generated'), context.now.toISOString()],
		[t('observatory_exports_meta_definitions'), t('observatory_exports_definitions_note')]
	);
	return lines;
}

/** Column names: each part translated when the catalogue knows it (`observatory_exports_col_<part>`). */
function translatedTables(tables: ExportTable[], locale: Locale): ExportTable[] {
	const snake = (part: string) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
	const label = (name: string) =>
		name
			.split('.')
			.map((part) => messageOr(locale, `observatory_exports_col_${snake(part)}`, part))
			.join(' · ');
	return tables.map((table) => ({
		name: label(table.name),
		columns: table.columns.map(label),
		rows: table.rows.map((row) =>
			table.name === 'summary' && typeof row[0] === 'string' ? [label(row[0]), ...row.slice(1)] : row
		)
	}));
}

/**
 * Section data as exported: advisors by name rather than by id; the impact's assumptions with the
 * source of each (the admin's or the default's) and the formula in words.
 */
function exportedData(section: ObservatorySectionName, data: unknown, locale: Locale): unknown {
	if (typeof data !== 'object' || data === null) return data;
	if (section === 'funnel') {
		const {
			advisorNames = {},
			byAdvisor = [],
			...rest
		} = data as {
			advisorNames?: Record<string, string>;
			byAdvisor?: ({ advisorId: string | null; key?: string } & Record<string, unknown>)[];
		};
		return {
			...rest,
			byAdvisor: byAdvisor.map(({ advisorId, key: _key, ...line }) => ({
				advisor: advisorId ? (advisorNames[advisorId] ?? null) : null,
				...line
			}))
		};
	}
	if (section === 'impact') {
		const impact = data as ImpactSection;
		const sources = Object.fromEntries(
			IMPACT_ASSUMPTION_KEYS.map((key) => [
				key,
				impact.assumptions.values.sources[key] ||
					translate(locale, `observatory_impact_default_source_${key}`)
			])
		);
		return {
			formula: translate(locale, 'observatory_exports_impact_formula'),
			assumptions: { ...impact.assumptions, values: { ...impact.assumptions.values, sources } },
			result: impact.result
		};
	}
	return data;
}

/**
 * One section's figures as a file: CSV for French Excel (all tables one under the other) or XLSX
 * (a sheet per table), with the same filters as the page and what the file holds written first.
 */
export async function exportObservatorySection(
	{
		viewer,
		section,
		format,
		input = {},
		locale
	}: {
		viewer: ObservatoryViewer;
		section: string;
		format: string;
		input?: ObservatoryFiltersInput;
		locale: Locale;
	},
	{ db, now = new Date() }: Deps
): Promise<ExportFile> {
	assertCanExport(viewer);
	if (!isSection(section)) throw observatoryUnknownSection({ section });
	assertFormat(format);
	const context = await loadObservatory({ viewer, input }, { db, now });
	const data = await computeObservatorySection(section, context, { db });
	if (isWithheldSection(data))
		throw observatoryTooFewHouseholds({ programmeId: viewer.programmeId, minCellSize: data.minCellSize });
	const hiddenLabel = translate(locale, 'observatory_hidden_count', { k: context.minCellSize });
	const tables = translatedTables(
		sectionTables(exportedData(section, data, locale), { hiddenLabel }),
		locale
	);
	const title = messageOr(locale, `observatory_nav_${section}`, section);
	const preamble = preambleOf(context, locale, title);
	const booleans = booleansOf(locale);
	const body =
		format === 'csv'
			? writeFrenchCsv({ preamble, tables, booleans })
			: await writeWorkbook({
					preamble,
					preambleSheet: translate(locale, 'observatory_exports_about_sheet'),
					tables,
					booleans
				});
	log.info({ programmeId: viewer.programmeId, section, format }, 'Observatory section exported');
	return { fileName: `${fileStem(context, section)}.${format}`, contentType: EXPORT_MIME[format], body };
}

export type InstallationFeature = {
	type: 'Feature';
	geometry: GeoJsonGeometry | null;
	properties: {
		code: string;
		name: string;
		installations: number;
		persons: number;
		population: number | null;
		/** Installations per 1,000 inhabitants (null when the population is unknown or zero). */
		rate_per_1000: number | null;
	};
};

/**
 * Installations of the period by commune as GeoJSON (WGS84): every commune of the programme's
 * départements (zero when nobody settled there) and any other commune where a household settled,
 * with its outline when imported. The collection's `metadata` says what it holds and whether the
 * data are synthetic (demo programme).
 */
export async function exportInstallationsGeoJson(
	{
		viewer,
		input = {},
		locale
	}: { viewer: ObservatoryViewer; input?: ObservatoryFiltersInput; locale: Locale },
	{ db, now = new Date() }: Deps
): Promise<ExportFile & { features: InstallationFeature[] }> {
	assertCanExport(viewer);
	const context = await loadObservatory({ viewer, input }, { db, now });
	const isStaff = viewer.kind === 'staff';
	if (!isStaff && isSelectionTooSmall(context.cases.length, context.minCellSize))
		throw observatoryTooFewHouseholds({ programmeId: viewer.programmeId, minCellSize: context.minCellSize });
	const counts = new Map<string, { installations: number; persons: number }>();
	for (const kase of context.cases) {
		const installed = installationDate(kase);
		if (!installed || !kase.installedCommuneCode || !inPeriod(yearOfDate(installed), context.period))
			continue;
		const count = counts.get(kase.installedCommuneCode) ?? { installations: 0, persons: 0 };
		count.installations += 1;
		count.persons += kase.householdSize;
		counts.set(kase.installedCommuneCode, count);
	}
	const departements = context.programme.departements;
	const codes = [...counts.keys()];
	const conditions = [
		...(departements.length ? [inArray(communesTable.departementCode, departements)] : []),
		...(codes.length ? [inArray(communesTable.code, codes)] : [])
	];
	const communes = conditions.length
		? await db
				.select({
					code: communesTable.code,
					name: communesTable.name,
					population: communesTable.population,
					geometry: communesTable.geometry
				})
				.from(communesTable)
				.where(or(...conditions))
				.orderBy(communesTable.code)
		: [];
	// Readers other than staff: a commune of fewer than k installations (and its complement) is
	// hidden, JSON null (disclosure.rules.ts).
	const hidden = isStaff
		? communes.map(() => false)
		: suppressGroup(
				communes.map((commune) => counts.get(commune.code)?.installations ?? 0),
				context.minCellSize,
				[...counts.values()].reduce((sum, count) => sum + count.installations, 0)
			).hidden;
	const features: InstallationFeature[] = communes.map((commune, i) => {
		if (hidden[i])
			return {
				type: 'Feature',
				geometry: commune.geometry ?? null,
				properties: {
					code: commune.code,
					name: commune.name,
					installations: HIDDEN,
					persons: HIDDEN,
					population: commune.population ?? null,
					rate_per_1000: HIDDEN
				}
			};
		const count = counts.get(commune.code) ?? { installations: 0, persons: 0 };
		const rate =
			commune.population && commune.population > 0
				? Math.round((count.installations / commune.population) * 1000 * 1000) / 1000
				: null;
		return {
			type: 'Feature',
			geometry: commune.geometry ?? null,
			properties: {
				code: commune.code,
				name: commune.name,
				installations: count.installations,
				persons: count.persons,
				population: commune.population ?? null,
				rate_per_1000: rate
			}
		};
	});
	const collection = {
		type: 'FeatureCollection',
		metadata: {
			programme: context.programme.name,
			content: translate(locale, 'observatory_exports_geojson_title'),
			isDemo: context.programme.isDemo,
			note: context.programme.isDemo ? translate(locale, 'observatory_exports_demo_note') : null,
			period: context.period,
			filters: context.filters,
			generatedAt: context.now.toISOString(),
			definitions: translate(locale, 'observatory_exports_definitions_note'),
			minCellSize: isStaff ? null : context.minCellSize,
			hiddenNote: isStaff ? null : translate(locale, 'observatory_hidden_note', { k: context.minCellSize })
		},
		features
	};
	log.info(
		{ programmeId: viewer.programmeId, features: features.length },
		'Installations exported as GeoJSON'
	);
	return {
		fileName: `${fileStem(context, 'installations')}.geojson`,
		contentType: EXPORT_MIME.geojson,
		body: new TextEncoder().encode(JSON.stringify(collection)),
		features
	};
}
