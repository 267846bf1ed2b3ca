import * as v from 'valibot';
import { toFieldIssues } from '../validation.ts';
import { issuesByField } from './errors.ts';

/*
 * A posted form read through an area's schema (`<area>.schemas.ts`), so actions get typed
 * input without reading fields one by one. Failures have the shape every page displays:
 * `issues` maps a field name to its error code (`FormFailure`, `failInvalid` in `http/errors.ts`).
 */

/** What `parseForm` answers: the schema's output, or the first error code of each bad field. */
export type ParsedForm<TOutput> = { ok: true; data: TOutput } | { ok: false; issues: Record<string, string> };

type Entries = Record<string, v.GenericSchema>;

/** The object entries of a schema, through `v.optional`, `v.nullable`… and `v.pipe`. */
function entriesOf(schema: v.GenericSchema): Entries | null {
	let inner: unknown = schema;
	while (inner && typeof inner === 'object' && 'wrapped' in inner) inner = inner.wrapped;
	return inner && typeof inner === 'object' && 'entries' in inner ? (inner.entries as Entries) : null;
}

function isArraySchema(schema: v.GenericSchema): boolean {
	let inner: unknown = schema;
	while (inner && typeof inner === 'object' && 'wrapped' in inner) inner = inner.wrapped;
	return (inner as { type?: string } | undefined)?.type === 'array';
}

/**
 * The fields the schema names, as the form posts them: a nested object's fields are named
 * `<key>_<field>` (`needs_housingKind`), a list takes every value of its name, any other
 * field is its text, and a field the form did not send (an unticked box) is empty text.
 */
function fieldsOf(data: FormData, entries: Entries, prefix = ''): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const [key, schema] of Object.entries(entries)) {
		const name = prefix + key;
		const nested = entriesOf(schema);
		if (nested) fields[key] = fieldsOf(data, nested, `${name}_`);
		else if (isArraySchema(schema))
			fields[key] = data.getAll(name).filter((value) => typeof value === 'string');
		else {
			const value = data.get(name);
			fields[key] = value === null ? '' : value;
		}
	}
	return fields;
}

/**
 * Reads a posted form with an object schema of an area. `computed` replaces fields the form
 * does not post as the schema reads them (a date in local time, a list typed in one field).
 */
export function parseForm<TSchema extends v.GenericSchema>(
	data: FormData,
	schema: TSchema,
	computed: Record<string, unknown> = {}
): ParsedForm<v.InferOutput<TSchema>> {
	const entries = entriesOf(schema);
	if (!entries) throw new TypeError('parseForm needs an object schema');
	const result = v.safeParse(schema, { ...fieldsOf(data, entries), ...computed });
	if (result.success) return { ok: true, data: result.output };
	return { ok: false, issues: issuesByField(toFieldIssues(result.issues)) };
}
