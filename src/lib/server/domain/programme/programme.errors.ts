import { defineError } from '../../errors.ts';

/** No programme has this slug or id (or the actor may not see it). */
export const programmeNotFound = defineError('programme.not_found', 'not_found');
/** Another programme already uses this slug. */
export const programmeSlugTaken = defineError('programme.slug_taken', 'conflict');
