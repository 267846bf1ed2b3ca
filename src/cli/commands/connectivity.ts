import type { Command } from 'commander';
import {
	importConnectivity,
	parseConnectivityFile,
	readConnectivityFile,
	type ImportConnectivityResult
} from '#server/domain/connectivity/connectivity.service.ts';
import {
	CONNECTIVITY_FORMATS,
	type ConnectivityFormat
} from '#server/domain/connectivity/connectivity.schemas.ts';
import { translate } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

function describeImport(result: ImportConnectivityResult, context: CliContext): string {
	const t = (key: string, params?: Record<string, string | number>) => translate(context.locale, key, params);
	const lines = [
		t('connectivity_import_summary', {
			source: result.source,
			read: result.read,
			matched: result.matched,
			created: result.created,
			updated: result.updated,
			unchanged: result.unchanged,
			unknown: result.unknown
		}),
		t('connectivity_import_levels', { count: result.withLevel })
	];
	if (result.unknownInTerritory.length) {
		lines.push(
			t('connectivity_import_unknown_in_territory', { codes: result.unknownInTerritory.join(', ') })
		);
	}
	if (result.isDryRun) lines.push(t('connectivity_import_dry_run'));
	return lines.join('\n');
}

export function registerConnectivityCommands(program: Command, context: CliContext): Command {
	const connectivity = program
		.command('connectivity')
		.description('broadband level per commune (reference data)');

	connectivity
		.command('import')
		.description(
			"import levels from ARCEP's FttH observatory CSV or a `code_insee;level` file (one transaction)"
		)
		.argument('<file>', 'CSV file')
		.option('-f, --format <format>', `file format: ${CONNECTIVITY_FORMATS.join(', ')}`, 'auto')
		.option('-q, --quarter <quarter>', 'ARCEP quarter column, e.g. "T1 2018" (default: the latest)')
		.option('--dry-run', 'report what would change without writing')
		.action(
			async (
				path: string,
				options: { format: string; quarter?: string; dryRun?: boolean },
				command: Command
			) => {
				if (!(CONNECTIVITY_FORMATS as readonly string[]).includes(options.format)) {
					throw new CliFailure(translate(context.locale, 'error_connectivity_invalid_format'), EXIT.usage);
				}
				const format = options.format as ConnectivityFormat;
				// Read and check the whole file before opening the database: a bad file fails at once.
				const { text, file } = readConnectivityFile({ file: path });
				parseConnectivityFile({ text, file, format, quarter: options.quarter });
				await context.withDb(async (database) => {
					const result = await importConnectivity(
						{ text, file, format, quarter: options.quarter, isDryRun: options.dryRun ?? false },
						{ db: database.db }
					);
					context.output(command, result, () => describeImport(result, context));
				});
			}
		);

	return connectivity;
}
