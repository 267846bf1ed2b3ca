import { defineError } from '../../errors.ts';

/** No programme has this slug or id (or the actor may not see it). */
export const programmeNotFound = defineError('programme.not_found', 'not_found');
/** Another programme already uses this slug. */
export const programmeSlugTaken = defineError('programme.slug_taken', 'conflict');
/** The metropole is not a current French commune of the official geographic code (`details.code`). */
export const programmeUnknownMetropole = defineError('programme.unknown_metropole', 'invalid');
/** Only the programme's admins (or the operator, from the command line) may change it. */
export const programmeForbidden = defineError('programme.forbidden', 'forbidden');
/** An update named no field to change. */
export const programmeNothingToChange = defineError('programme.nothing_to_change', 'invalid');
/** Only an instance admin (or the operator, from the command line) may create, suspend or resume programmes. */
export const programmeInstanceForbidden = defineError('programme.instance_forbidden', 'forbidden');
/** The programme is already suspended (suspend) or not suspended (resume): `details.status`. */
export const programmeStatusUnchanged = defineError('programme.status_unchanged', 'conflict');
/** Another programme's site already answers on this host name (`details.host`). */
export const programmeHostTaken = defineError('programme.host_taken', 'conflict');
/** The programme has no such host name (or it belongs to another programme). */
export const programmeHostNotFound = defineError('programme.host_not_found', 'not_found');
