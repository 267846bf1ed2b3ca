import { defineError } from '../../errors.ts';

/** No member profile with this id in the programme, or one the actor may not see (unlisted). */
export const memberNotFound = defineError('member.not_found', 'not_found');
/** Only staff invite members; only the member edits their own profile. */
export const memberForbidden = defineError('member.forbidden', 'forbidden');
/** Only households installed (or beyond) become members. details: { stage }. */
export const memberCaseNotInstalled = defineError('member.case_not_installed', 'conflict');
/** The candidate of the household has no email address to send the invitation to. */
export const memberNoEmail = defineError('member.no_email', 'invalid');
/** The candidate already has a member account (or profile). */
export const memberAlreadyMember = defineError('member.already_member', 'conflict');
/** The candidate's email belongs to another account (staff, partner, another programme...). */
export const memberEmailTaken = defineError('member.email_taken', 'conflict');
/** The household has no candidate person to invite. */
export const memberNoCandidate = defineError('member.no_candidate', 'invalid');
/** The commune chosen for the profile is not a known commune. */
export const memberUnknownCommune = defineError('member.unknown_commune', 'invalid');
