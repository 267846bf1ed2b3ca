import type { Command } from 'commander';
import { renderEnvExample } from '#server/config.ts';
import { translate } from '../../lib/i18n/index.ts';
import type { CliContext } from '../context.ts';

export function registerConfigCommands(program: Command, context: CliContext): void {
	const config = program.command('config').description('configuration');

	config
		.command('example')
		.description('print .env.example, generated from the settings soho knows')
		.action(() => {
			process.stdout.write(renderEnvExample());
		});

	config
		.command('check')
		.description('check the environment; lists every invalid variable and exits 1')
		.action((_options, command: Command) => {
			const parsed = context.config();
			context.output(
				command,
				{ status: 'ok', database: parsed.databaseUrl ? 'postgres' : 'pglite', smtp: Boolean(parsed.smtpUrl) },
				() =>
					translate(context.locale, 'ops_cli_config_valid', {
						database: parsed.databaseUrl
							? 'PostgreSQL'
							: translate(context.locale, 'ops_cli_config_pglite', { dir: parsed.dataDir }),
						mail: translate(
							context.locale,
							parsed.smtpUrl ? 'ops_cli_config_smtp' : 'ops_cli_config_outbox_only'
						)
					})
			);
		});
}
