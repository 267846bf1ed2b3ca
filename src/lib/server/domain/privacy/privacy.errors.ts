import { defineError } from '../../errors.ts';

/** No person with this id in the actor's programme (or the actor may not see them). */
export const privacyPersonNotFound = defineError('privacy.person_not_found', 'not_found');
/** Only admins export, erase and run the retention rules; only the person sees their own data. */
export const privacyForbidden = defineError('privacy.forbidden', 'forbidden');
/** No consent with this id among the actor's own. */
export const privacyConsentNotFound = defineError('privacy.consent_not_found', 'not_found');
/** The consent was already withdrawn. */
export const privacyConsentAlreadyWithdrawn = defineError('privacy.consent_already_withdrawn', 'conflict');
/** The person was already erased. */
export const privacyAlreadyErased = defineError('privacy.already_erased', 'conflict');
/** The signed-in account is linked to no household and holds no consent. */
export const privacyNoOwnData = defineError('privacy.no_own_data', 'not_found');
