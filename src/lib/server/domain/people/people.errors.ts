import { defineError } from '../../errors.ts';

/** Only the programme's admins invite people and change roles (advisors may read the list). */
export const peopleForbidden = defineError('people.forbidden', 'forbidden');
/** No such person in the actor's programme. */
export const peopleNotFound = defineError('people.not_found', 'not_found');
/** No such invitation in the actor's programme. */
export const peopleInvitationNotFound = defineError('people.invitation_not_found', 'not_found');
/** The address already has this role in the programme (details: email, role). */
export const peopleAlreadyMember = defineError('people.already_member', 'conflict');
/** An invitation to this address is still pending: resend it or revoke it first. */
export const peopleAlreadyInvited = defineError('people.already_invited', 'conflict');
/** A committee member needs at least one village. */
export const peopleVillageRequired = defineError('people.village_required', 'invalid');
/** A partner needs the organisation they act for. */
export const peoplePartnerOrganisationRequired = defineError('people.organisation_required', 'invalid');
/** A village that is not one of the programme's. */
export const peopleUnknownVillage = defineError('people.unknown_village', 'invalid');
/** An organisation that is not one of the programme's. */
export const peopleUnknownOrganisation = defineError('people.unknown_organisation', 'invalid');
/** The invitation link is unknown (mistyped, or replaced by a newer one). */
export const peopleInvitationInvalid = defineError('people.invitation_invalid', 'invalid');
/** The invitation link has expired: ask for a new one. */
export const peopleInvitationExpired = defineError('people.invitation_expired', 'invalid');
/** The invitation was revoked by the programme. */
export const peopleInvitationRevoked = defineError('people.invitation_revoked', 'invalid');
/** The invitation was already accepted: sign in instead. */
export const peopleInvitationUsed = defineError('people.invitation_used', 'invalid');
/** Only a pending invitation can be resent or revoked. */
export const peopleInvitationNotPending = defineError('people.invitation_not_pending', 'conflict');
/** Admins cannot change their own role or deactivate themselves (the programme would lose its admin). */
export const peopleCannotChangeSelf = defineError('people.cannot_change_self', 'invalid');
