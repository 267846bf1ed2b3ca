import * as v from 'valibot';
import { DomainError } from './errors.ts';

/** One problem with one field: `message` is an error code such as 'territory.invalid_departement'. */
export type FieldIssue = { field: string; code: string };

/** Thrown when input fails its schema; `details.issues` names each field and its error code. */
export class ValidationError extends DomainError {
	constructor(readonly issues: FieldIssue[]) {
		super('validation.invalid_input', 'invalid', { issues });
	}
}

export function toFieldIssues(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
	return issues.map((issue) => ({
		field: v.getDotPath(issue) ?? '',
		// Schemas carry error codes as messages; valibot's own English text becomes a generic code.
		code: /^[a-z_]+\.[a-z_]+$/.test(issue.message) ? issue.message : 'validation.invalid_value'
	}));
}

/** Validates input at a service boundary; throws ValidationError listing every bad field. */
export function parseInput<TSchema extends v.GenericSchema>(
	schema: TSchema,
	input: unknown
): v.InferOutput<TSchema> {
	const result = v.safeParse(schema, input);
	if (!result.success) throw new ValidationError(toFieldIssues(result.issues));
	return result.output;
}
