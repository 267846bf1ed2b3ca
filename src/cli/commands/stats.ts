import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { defineError } from '#server/errors.ts';
import { readTable, TabularError, type Table } from '#server/files/tabular.ts';
import type { AreaGeometry } from '../../lib/domain/map.ts';
import {
	contiguityNeighbours,
	moranI,
	MoranInputError,
	type ContiguityRule,
	type MoranResult
} from '../../lib/domain/stats/spatial.ts';
import {
	kaplanMeier,
	kaplanMeierByGroup,
	logRankTest,
	type ConfidenceType,
	type KaplanMeierResult,
	type LogRankResult
} from '../../lib/domain/stats/survival.ts';
import { translate, type Locale } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

/*
 * `soho stats km` and `soho stats moran`: the statistics library on files, so that its figures can
 * be checked against R (tests/fixtures/stats/README.md) and used outside the application.
 *
 * Choices, matching R's defaults so that outputs compare directly:
 * - km: Kaplan–Meier with Greenwood's standard error of Ŝ (R `summary(survfit)$std.err`), intervals
 *   on the log scale (`conf.type = "log"`, R's default; --conf-type to change), one row per distinct
 *   time (event or censoring, R `summary(fit, censored = TRUE)`), groups sorted like R's factor
 *   levels (numbers in numeric order), log-rank test as `survdiff`. With --group and a single group,
 *   `logrank` is null and `logrank_unavailable` says why ("single_group").
 * - moran: row-standardised weights (spdep `nb2listw(style = "W")`), contiguity from the polygons
 *   (`poly2nb(queen = TRUE | FALSE)`), alternative "greater" (spdep `moran.test` default).
 *   Areas without neighbours (islands) are kept with zero weights and left out of n, as spdep with
 *   `zero.policy = TRUE` (and `adjust.n = TRUE`); they are listed in the output.
 */

const statsUnreadableFile = defineError('stats.unreadable_file', 'invalid');
const statsEmptyInput = defineError('stats.empty_input', 'invalid');
const statsMissingColumn = defineError('stats.missing_column', 'invalid');
const statsInvalidTime = defineError('stats.invalid_time', 'invalid');
const statsInvalidEvent = defineError('stats.invalid_event', 'invalid');
const statsMissingGroup = defineError('stats.missing_group', 'invalid');
const statsInvalidGeojson = defineError('stats.invalid_geojson', 'invalid');
const statsNotPolygon = defineError('stats.not_polygon', 'invalid');
const statsInvalidValue = defineError('stats.invalid_value', 'invalid');
const statsConstantValues = defineError('stats.constant_values', 'invalid');
const statsTooFewAreas = defineError('stats.too_few_areas', 'invalid');
const statsNoNeighbours = defineError('stats.no_neighbours', 'invalid');

/* ------------------------------------------------------------------ reading */

const EVENT_VALUES = new Map<string, boolean>([
	['1', true],
	['0', false],
	['true', true],
	['false', false],
	['yes', true],
	['no', false],
	['oui', true],
	['non', false],
	['vrai', true],
	['faux', false]
]);

/** A number written with a decimal point, or a decimal comma (French spreadsheets); null otherwise. */
export function parseNumber(text: string): number | null {
	const trimmed = text.trim();
	const normalised = /^[-+]?\d+,\d+$/.test(trimmed) ? trimmed.replace(',', '.') : trimmed;
	if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalised)) return null;
	const value = Number(normalised);
	return Number.isFinite(value) ? value : null;
}

async function readInputTable(file: string): Promise<Table> {
	let bytes: Uint8Array;
	try {
		bytes = readFileSync(file);
	} catch (error) {
		throw statsUnreadableFile({ file, detail: (error as NodeJS.ErrnoException).code ?? String(error) });
	}
	try {
		const { table } = await readTable(file, bytes);
		return table;
	} catch (error) {
		if (error instanceof TabularError) {
			if (error.reason === 'empty_file') throw statsEmptyInput({ file });
			throw statsUnreadableFile({ file, detail: error.message });
		}
		throw error;
	}
}

function columnIndex(table: Table, column: string): number {
	const index = table.headers.indexOf(column);
	if (index < 0) throw statsMissingColumn({ column, available: table.headers.join(', ') });
	return index;
}

export type SurvivalSample = { times: number[]; events: boolean[]; groups: string[] | null };

/**
 * Times, event flags and optional groups from a table. Rows are numbered as in a spreadsheet
 * (the header is row 1). Times must be numbers ≥ 0; events 1/0, true/false, yes/no (or oui/non,
 * vrai/faux), any case.
 */
