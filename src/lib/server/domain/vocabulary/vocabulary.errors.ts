import { defineError } from '../../errors.ts';

/** Only programme staff (admins, advisors) see and map the texts typed as "other". */
export const vocabularyForbidden = defineError('vocabulary.forbidden', 'forbidden');

/** No person of the programme has this text as "other" (already mapped, or never typed). */
export const vocabularyTextNotFound = defineError('vocabulary.text_not_found', 'not_found');
