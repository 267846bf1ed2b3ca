/**
 * What an audit entry keeps: only the fields that changed, before and after. Pure code,
 * shared by every write to a case or a person.
 */

/** Bookkeeping columns that change on every write and say nothing about the record. */
export const AUDIT_IGNORED_FIELDS: readonly string[] = [
	'id',
	'programmeId',
	'caseId',
	'createdAt',
	'updatedAt',
	'createdBy',
	'updatedBy',
	'isDemo',
	// Generated from the names for the case list's search.
	'searchName'
];

export type AuditChange = { before: Record<string, unknown>; after: Record<string, unknown> };

/** A value as stored in jsonb: dates as ISO text, undefined as null, objects with sorted keys. */
export function auditValue(value: unknown): unknown {
	if (value === undefined || value === null) return null;
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value)) return value.map(auditValue);
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, inner]) => inner !== undefined)
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([key, inner]) => [key, auditValue(inner)] as const);
		return Object.fromEntries(entries);
	}
	return value;
}

function isBlank(value: unknown): boolean {
	if (value === null || value === undefined || value === '') return true;
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length === 0;
	return false;
}

/**
 * The fields that differ between two versions of a record (missing, null, empty text,
 * empty list and empty object all count as "nothing"), minus the bookkeeping columns.
 * `before` is {} for a creation and `after` is {} for a deletion.
 */
export function diffFields(
	before: Record<string, unknown> | null,
	after: Record<string, unknown> | null,
	ignored: readonly string[] = AUDIT_IGNORED_FIELDS
): AuditChange {
	const change: AuditChange = { before: {}, after: {} };
	const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
	for (const key of [...keys].sort()) {
		if (ignored.includes(key)) continue;
		const was = before?.[key];
		const is = after?.[key];
		if (isBlank(was) && isBlank(is)) continue;
		const wasValue = auditValue(was);
		const isValue = auditValue(is);
		if (JSON.stringify(wasValue) === JSON.stringify(isValue)) continue;
		if (before) change.before[key] = isBlank(was) ? null : wasValue;
		if (after) change.after[key] = isBlank(is) ? null : isValue;
	}
	return change;
}

export function hasChanges(change: AuditChange): boolean {
	return Object.keys(change.before).length > 0 || Object.keys(change.after).length > 0;
}

/** One row of the history page: a field with its value before and after. */
export type AuditFieldChange = { field: string; before: unknown; after: unknown };

/**
 * The field-by-field lines of an entry; nested objects (needs, consents) are split into
 * `needs.schools`, `consents.contact`… so each line says one thing.
 */
export function auditFieldChanges(entry: AuditChange): AuditFieldChange[] {
	const lines: AuditFieldChange[] = [];
	const keys = new Set([...Object.keys(entry.before), ...Object.keys(entry.after)]);
	for (const key of [...keys].sort()) {
		const was = entry.before[key] ?? null;
		const is = entry.after[key] ?? null;
		const isObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
		if ((isObject(was) || was === null) && (isObject(is) || is === null) && (was || is)) {
			const nested = diffFields(
				(was as Record<string, unknown> | null) ?? {},
				(is as Record<string, unknown> | null) ?? {},
				[]
			);
			for (const line of auditFieldChanges(nested)) {
				lines.push({ field: `${key}.${line.field}`, before: line.before, after: line.after });
			}
			continue;
		}
		lines.push({ field: key, before: was, after: is });
	}
	return lines;
}

/**
 * What each person of a history was called, from the entries themselves (a deleted person
 * is still named): the latest first and last name and household role seen, by person id.
 */
export function personLabelsOf(
	entries: readonly {
		entityType: string;
		entityId: string;
		before: Record<string, unknown>;
		after: Record<string, unknown>;
	}[]
): Record<string, { firstName: string | null; lastName: string | null; householdRole: string | null }> {
	const labels: Record<
		string,
		{ firstName: string | null; lastName: string | null; householdRole: string | null }
	> = {};
	// Oldest first, so later names win.
	for (const entry of [...entries].reverse()) {
		if (entry.entityType !== 'person') continue;
		const label = (labels[entry.entityId] ??= { firstName: null, lastName: null, householdRole: null });
		for (const source of [entry.before, entry.after]) {
			for (const key of ['firstName', 'lastName', 'householdRole'] as const) {
				const value = source[key];
				if (typeof value === 'string' && value) label[key] = value;
			}
		}
	}
	return labels;
}
