import { defineError } from '../../errors.ts';

/** No stay with this id in the actor's programme, or the actor may not see it (never says which). */
export const stayNotFound = defineError('discovery_stay.not_found', 'not_found');
/** No meeting with this id that the actor hosts (another host's, another programme's, or none). */
export const stayMeetingNotFound = defineError('discovery_stay.meeting_not_found', 'not_found');
/** Planning and editing stays is for the programme's staff. */
export const stayForbidden = defineError('discovery_stay.forbidden', 'forbidden');
/** A cancelled stay is not changed any more. */
export const stayCancelled = defineError('discovery_stay.cancelled', 'conflict');
/** The outcome is recorded once the stay's last day has come. */
export const stayNotFinished = defineError('discovery_stay.not_finished', 'conflict');
