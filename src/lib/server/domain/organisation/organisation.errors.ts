import { defineError } from '../../errors.ts';

/**
 * No such organisation for this actor: it does not exist, belongs to another programme, or
 * the actor may not see it (a partner looking at another organisation). Never "forbidden",
 * so that existence does not leak.
 */
export const organisationNotFound = defineError('organisation.not_found', 'not_found');
/** Only the programme's admins and advisors create, edit and retire organisations. */
export const organisationForbidden = defineError('organisation.forbidden', 'forbidden');
