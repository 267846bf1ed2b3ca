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

const REDACTED = '[redacted]';

/** Keys whose values are a query's bound values (drizzle's DrizzleQueryError, pg, PGlite). */
const PARAMETER_KEYS = new Set(['params', 'parameters', 'bindings', 'values']);

/**
 * Keys of personal data and secrets: their values never reach the logs, wherever they sit in a
 * logged object. Must stay in sync with `LOG_REDACT_PATHS` for the top-level and nested fields.
 */
const PERSONAL_KEYS = new Set([
	'email',
	'phone',
	'firstName',
	'lastName',
	'first_name',
	'last_name',
	'birthYear',
	'birth_year',
	'address',
	'password',
	'token',
	'notes',
	'detail'
]);

/**
 * Text of an error without the values a database error quotes: drizzle writes the bound
 * values after `params:`, PostgreSQL quotes a duplicate key (`Key (email)=(…)`) and a value it
 * cannot read (`invalid input syntax for type integer: "…"`).
 */
export function redactErrorText(text: string): string {
	return text
		.replace(/(^|\n)params: [^\n]*/g, `$1params: ${REDACTED}`)
		.replace(/(Key \([^)]*\))=\((?:[^()]|\([^()]*\))*\)/g, `$1=(${REDACTED})`)
		.replace(/(invalid input [^:\n]*|invalid byte sequence[^:\n]*): [^\n]*/g, `$1: ${REDACTED}`);
}

/** A logged value without query parameters or personal fields (objects and errors, 5 levels deep). */
function scrub(value: unknown, depth = 0): unknown {
	if (value instanceof Error) return scrub(pino.stdSerializers.err(value), depth);
	if (depth > 5 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) {
		if (PARAMETER_KEYS.has(key)) continue;
		if (PERSONAL_KEYS.has(key)) out[key] = REDACTED;
		else if ((key === 'message' || key === 'stack' || key === 'query') && typeof inner === 'string')
			out[key] = redactErrorText(inner);
		else out[key] = scrub(inner, depth + 1);
	}
	return out;
}

/** The `err` serializer: pino's, then query parameters dropped and quoted values redacted. */
export function serializeError(error: unknown): unknown {
	return scrub(error instanceof Error ? pino.stdSerializers.err(error) : error);
}

/** Fields pino censors in every log line (fast paths for what `serializeError` scrubs in errors). */
export const LOG_REDACT_PATHS = [
	...[...PARAMETER_KEYS].flatMap((key) => [key, `*.${key}`]),
	...[...PERSONAL_KEYS].flatMap((key) => [key, `*.${key}`])
];

/** A pino logger with soho's options: request id, ISO time, errors and personal fields redacted. */
export function createRootLogger(destination: DestinationStream, rootLevel = level): Logger {
	return pino(
		{
			level: rootLevel,
			base: { service: 'soho' },
			timestamp: pino.stdTimeFunctions.isoTime,
			serializers: { err: serializeError, error: serializeError },
			redact: { paths: LOG_REDACT_PATHS, censor: REDACTED },
			mixin() {
				const context = requestContext.getStore();
				return context ? { requestId: context.requestId } : {};
			}
		},
		destination
	);
}

const root = createRootLogger(destination);

/**
 * A child logger per module: `createLogger({ namespace: 'account:service' })`.
 * Log ids, never names, emails or free text: they are personal data.
 */
export function createLogger({ namespace }: { namespace: string }): Logger {
	return root.child({ namespace });
}

export type { Logger };
