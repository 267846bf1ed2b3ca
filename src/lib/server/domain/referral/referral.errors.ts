import { defineError } from '../../errors.ts';

/**
 * No referral with this id for the actor: another programme, another organisation's
 * referral (for a partner), or a role that has no referrals.
 */
export const referralNotFound = defineError('referral.not_found', 'not_found');
/** The actor's role may not do this with referrals (committee, member, candidate; partners creating one). */
export const referralForbidden = defineError('referral.forbidden', 'forbidden');
/** The household did not agree to share its details with partner organisations. */
export const referralNoPartnerConsent = defineError('referral.no_partner_consent', 'conflict');
/** Only a proposed referral can be accepted or declined. details: { status }. */
export const referralNotProposed = defineError('referral.not_proposed', 'conflict');
/** The outcome is recorded once the organisation has accepted the referral. details: { status }. */
export const referralNotAccepted = defineError('referral.not_accepted', 'conflict');
