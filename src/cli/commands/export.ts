import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportCases, CASE_EXPORT_FORMATS } from '#server/domain/case-export/case-export.service.ts';
import { translate } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';
import { systemActorFor } from './import.ts';

export function registerExportCommands(program: Command, context: CliContext): Command {
	const exportCommand = program.command('export').description('export records to files');

	exportCommand
		.command('cases')
		.description('export the case list: CSV for French Excel (UTF-8 BOM, semicolons) or XLSX')
		.option('-f, --format <format>', `file format: ${CASE_EXPORT_FORMATS.join(', ')}`, 'csv')
		.option('-o, --out <file>', 'file to write (default: cases-YYYY-MM-DD.<format> in the current directory)')
		.option(
			'--stage <stage>',
			'only cases at this stage (repeatable)',
			(v: string, p: string[]) => [...p, v],
			[]
		)
		.option('-p, --programme <slug>', 'the programme to export (default: the only one)')
		.action(
			async (
				options: { format: string; out?: string; stage: string[]; programme?: string },
				command: Command
			) => {
				if (!(CASE_EXPORT_FORMATS as readonly string[]).includes(options.format)) {
					throw new CliFailure(translate(context.locale, 'error_case_export_invalid_format'), EXIT.usage);
				}
				const file = await context.withDb(async (database) => {
					const actor = await systemActorFor(
						{ slug: options.programme, locale: context.locale },
						{ db: database.db }
					);
					return exportCases(
						{ actor, format: options.format, filters: { stages: options.stage } },
						{ db: database.db }
					);
				});
				const out = options.out ?? file.fileName;
				writeFileSync(out, file.body);
				context.output(command, { file: out, count: file.count, format: options.format }, () =>
					translate(context.locale, 'caseimport_cli_exported', { count: file.count, file: out })
				);
			}
		);

	return exportCommand;
}
