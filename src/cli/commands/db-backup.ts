import { resolve } from 'node:path';
import type { Command } from 'commander';
import * as v from 'valibot';
import { BackupError, backupDatabase, restoreDatabase } from '#server/db/backup.ts';
import { translate, type Locale } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

const fileSchema = v.pipe(v.string(), v.trim(), v.minLength(1));

function parseFile(file: unknown, locale: Locale): string {
	const result = v.safeParse(fileSchema, file);
	if (!result.success) throw new CliFailure(translate(locale, 'ops_cli_file_required'), EXIT.usage);
	return resolve(result.output);
}

/** Backup errors are explained in one line, in the operator's language, by the CLI (exit code 1). */
async function explainBackupErrors<T>(locale: Locale, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof BackupError) throw new CliFailure(error.messageIn(locale));
		throw error;
	}
}

/** `soho db backup FILE` and `soho db restore FILE [--force]`: portable between PGlite and PostgreSQL. */
export function registerDbBackupCommands(dbCommand: Command, context: CliContext): void {
	dbCommand
		.command('backup')
		.description('write every row of the database to FILE (.json.gz), restorable on PGlite or PostgreSQL')
		.argument('<file>', 'backup file to write, e.g. soho-2026-01-31.json.gz')
		.action(async (fileArgument: string, _options, command: Command) => {
			const file = parseFile(fileArgument, context.locale);
			await context.withDb(async (database) => {
				const { header, bytes } = await explainBackupErrors(context.locale, () =>
					backupDatabase({ file }, { db: database.db, source: database.kind })
				);
				const rows = header.tables.reduce((sum, table) => sum + table.rows, 0);
				context.output(
					command,
					{
						status: 'written',
						file,
						bytes,
						database: database.description,
						migrations: header.migrations,
						tables: header.tables.map(({ name, rows }) => ({ name, rows })),
						rows
					},
					() =>
						[
							translate(context.locale, 'ops_cli_backup_written', {
								database: database.description,
								file,
								kib: (bytes / 1024).toFixed(1)
							}),
							...header.tables.map((table) => `  ${table.name.padEnd(24)} ${table.rows}`),
							`  ${translate(context.locale, 'ops_cli_total').padEnd(24)} ${rows}`
						].join('\n')
				);
			});
		});

	dbCommand
		.command('restore')
		.description('restore FILE written by `soho db backup` into this (migrated, empty) database')
		.argument('<file>', 'backup file to read (.json.gz)')
		.option('--force', 'empty every table of the target database first (destroys its data)')
		.action(async (fileArgument: string, options: { force?: boolean }, command: Command) => {
			const file = parseFile(fileArgument, context.locale);
			await context.withDb(async (database) => {
				const result = await explainBackupErrors(context.locale, () =>
					restoreDatabase({ file, isForced: options.force === true }, { db: database.db })
				);
				context.output(
					command,
					{
						status: 'restored',
						file,
						database: database.description,
						backup: {
							createdAt: result.header.createdAt,
							sohoVersion: result.header.sohoVersion,
							source: result.header.source
						},
						tables: result.counts,
						rows: result.total
					},
					() =>
						[
							translate(context.locale, 'ops_cli_restored', {
								createdAt: result.header.createdAt,
								version: result.header.sohoVersion,
								source: result.header.source,
								database: database.description
							}),
							...result.counts.map((entry) => `  ${entry.table.padEnd(24)} ${entry.rows}`),
							`  ${translate(context.locale, 'ops_cli_total').padEnd(24)} ${result.total}`
						].join('\n')
				);
			});
		});
}
