import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Db } from '#server/db/index.ts';
import { errorMessageKey } from '#server/errors.ts';
import {
	importCaseFile,
	type CaseFileImportResult,
	type SystemActor
} from '#server/domain/case-import/case-import.service.ts';
import { listProgrammes, getProgrammeBySlug } from '#server/domain/programme/programme.service.ts';
import { translate, type Locale } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

/**
 * The CLI acts for a programme as the system (no user account): `--programme SLUG`, or
 * the only programme when there is one.
 */
export async function systemActorFor(
	{ slug, locale }: { slug?: string; locale: Locale },
	{ db }: { db: Db }
): Promise<SystemActor> {
	if (slug) {
		const { programme } = await getProgrammeBySlug({ slug }, { db });
		return { system: true, programmeId: programme.id, locale };
	}
	const { programmes } = await listProgrammes({}, { db });
	if (programmes.length === 0) throw new CliFailure(translate(locale, 'caseimport_cli_no_programme'));
	if (programmes.length > 1) {
		throw new CliFailure(translate(locale, 'caseimport_cli_programme_required'), EXIT.usage);
	}
	return { system: true, programmeId: programmes[0].id, locale };
}

/** `--map "Prénom=first_name"` (repeatable) → { Prénom: 'first_name' }. */
function parseMapOptions(values: string[], locale: Locale): Record<string, string> {
	const mapping: Record<string, string> = {};
	for (const value of values) {
		const at = value.lastIndexOf('=');
		if (at <= 0) throw new CliFailure(translate(locale, 'caseimport_cli_invalid_map'), EXIT.usage);
		mapping[value.slice(0, at).trim()] = value.slice(at + 1).trim();
	}
	return mapping;
}

function describeResult(result: CaseFileImportResult, locale: Locale): string {
	const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
	const lines = [
		t('caseimport_cli_summary', {
			rows: result.counts.rows,
			valid: result.counts.valid,
			errors: result.counts.rowsInError,
			duplicates: result.counts.possibleDuplicates
		})
	];
	if (result.status === 'dry_run') lines.push(t('caseimport_cli_dry_run'));
	if (result.status === 'imported' && result.summary) {
		lines.push(
			t('caseimport_cli_imported', {
				created: result.summary.created,
				stageChanges: result.summary.stageChanges,
				duplicates: result.summary.possibleDuplicates
			})
		);
	}
	return lines.join('\n');
}

/** Each problem on one line: mapping first, then rows in file order. */
function problemLines(result: CaseFileImportResult, locale: Locale): string[] {
	return [
		...result.mappingIssues.map((issue) =>
			translate(locale, 'caseimport_cli_mapping_issue', {
				field: issue.field ?? issue.column ?? '',
				message: translate(locale, errorMessageKey(issue.code))
			})
		),
		...result.issues.map((issue) =>
			translate(locale, 'caseimport_cli_row_issue', {
				row: issue.row,
				column: issue.column ?? issue.field ?? '',
				message: translate(locale, errorMessageKey(issue.code))
			})
		)
	];
}

export function registerImportCommands(program: Command, context: CliContext): Command {
	const importCommand = program.command('import').description('import records from files');

	importCommand
		.command('cases')
		.description(
			'import cases from a CSV (comma or semicolon, UTF-8 or Windows-1252) or XLSX file; nothing is written while any row is in error'
		)
		.argument('<file>', 'CSV or XLSX file')
		.option('--dry-run', 'check every row and report, without writing')
		.option('-p, --programme <slug>', 'the programme to import into (default: the only one)')
		.option(
			'--map <column=field>',
			'read a column as a field, e.g. "Prénom=first_name" (field "ignore" leaves it out); repeatable',
			(value: string, previous: string[]) => [...previous, value],
			[] as string[]
		)
		.action(
			async (
				path: string,
				options: { dryRun?: boolean; programme?: string; map: string[] },
				command: Command
			) => {
				const locale = context.locale;
				const mapping = parseMapOptions(options.map, locale);
				let bytes: Uint8Array;
				try {
					bytes = readFileSync(path);
				} catch {
					throw new CliFailure(translate(locale, 'caseimport_cli_unreadable', { file: path }));
				}
				const result = await context.withDb(async (database) => {
					const actor = await systemActorFor({ slug: options.programme, locale }, { db: database.db });
					return importCaseFile(
						{ actor, input: { fileName: path, bytes, mapping, isDryRun: options.dryRun ?? false } },
						{ db: database.db }
					);
				});
				const problems = problemLines(result, locale);
				context.output(command, result, () => [...problems, describeResult(result, locale)].join('\n'));
				if (result.status === 'invalid') throw new CliFailure(translate(locale, 'caseimport_cli_refused'));
			}
		);

	return importCommand;
}
