import { resolve } from 'node:path';
import type { Command } from 'commander';
import * as v from 'valibot';
import { BackupError, backupDatabase, restoreDatabase } from '#server/db/backup.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';

const fileSchema = v.pipe(v.string(), v.trim(), v.minLength(1, 'a file name is required'));

function parseFile(file: unknown): string {
	const result = v.safeParse(fileSchema, file);
	if (!result.success) throw new CliFailure(result.issues[0].message, EXIT.usage);
	return resolve(result.output);
}

/** Backup errors are explained in one line by the CLI (exit code 1). */
async function explainBackupErrors<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof BackupError) throw new CliFailure(error.message);
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
			const file = parseFile(fileArgument);
			await context.withDb(async (database) => {
				const { header, bytes } = await explainBackupErrors(() =>
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
							`Backup of ${database.description} written to ${file} (${(bytes / 1024).toFixed(1)} KiB).`,
							...header.tables.map((table) => `  ${table.name.padEnd(24)} ${table.rows}`),
							`  ${'total'.padEnd(24)} ${rows}`
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
			const file = parseFile(fileArgument);
			await context.withDb(async (database) => {
				const result = await explainBackupErrors(() =>
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
							`Backup of ${result.header.createdAt} (soho ${result.header.sohoVersion}, ${result.header.source}) restored into ${database.description}.`,
							...result.counts.map((entry) => `  ${entry.table.padEnd(24)} ${entry.rows}`),
							`  ${'total'.padEnd(24)} ${result.total}`
						].join('\n')
				);
			});
		});
}
