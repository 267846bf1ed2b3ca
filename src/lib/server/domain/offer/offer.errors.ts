import { defineError } from '../../errors.ts';

/**
 * No such offer for this actor: it does not exist, belongs to another programme, is
 * not public (expired, taken), or the actor may not manage it. Never "forbidden", so
 * that existence does not leak.
 */
export const offerNotFound = defineError('offer.not_found', 'not_found');
/** The actor's role cannot publish offers (members, candidates, partners without an organisation). */
export const offerForbidden = defineError('offer.forbidden', 'forbidden');
/** The commune is not imported or not in the programme's départements; `details.code`. */
export const offerCommuneNotFound = defineError('offer.commune_not_found', 'invalid');
/**
 * The owner given is not allowed: a village the committee member does not sit on, an
 * organisation other than the partner's own, or one of another programme.
 */
export const offerInvalidOwner = defineError('offer.invalid_owner', 'invalid');
/** The expiry date is in the past or more than a year ahead; `details.maxDays`. */
export const offerInvalidExpiry = defineError('offer.invalid_expiry', 'invalid');
/** Details can only be disclosed for an anonymised offer, to a candidate or member of the programme. */
export const offerInvalidDisclosure = defineError('offer.invalid_disclosure', 'invalid');
