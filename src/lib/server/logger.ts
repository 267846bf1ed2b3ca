import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

/** Holds the request id of the HTTP request being served, so every log line carries it. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

const level =
	process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info');

// The CLI keeps standard output for data (--json), so its logs go to standard error.
const destination = process.env.SOHO_LOG_TO_STDERR === '1' ? pino.destination(2) : pino.destination(1);

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
