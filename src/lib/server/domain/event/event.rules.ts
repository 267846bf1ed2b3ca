import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { FieldIssue } from '../../validation.ts';
import { eventNotFound } from './event.errors.ts';

/** The longest event we accept (a fair runs a few days): longer is a typo in the dates. */
export const MAX_EVENT_DAYS = 14;

/**
 * Programme staff (admins and advisors) edit every event of their programme; committee
 * members only the events of the villages whose committee they sit on; nobody else.
 */
export function canEditEvent(
	actor: Actor,
	event: { programmeId: string; villageId: string | null },
	committeeVillageIds: readonly string[] = []
): boolean {
	if (event.programmeId !== actor.programmeId) return false;
	if (isStaff(actor)) return true;
	return (
		actor.role === 'committee' && event.villageId !== null && committeeVillageIds.includes(event.villageId)
	);
}

/** Throws `event.not_found` (not forbidden) so that existence does not leak. */
export function assertCanEditEvent(
	actor: Actor,
	event: { id: string; programmeId: string; villageId: string | null },
	committeeVillageIds: readonly string[] = []
): void {
	if (!canEditEvent(actor, event, committeeVillageIds)) throw eventNotFound({ eventId: event.id });
}

/** Staff create any event; committee members only events of one of their villages. */
export function canCreateEvent(
	actor: Actor,
	villageId: string | null = null,
	committeeVillageIds: readonly string[] = []
): boolean {
	if (isStaff(actor)) return true;
	return actor.role === 'committee' && villageId !== null && committeeVillageIds.includes(villageId);
}

/** The fields whose change registrants are told of, and that bump the calendar SEQUENCE. */
export const SIGNIFICANT_EVENT_FIELDS = [
	'startsAt',
	'endsAt',
	'workspaceId',
	'address',
	'communeCode',
	'isOnline'
] as const;

const comparable = (value: unknown) => (value instanceof Date ? value.getTime() : (value ?? null));

/** Whether an edit moves the event in time or space (what a registrant must be told). */
export function isSignificantChange(
	before: Record<(typeof SIGNIFICANT_EVENT_FIELDS)[number], unknown>,
	after: Partial<Record<(typeof SIGNIFICANT_EVENT_FIELDS)[number], unknown>>
): boolean {
	return SIGNIFICANT_EVENT_FIELDS.some(
		(field) =>
			field in after && after[field] !== undefined && comparable(after[field]) !== comparable(before[field])
	);
}

/**
 * The invariants across fields of an event, as field issues: it ends after it starts,
 * lasts at most MAX_EVENT_DAYS, and happens somewhere (a workspace, an address, online).
 */
export function findEventIssues(event: {
	startsAt: Date;
	endsAt: Date;
	workspaceId: string | null;
	address: string | null;
	isOnline: boolean;
}): FieldIssue[] {
	const issues: FieldIssue[] = [];
	const duration = event.endsAt.getTime() - event.startsAt.getTime();
	if (duration <= 0) issues.push({ field: 'endsAt', code: 'event.ends_before_start' });
	else if (duration > MAX_EVENT_DAYS * 24 * 3600 * 1000)
		issues.push({ field: 'endsAt', code: 'event.too_long' });
	if (!event.workspaceId && !event.address?.trim() && !event.isOnline) {
		issues.push({ field: 'address', code: 'event.missing_place' });
	}
	return issues;
}
