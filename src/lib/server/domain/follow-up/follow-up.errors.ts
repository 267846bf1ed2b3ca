import { defineError } from '../../errors.ts';

/** No survey with this personal link (never existed, mistyped or forged). */
export const surveyNotFound = defineError('follow_up.survey_not_found', 'not_found');
/** The survey was already answered: the answers are kept, never overwritten. */
export const surveyAlreadyAnswered = defineError('follow_up.already_answered', 'conflict');
/** The personal link is too old to answer. */
export const surveyExpired = defineError('follow_up.expired', 'conflict');
/** Only the programme's admins and advisors see the follow-up (admins edit the questionnaire). */
export const followUpForbidden = defineError('follow_up.forbidden', 'forbidden');
/** No departure to confirm with this id in the actor's programme (or already decided). */
export const departureNotFound = defineError('follow_up.departure_not_found', 'not_found');
/** No case with this id in the actor's programme. */
export const followUpCaseNotFound = defineError('follow_up.case_not_found', 'not_found');
