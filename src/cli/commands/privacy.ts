import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createDiskStorage } from '#server/files/storage.ts';
import {
	erasePerson,
	exportPersonData,
	PERSON_EXPORT_FORMATS,
	personExportFile,
	runRetention
} from '#server/domain/privacy/privacy.service.ts';
import { translate } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';
import { systemActorFor } from './import.ts';

/**
 * `soho privacy`: the GDPR operations of domain/privacy for operators. `export` and `erase`
 * act on one person (access request, erasure); `retention` runs the retention rules, or only
 * reports what they would do with `--dry-run` (the scheduled job privacy.apply_retention runs
 * them every night).
 */
export function registerPrivacyCommands(program: Command, context: CliContext): Command {
	const privacy = program.command('privacy').description('GDPR: access requests, erasure, retention rules');
	const t = (key: string, params?: Record<string, string | number>) => translate(context.locale, key, params);

	privacy
		.command('export')
		.description('export everything held about a person (JSON on stdout with --json, else a file)')
		.requiredOption('--person <id>', 'the person id (per_…)')
		.option('-f, --format <format>', `file format: ${PERSON_EXPORT_FORMATS.join(', ')}`, 'json')
		.option('-o, --out <file>', 'file to write (default: personal-data-<id>-<date>.<format>)')
		.option('-p, --programme <slug>', 'the programme (default: the only one)')
		.action(
			async (
				options: { person: string; format: string; out?: string; programme?: string },
				command: Command
			) => {
				if (!(PERSON_EXPORT_FORMATS as readonly string[]).includes(options.format)) {
					throw new CliFailure(`unknown format ${options.format}`, EXIT.usage);
				}
				const data = await context.withDb(async (database) => {
					const actor = await systemActorFor(
						{ slug: options.programme, locale: context.locale },
						{ db: database.db }
					);
					return (await exportPersonData({ actor, personId: options.person }, { db: database.db })).export;
				});
				if (command.optsWithGlobals().json) {
					process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
					return;
				}
				const file = personExportFile(data, options.format);
				const out = options.out ?? file.fileName;
				writeFileSync(out, file.body);
				process.stdout.write(`${t('privacy_cli_exported', { person: options.person, file: out })}\n`);
			}
		);

	privacy
		.command('erase')
		.description('anonymise a person in every table (irreversible); the observatory figures stay the same')
		.requiredOption('--person <id>', 'the person id (per_…)')
		.requiredOption('--reason <text>', 'why (kept in the erasures register)')
		.option('-p, --programme <slug>', 'the programme (default: the only one)')
		.action(async (options: { person: string; reason: string; programme?: string }, command: Command) => {
			const result = await context.withDb(async (database) => {
				const actor = await systemActorFor(
					{ slug: options.programme, locale: context.locale },
					{ db: database.db }
				);
				return erasePerson(
					{ actor, personId: options.person, input: { reason: options.reason } },
					{ db: database.db, storage: createDiskStorage({ dataDir: context.config().dataDir }) }
				);
			});
			context.output(command, result, () =>
				t('privacy_cli_erased', { person: result.personId, rows: result.scrubbedRows })
			);
		});

	privacy
		.command('retention')
		.description('apply the retention rules of a programme, or only count what they would touch')
		.option('--dry-run', 'count only, change nothing')
		.option('-p, --programme <slug>', 'the programme (default: the only one)')
		.action(async (options: { dryRun?: boolean; programme?: string }, command: Command) => {
			const report = await context.withDb(async (database) => {
				const actor = await systemActorFor(
					{ slug: options.programme, locale: context.locale },
					{ db: database.db }
				);
				return runRetention(
					{ actor, dryRun: options.dryRun === true },
					{ db: database.db, storage: createDiskStorage({ dataDir: context.config().dataDir }) }
				);
			});
			context.output(command, report, () =>
				t('privacy_cli_report', {
					mode: t(report.isDryRun ? 'privacy_cli_dry_run' : 'privacy_cli_applied'),
					leads: report.counts.inactive_leads,
					mails: report.counts.mail_bodies,
					attempts: report.counts.sign_in_attempts,
					ips: report.counts.session_ips
				})
			);
		});

	return privacy;
}
