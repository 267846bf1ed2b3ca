import type { Event, RegistrationStatus } from '../../db/schema/index.ts';

/** Whether a new person gets a seat or joins the waiting list. Unlimited events always seat. */
export function seatFor(
	capacity: number | null,
	seatsTaken: number
): Exclude<RegistrationStatus, 'cancelled'> {
	return capacity === null || seatsTaken < capacity ? 'registered' : 'waitlisted';
}

/** Registrations are open for a published event until it starts. */
export function isOpenForRegistration(event: Pick<Event, 'status' | 'startsAt'>, now: Date): boolean {
	return event.status === 'published' && event.startsAt.getTime() > now.getTime();
}

/** Reminders go to registered people of events starting within this window. */
export const REMINDER_WINDOW_HOURS = 36;