export function survivalSample(
	table: Table,
	columns: { time: string; event: string; group?: string },
	file: string
): SurvivalSample {
	const timeAt = columnIndex(table, columns.time);
	const eventAt = columnIndex(table, columns.event);
	const groupAt = columns.group === undefined ? -1 : columnIndex(table, columns.group);
	if (table.rows.length === 0) throw statsEmptyInput({ file });
	const sample: SurvivalSample = { times: [], events: [], groups: groupAt < 0 ? null : [] };
	table.rows.forEach((cells, i) => {
		const row = i + 2;
		const time = parseNumber(cells[timeAt]);
		if (time === null || time < 0) {
			throw statsInvalidTime({ row, column: columns.time, value: cells[timeAt] });
		}
		const event = EVENT_VALUES.get(cells[eventAt].toLowerCase());
		if (event === undefined) {
			throw statsInvalidEvent({ row, column: columns.event, value: cells[eventAt] });
		}
		sample.times.push(time);
		sample.events.push(event);
		if (sample.groups) {
			if (cells[groupAt] === '') throw statsMissingGroup({ row, column: columns.group });
			sample.groups.push(cells[groupAt]);
		}
	});
	return sample;
}

/* ------------------------------------------------------------------ km */

const collator = new Intl.Collator('en', { numeric: true });

type KmRow = {
	time: number;
	n_risk: number;
	n_event: number;
	n_censor: number;
	survival: number;
	std_err: number | null;
	lower: number | null;
	upper: number | null;
};

export type KmGroupOutput = {
	group: string | null;
	n: number;
	n_event: number;
	median: number | null;
	median_lower: number | null;
	median_upper: number | null;
	rows: KmRow[];
};

export type KmOutput = {
	conf_type: ConfidenceType;
	conf_level: number;
	groups: KmGroupOutput[];
	logrank?: {
		chisq: number;
		df: number;
		p: number;
		groups: { group: string; n: number; observed: number; expected: number }[];
	} | null;
	logrank_unavailable?: 'single_group';
};

function groupOutput(group: string | null, km: KaplanMeierResult): KmGroupOutput {
	return {
		group,
		n: km.n,
		n_event: km.nEvents,
		median: km.median,
		median_lower: km.medianLower,
		median_upper: km.medianUpper,
		rows: km.steps.map((step) => ({
			time: step.time,
			n_risk: step.nRisk,
			n_event: step.nEvent,
			n_censor: step.nCensor,
			survival: step.survival,
			std_err: step.stdErr,
			lower: step.lower,
			upper: step.upper
		}))
	};
}

function logRankOutput(result: LogRankResult<string>): NonNullable<KmOutput['logrank']> {
	return {
		chisq: result.statistic,
		df: result.df,
		p: result.pValue,
		groups: result.groups.map((g) => ({ group: g.group, n: g.n, observed: g.observed, expected: g.expected }))
	};
}

export function kaplanMeierOutput(
	sample: SurvivalSample,
	options: { confType: ConfidenceType; confLevel: number }
): KmOutput {
	const output: KmOutput = { conf_type: options.confType, conf_level: options.confLevel, groups: [] };
	if (!sample.groups) {
		output.groups.push(groupOutput(null, kaplanMeier(sample.times, sample.events, options)));
		return output;
	}
	const curves = kaplanMeierByGroup(sample.times, sample.events, sample.groups, options);
	curves.sort((a, b) => collator.compare(a.group, b.group));
	output.groups = curves.map(({ group, km }) => groupOutput(group, km));
	if (curves.length < 2) {
		output.logrank = null;
		output.logrank_unavailable = 'single_group';
	} else {
		const test = logRankTest(sample.times, sample.events, sample.groups);
		test.groups.sort((a, b) => collator.compare(a.group, b.group));
		output.logrank = logRankOutput(test);
	}
	return output;
}

function numberFormat(locale: Locale, digits: number) {
	const format = new Intl.NumberFormat(locale, {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits,
		useGrouping: false
	});
	return (value: number | null) => (value === null ? 'NA' : format.format(value));
}

/** Right-aligned columns separated by two spaces. */
function formatTable(header: string[], rows: string[][]): string[] {
	const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c].length)));
	const line = (cells: string[]) => cells.map((cell, c) => cell.padStart(widths[c])).join('  ');
	return [line(header), ...rows.map(line)];
}

