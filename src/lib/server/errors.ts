/** What went wrong, in terms the domain knows; HTTP status is decided in http/errors.ts. */
export type ErrorKind =
	| 'invalid'
	| 'unauthenticated'
	| 'forbidden'
	| 'not_found'
	| 'conflict'
	| 'limit'
	/** An outside service (geo.api.gouv.fr, SMTP) cannot be reached. */
	| 'unavailable';

/**
 * An expected failure of a use case. `code` (`<area>.<reason>`) selects the translated
 * message `error_<area>_<reason>` shown to users; `message` is English for developers.
 */
export class DomainError extends Error {
	constructor(
		readonly code: string,
		readonly kind: ErrorKind,
		readonly details: Record<string, unknown> = {}
	) {
		super(`${code}${Object.keys(details).length ? ' ' + JSON.stringify(details) : ''}`);
		this.name = 'DomainError';
	}
}

const definedCodes = new Set<string>();

/** Declares an error code once; the i18n test (which reads every defineError call) checks each has a message in fr and en. */
export function defineError(code: string, kind: ErrorKind) {
	definedCodes.add(code);
	const factory = (details: Record<string, unknown> = {}) => new DomainError(code, kind, details);
	factory.code = code;
	return factory;
}

export function isDomainError(error: unknown, code?: string): error is DomainError {
	return error instanceof DomainError && (code === undefined || error.code === code);
}

export { errorKey as errorMessageKey } from '../i18n/index.ts';
