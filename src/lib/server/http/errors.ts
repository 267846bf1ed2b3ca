import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { DomainError, type ErrorKind } from '../errors.ts';
import { ValidationError, type FieldIssue } from '../validation.ts';

/** The one place where a domain error kind becomes an HTTP status. */
export const STATUS: Record<ErrorKind, 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503> = {
	invalid: 422,
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	limit: 429,
	unavailable: 503
};

/** What a failed form action returns: the typed values (never passwords), per-field codes, a form-level code. */
export type FormFailure = {
	values: Record<string, string>;
	issues: Record<string, string>;
	code?: string;
	params?: Record<string, string | number>;
};

/** The first code per field ('form' for an issue about no field), as the pages show them. */
export function issuesByField(issues: readonly FieldIssue[]): Record<string, string> {
	const byField: Record<string, string> = {};
	for (const issue of issues) byField[issue.field || 'form'] ??= issue.code;
	return byField;
}

/** A form refused field by field: what was typed and the error code of each bad field. */
export function failInvalid(
	values: Record<string, string>,
	issues: Record<string, string>
): ActionFailure<FormFailure> {
	return fail(STATUS.invalid, { values, issues });
}

/**
 * Converts a domain error thrown by a service into a form failure, keeping what the
 * person typed; anything else is rethrown to handleError.
 */
export function failForm(err: unknown, values: Record<string, string>): ActionFailure<FormFailure> {
	if (err instanceof ValidationError) return failInvalid(values, issuesByField(err.issues));
	if (err instanceof DomainError) {
		return fail(STATUS[err.kind], {
			values,
			issues: {},
			code: err.code,
			params: err.details as Record<string, string | number>
		});
	}
	throw err;
}

/** For `load`: a domain error becomes SvelteKit's `error()` with its code. */
export function throwHttpError(err: unknown): never {
	if (err instanceof DomainError) error(STATUS[err.kind], { code: err.code, message: err.message });
	throw err;
}

/** Form fields as strings, minus the secrets that must never be echoed back. */
export function formValues(
	data: FormData,
	secretFields: string[] = ['password', 'confirmation']
): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [key, value] of data.entries()) {
		if (typeof value === 'string' && !secretFields.includes(key)) values[key] = value;
	}
	return values;
}

export function formText(data: FormData, name: string): string {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
}
