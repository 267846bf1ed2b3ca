import type { Command } from 'commander';
import { seedDemo } from '#server/demo/demo.ts';
import { translate } from '../../lib/i18n/index.ts';
import type { CliContext } from '../context.ts';
import { registerDbBackupCommands } from './db-backup.ts';

export function registerDbCommands(program: Command, context: CliContext): Command {
	const db = program.command('db').description('database: migrations, demo data, backups');

	db.command('migrate')
		.description('apply the pending SQL migrations (PGlite or PostgreSQL)')
		.action(async (_options, command: Command) => {
			await context.withDb(
				async (database) => {
					await database.migrate();
					context.output(command, { status: 'migrated', database: database.description }, () =>
						translate(context.locale, 'ops_cli_migrated', { database: database.description })
					);
				},
				{ migrate: false }
			);
		});

	db.command('seed')
		.description('seed the synthetic demo programme "Gers" (does nothing if it exists)')
		.action(async (_options, command: Command) => {
			await context.withDb(async (database) => {
				const result = await seedDemo({ log: context.info }, { db: database.db, config: context.config() });
				context.output(
					command,
					{ status: result.status, programme: result.programme.slug, steps: result.steps },
					() =>
						result.status === 'seeded'
							? translate(context.locale, 'ops_cli_seeded', {
									name: result.programme.name,
									steps: result.steps.join(', ') || translate(context.locale, 'ops_cli_seeded_programme_only')
								})
							: translate(context.locale, 'ops_cli_seed_exists', { name: result.programme.name })
				);
			});
		});

	registerDbBackupCommands(db, context);

	return db;
}
