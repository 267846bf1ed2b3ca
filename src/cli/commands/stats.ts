import type { Command } from 'commander';
import type { ConfidenceType } from '../../lib/domain/stats/survival.ts';
import { kaplanMeierOfFile, moranOfFile } from '#server/domain/stats/stats.service.ts';
import { parseNumber, type KmOutput, type MoranOutput } from '#server/domain/stats/stats.rules.ts';
import { translate, type Locale } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

/*
 * `soho stats km` and `soho stats moran`: the statistics library on files, so that its figures can
 * be checked against R (tests/fixtures/stats/README.md) and used outside the application. The
 * files are read and the results shaped by `domain/stats/stats.service.ts` (the choices that match
 * R are written in stats.rules.ts); this file parses the options and prints.
 */

/* ------------------------------------------------------------------ printing */

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
				const output = await kaplanMeierOfFile({
					file: options.input,
					columns: { time: options.time, event: options.event, group: options.group },
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
			const output = moranOfFile({
				file: options.geojson,
				property: options.value,
				weights: options.weights
			});
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
