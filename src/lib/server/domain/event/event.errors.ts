import { defineError } from '../../errors.ts';

/**
 * No such event for this actor: it does not exist, belongs to another programme, is a
 * draft seen from the public portal, or the actor may not edit it. Never "forbidden",
 * so existence does not leak.
 */
export const eventNotFound = defineError('event.not_found', 'not_found');
/** Only the programme's admins and advisors create events. */
export const eventForbidden = defineError('event.forbidden', 'forbidden');
/** A cancelled event is no longer edited (duplicate it to schedule it again); `details.eventId`. */
export const eventIsCancelled = defineError('event.is_cancelled', 'conflict');
/** An event that is over keeps its date and place; it cannot be cancelled either; `details.eventId`. */
export const eventIsPast = defineError('event.is_past', 'conflict');
