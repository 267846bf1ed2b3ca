import { defineError } from '../../errors.ts';

/** The actor has no case this questionnaire or ranking belongs to (or may not see it): answers as not found. */
export const matchingCaseNotFound = defineError('matching.case_not_found', 'not_found');
/** The village is not a partner village of the programme; `details.villageId`. */
export const matchingVillageNotFound = defineError('matching.village_not_found', 'not_found');
/** Only a programme's admins set the matching weights. */
export const matchingWeightsForbidden = defineError('matching.weights_forbidden', 'forbidden');
/** Only staff propose a village to a household's committee. */
export const matchingProposeForbidden = defineError('matching.propose_forbidden', 'forbidden');