function describeKm(output: KmOutput, locale: Locale): string {
	const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
	const asWritten = new Intl.NumberFormat(locale, { maximumFractionDigits: 10, useGrouping: false });
	const plain = (value: number | null) => (value === null ? 'NA' : asWritten.format(value));
	const fixed = numberFormat(locale, 4);
	const level = String(Math.round(output.conf_level * 1000) / 10);
	const header = [
		t('stats_km_time'),
		t('stats_km_n_risk'),
		t('stats_km_n_event'),
		t('stats_km_n_censor'),
		t('stats_km_survival'),
		t('stats_km_std_err'),
		t('stats_km_lower', { level }),
		t('stats_km_upper', { level })
	];
	const lines: string[] = [];
	for (const group of output.groups) {
		if (lines.length > 0) lines.push('');
		lines.push(
			group.group === null
				? t('stats_km_all', { n: group.n, events: group.n_event })
				: t('stats_km_group', { group: group.group, n: group.n, events: group.n_event })
		);
		lines.push(
			...formatTable(
				header,
				group.rows.map((row) => [
					plain(row.time),
					String(row.n_risk),
					String(row.n_event),
					String(row.n_censor),
					fixed(row.survival),
					fixed(row.std_err),
					fixed(row.lower),
					fixed(row.upper)
				])
			)
		);
		const median = t('stats_km_median', {
			median: plain(group.median),
			lower: plain(group.median_lower),
			upper: plain(group.median_upper),
			level
		});
		const notReached = [group.median, group.median_lower, group.median_upper].includes(null);
		lines.push(notReached ? `${median} ${t('stats_km_median_not_reached')}` : median);
	}
	if (output.logrank) {
		lines.push('', t('stats_km_logrank_title'));
		lines.push(
			...formatTable(
				[t('stats_km_group_column'), 'N', t('stats_km_observed'), t('stats_km_expected')],
				output.logrank.groups.map((g) => [g.group, String(g.n), String(g.observed), fixed(g.expected)])
			)
		);
		lines.push(
			t('stats_km_logrank', {
				chisq: fixed(output.logrank.chisq),
				df: output.logrank.df,
				p: output.logrank.p.toPrecision(4)
			})
		);
	} else if (output.logrank_unavailable === 'single_group') {
		lines.push('', t('stats_km_logrank_single_group'));
	}
	return lines.join('\n');
}

/* ------------------------------------------------------------------ moran */

type Feature = { id?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };

const LABEL_PROPERTIES = ['name', 'nom', 'NAME', 'NOM', 'code', 'id', 'ID'];

/** "#3 (Auch)": the 1-based position of a feature, and its id or name when it has one. */
function featureLabel(feature: Feature, index: number): string {
	let label: unknown = feature.id;
	for (const key of LABEL_PROPERTIES) {
		if (label !== undefined && label !== null && label !== '') break;
		label = feature.properties?.[key];
	}
	return label === undefined || label === null || label === '' ? `#${index + 1}` : `#${index + 1} (${label})`;
}

function readFeatures(file: string): Feature[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw statsUnreadableFile({ file, detail: (error as NodeJS.ErrnoException).code ?? String(error) });
	}
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		throw statsInvalidGeojson({ file, detail: (error as Error).message });
	}
	const collection = data as { type?: unknown; features?: unknown };
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
		throw statsInvalidGeojson({ file, detail: 'not a FeatureCollection' });
	}
	if (collection.features.length === 0) throw statsEmptyInput({ file });
	return collection.features as Feature[];
}

export type MoranOutput = {
	I: number;
	expected: number;
	variance_normality: number;
	variance_randomisation: number;
	z_normality: number | null;
	p_normality: number | null;
	z_randomisation: number | null;
	p_randomisation: number | null;
	alternative: 'greater';
	weights: ContiguityRule;
	style: 'W';
	/** Areas in the file, and areas with at least one neighbour (the n of the test). */
	n_features: number;
	n: number;
	links: number;
	islands: string[];
};

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

export function moranOutput(features: Feature[], property: string, rule: ContiguityRule): MoranOutput {
	const values = features.map((feature, index) => {
		const raw = feature.properties?.[property];
		const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumber(raw) : null;
		if (value === null || !Number.isFinite(value)) {
			throw statsInvalidValue({
				feature: featureLabel(feature, index),
				property,
				value: raw === undefined ? '' : JSON.stringify(raw)
			});
		}
		return value;
	});
	const geometries = features.map((feature, index) => {
		const geometry = feature.geometry as { type?: unknown } | null | undefined;
		if (geometry === null || geometry === undefined) return null;
		if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
			throw statsNotPolygon({ feature: featureLabel(feature, index), type: String(geometry.type) });
		}
		return geometry as AreaGeometry;
	});
	const neighbours = contiguityNeighbours(geometries, { rule });
	let result: MoranResult;
	try {
		result = moranI(values, neighbours, { style: 'W' });
	} catch (error) {
		if (error instanceof MoranInputError) {
			if (error.reason === 'constant_values') throw statsConstantValues({ property });
			if (error.reason === 'too_few_areas') {
				throw statsTooFewAreas({ count: neighbours.filter((list) => list.length > 0).length });
			}
			throw statsNoNeighbours({ weights: rule });
		}
		throw error;
	}
	return {
		I: result.I,
		expected: result.expected,
		variance_normality: result.normality.variance,
		variance_randomisation: result.randomisation.variance,
		z_normality: finiteOrNull(result.normality.z),
		p_normality: finiteOrNull(result.normality.pGreater),
		z_randomisation: finiteOrNull(result.randomisation.z),
		p_randomisation: finiteOrNull(result.randomisation.pGreater),
		alternative: 'greater',
		weights: rule,
		style: 'W',
		n_features: features.length,
		n: result.n,
		links: neighbours.reduce((sum, list) => sum + list.length, 0),
		islands: result.islands.map((index) => featureLabel(features[index], index))
	};
}

