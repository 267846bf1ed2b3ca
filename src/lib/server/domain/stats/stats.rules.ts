import type { AreaGeometry } from '../../../domain/map.ts';
import {
	contiguityNeighbours,
	moranI,
	MoranInputError,
	type ContiguityRule,
	type MoranResult
} from '../../../domain/stats/spatial.ts';
import {
	kaplanMeier,
	kaplanMeierByGroup,
	logRankTest,
	type ConfidenceType,
	type KaplanMeierResult,
	type LogRankResult
} from '../../../domain/stats/survival.ts';
import type { Table } from '../../files/tabular.ts';
import {
	statsConstantValues,
	statsEmptyInput,
	statsInvalidEvent,
	statsInvalidTime,
	statsInvalidValue,
	statsMissingColumn,
	statsMissingGroup,
	statsNoNeighbours,
	statsNotPolygon,
	statsTooFewAreas
} from './stats.errors.ts';

/*
 * The samples and results of `soho stats km` and `soho stats moran` (stats.service.ts reads the
 * files), shaped so that the figures of src/lib/domain/stats/ can be checked against R
 * (tests/fixtures/stats/README.md) and used outside the application.
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

/* ------------------------------------------------------------------ samples */

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

/* ------------------------------------------------------------------ moran */

export type Feature = { id?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };

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
