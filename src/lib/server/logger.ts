import { AsyncLocalStorage } from 'node:async_hooks';
import { join, resolve } from 'node:path';
import { pino, type DestinationStream, type Logger } from 'pino';

/** Holds the request id of the HTTP request being served, so every log line carries it. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

const level =
	process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info');

/**
 * Where the JSON logs go (SOHO_LOG_FILE, see config.ts). The CLI keeps standard output for
 * data (--json), so its logs go to standard error. On a terminal (`npm start`) the server
 * keeps standard output for readable lines and writes its logs to a file, unless
 * LOG_LEVEL=debug or trace; elsewhere (a service, docker) logs go to standard output.
 */
export function logFileFor({
	env,
	level,
	isTerminal
}: {
	env: Record<string, string | undefined>;
	level: string;
	isTerminal: boolean;
}): string | null {
	if (env.SOHO_LOG_TO_STDERR === '1' || env.SOHO_LOG_FILE === '-' || level === 'silent') return null;
	const isVerbose = level === 'debug' || level === 'trace';
	if (!env.SOHO_LOG_FILE && (!isTerminal || isVerbose)) return null;
	return resolve(env.SOHO_LOG_FILE || join(env.SOHO_DATA_DIR || './data', 'logs', 'soho.log'));
}

function chooseDestination(env = process.env): { stream: DestinationStream; file: string | null } {
	if (env.SOHO_LOG_TO_STDERR === '1') return { stream: pino.destination(2), file: null };
	const file = logFileFor({ env, level, isTerminal: Boolean(process.stdout.isTTY) });
	if (!file) return { stream: pino.destination(1), file: null };
	// Opened synchronously: a server that stops at start-up (data directory locked, port in use)
	// exits before an asynchronous file would be open, and pino would then crash on exit.
	return { stream: pino.destination({ dest: file, mkdir: true, sync: true }), file };
}

const { stream: destination, file } = chooseDestination();

/** The file the logs are written to, or null when they go to a standard stream (shown by `npm start`). */
export const LOG_FILE = file;

const root = pino(
	{
		level,
		base: { service: 'soho' },
		timestamp: pino.stdTimeFunctions.isoTime,
		mixin() {
			const context = requestContext.getStore();
			return context ? { requestId: context.requestId } : {};
		}
	},
	destination
);

/**
 * A child logger per module: `createLogger({ namespace: 'account:service' })`.
 * Log ids, never names, emails or free text: they are personal data.
 */
export function createLogger({ namespace }: { namespace: string }): Logger {
	return root.child({ namespace });
}

export type { Logger };