function describeMoran(output: MoranOutput, property: string, locale: Locale): string {
	const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
	const fixed = numberFormat(locale, 6);
	const p = (value: number | null) => (value === null ? 'NA' : value.toPrecision(4));
	const lines = [
		t('stats_moran_title', { property, weights: output.weights, n: output.n, links: output.links }),
		...formatTable(
			['', t('stats_moran_randomisation'), t('stats_moran_normality')],
			[
				[t('stats_moran_statistic'), fixed(output.I), fixed(output.I)],
				[t('stats_moran_expected'), fixed(output.expected), fixed(output.expected)],
				[t('stats_moran_variance'), fixed(output.variance_randomisation), fixed(output.variance_normality)],
				[t('stats_moran_z'), fixed(output.z_randomisation), fixed(output.z_normality)],
				[t('stats_moran_p'), p(output.p_randomisation), p(output.p_normality)]
			]
		),
		t('stats_moran_alternative')
	];
	if (output.islands.length > 0) {
		lines.push(
			t('stats_moran_islands', { count: output.islands.length, features: output.islands.join(', ') })
		);
	}
	return lines.join('\n');
}

/* ------------------------------------------------------------------ commands */

export function registerStatsCommands(program: Command, context: CliContext): Command {
	const stats = program
		.command('stats')
		.description('statistics on files: survival curves and spatial autocorrelation (checked against R)');

	stats
		.command('km')
		.description(
			'Kaplan–Meier survival table (Greenwood standard error, log-scale interval as R survfit) and median, per group, with the log-rank test'
		)
		.requiredOption('--input <file>', 'CSV (comma or semicolon) or XLSX file, one row per subject')
		.requiredOption('--time <column>', 'column of follow-up times (numbers ≥ 0)')
		.requiredOption('--event <column>', 'column saying whether the event occurred: 1/0, true/false, yes/no')
		.option('--group <column>', 'column of groups to compare (one curve each, and the log-rank test)')
		.option('--conf-type <type>', 'confidence interval: log (R default), log-log or plain', 'log')
		.option('--conf-level <level>', 'confidence level', '0.95')
		.action(
			async (
				options: {
					input: string;
					time: string;
					event: string;
					group?: string;
					confType: string;
					confLevel: string;
				},
				command: Command
			) => {
				const locale = context.locale;
				if (!['log', 'log-log', 'plain'].includes(options.confType)) {
					throw invalidOption('--conf-type', options.confType, locale);
				}
				const confLevel = parseNumber(options.confLevel);
				if (confLevel === null || !(confLevel > 0 && confLevel < 1)) {
					throw invalidOption('--conf-level', options.confLevel, locale);
				}
				const table = await readInputTable(options.input);
				const sample = survivalSample(
					table,
					{ time: options.time, event: options.event, group: options.group },
					options.input
				);
				const output = kaplanMeierOutput(sample, {
					confType: options.confType as ConfidenceType,
					confLevel
				});
				context.output(command, output, () => describeKm(output, locale));
			}
		);

	stats
		.command('moran')
		.description(
			"global Moran's I of a property of GeoJSON polygons (contiguity, row-standardised weights, one-sided test, as spdep moran.test)"
		)
		.requiredOption('--geojson <file>', 'GeoJSON FeatureCollection of Polygon or MultiPolygon areas')
		.requiredOption('--value <property>', 'numeric property of each feature')
		.option('--weights <rule>', 'contiguity: queen (a shared point) or rook (a shared border)', 'queen')
		.action(async (options: { geojson: string; value: string; weights: string }, command: Command) => {
			const locale = context.locale;
			if (options.weights !== 'queen' && options.weights !== 'rook') {
				throw invalidOption('--weights', options.weights, locale);
			}
			const features = readFeatures(options.geojson);
			const output = moranOutput(features, options.value, options.weights);
			if (output.islands.length > 0 && command.optsWithGlobals().json) {
				context.info(
					translate(locale, 'stats_moran_islands', {
						count: output.islands.length,
						features: output.islands.join(', ')
					})
				);
			}
			context.output(command, output, () => describeMoran(output, options.value, locale));
		});

	return stats;
}

/** A wrong option value is a usage error (exit code 2), explained in the shell's language. */
function invalidOption(option: string, value: string, locale: Locale): CliFailure {
	return new CliFailure(translate(locale, 'error_stats_invalid_option', { option, value }), EXIT.usage);
}
