import { defineError } from '../../errors.ts';

/** No registration with this personal link (never existed, or the link was mistyped). */
export const registrationNotFound = defineError('event_registration.not_found', 'not_found');
/** The event takes no registration: cancelled, over, or a draft. */
export const registrationClosed = defineError('event_registration.closed', 'conflict');
/** Attendance is recorded once the event has started. */
export const registrationAttendanceTooEarly = defineError(
	'event_registration.attendance_too_early',
	'conflict'
);
/** Only the programme's admins and advisors see registrations and record attendance. */
export const registrationForbidden = defineError('event_registration.forbidden', 'forbidden');
