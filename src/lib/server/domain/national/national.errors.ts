import { defineError } from '../../errors.ts';

/** A programme chosen for an application does not take part in the national portal, is suspended or does not exist. */
export const nationalProgrammeNotParticipating = defineError(
	'national.programme_not_participating',
	'invalid'
);
/** An application from the national portal names no programme. */
export const nationalNoProgramme = defineError('national.no_programme', 'invalid');
