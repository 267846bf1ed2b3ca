import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { FieldIssue } from '../../validation.ts';
import { eventNotFound } from './event.errors.ts';

/** The longest event we accept (a fair runs a few days): longer is a typo in the dates. */
export const MAX_EVENT_DAYS = 14;

/** Programme staff (admins and advisors) edit the events of their programme; nobody else. */
export function canEditEvent(actor: Actor, event: { programmeId: string }): boolean {
	return event.programmeId === actor.programmeId && isStaff(actor);
}

/** Throws `event.not_found` (not forbidden) so that existence does not leak. */
export function assertCanEditEvent(actor: Actor, event: { id: string; programmeId: string }): void {
	if (!canEditEvent(actor, event)) throw eventNotFound({ eventId: event.id });
}

export function canCreateEvent(actor: Actor): boolean {
	return isStaff(actor);
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
