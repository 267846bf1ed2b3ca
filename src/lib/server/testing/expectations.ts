import { expect } from 'vitest';
import { DomainError, isDomainError } from '../errors.ts';
import { ValidationError, type FieldIssue } from '../validation.ts';

/** What a promise rejected with, or null when it resolved. */
export async function errorOf(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => null,
		(e: unknown) => e
	);
}

/** Expects the promise to reject with the domain error `code` and returns that error. */
export async function expectDomainError(promise: Promise<unknown>, code: string): Promise<DomainError> {
	const error = await errorOf(promise);
	expect(isDomainError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
	return error as DomainError;
}

/** Expects the promise to reject with a ValidationError and returns its field issues. */
export async function expectIssues(promise: Promise<unknown>): Promise<FieldIssue[]> {
	const error = await errorOf(promise);
	expect(error, `expected a ValidationError, got ${String(error)}`).toBeInstanceOf(ValidationError);
	return (error as ValidationError).issues;
}

/** Like expectIssues, as a map field → code. */
export async function expectIssuesByField(promise: Promise<unknown>): Promise<Record<string, string>> {
	const issues = await expectIssues(promise);
	return Object.fromEntries(issues.map((issue) => [issue.field, issue.code]));
}
