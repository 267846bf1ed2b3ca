import { Command, CommanderError } from 'commander';
import { ConfigError, parseConfig, type Config } from '#server/config.ts';
import { DatabaseUnreachableError } from '#server/db/index.ts';
import { DataDirLockedError } from '#server/db/lock.ts';
import { DomainError, errorMessageKey } from '#server/errors.ts';
import { ValidationError } from '#server/validation.ts';
import { openDatabase, type OpenDatabase } from '#server/runtime.ts';
import { isLocale, translate, type Locale } from '../lib/i18n/index.ts';

/** Exit codes of every `soho` command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A failure the CLI explains in one line before exiting with code 1. */
export class CliFailure extends Error {
	constructor(
		message: string,
		readonly exitCode: number = EXIT.failure
	) {
		super(message);
	}
}

/** The CLI speaks French when the shell's language is French, English otherwise. */
export function cliLocale(env = process.env): Locale {
	const lang = (env.SOHO_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '').slice(0, 2);
	return isLocale(lang) ? lang : 'en';
}

export type CliContext = {
	config: () => Config;
	/** Opens (and migrates) the database, runs `work`, and closes it even on failure. */
	withDb: <T>(work: (database: OpenDatabase) => Promise<T>, options?: { migrate?: boolean }) => Promise<T>;
	/** Prints data: JSON with --json, the human text otherwise. */
	output: (command: Command, data: unknown, human: () => string) => void;
	/** Human progress and notes go to stderr so that stdout stays data. */
	info: (line: string) => void;
	locale: Locale;
};

export function createCliContext(): CliContext {
	let cached: Config | undefined;
	const config = () => (cached ??= parseConfig());
	return {
		config,
		locale: cliLocale(),
		async withDb(work, options) {
			const database = await openDatabase(config(), { owner: 'cli', migrate: options?.migrate ?? true });
			try {
				return await work(database);
			} finally {
				await database.close();
			}
		},
		output(command, data, human) {
			const json = command.optsWithGlobals().json;
			process.stdout.write(json ? JSON.stringify(data, null, 2) + '\n' : human() + '\n');
		},
		info(line) {
			process.stderr.write(line + '\n');
		}
	};
}

/** Turns any error into one clear line and the right exit code. */
export function describeFailure(error: unknown, locale: Locale): { message: string; exitCode: number } {
	if (error instanceof CommanderError)
		return { message: '', exitCode: error.exitCode === 0 ? 0 : EXIT.usage };
	if (error instanceof CliFailure) return { message: error.message, exitCode: error.exitCode };
	if (error instanceof ConfigError) return { message: error.message, exitCode: EXIT.failure };
	if (error instanceof DataDirLockedError || error instanceof DatabaseUnreachableError) {
		return { message: error.message, exitCode: EXIT.failure };
	}
	if (error instanceof ValidationError) {
		const lines = error.issues.map(
			(issue) =>
				`${issue.field ? issue.field + ': ' : ''}${translate(locale, errorMessageKey(issue.code), issue as never)}`
		);
		return { message: lines.join('\n'), exitCode: EXIT.failure };
	}
	if (error instanceof DomainError) {
		const message = translate(locale, errorMessageKey(error.code), error.details as Record<string, string>);
		// Every command that needs a programme and finds none says which command makes one.
		const hint =
			error.code === 'programme.not_found' ? '\n' + translate(locale, 'setup_cli_programme_hint') : '';
		return { message: message + hint, exitCode: EXIT.failure };
	}
	const message = error instanceof Error ? error.message : String(error);
	return { message, exitCode: EXIT.failure };
}
