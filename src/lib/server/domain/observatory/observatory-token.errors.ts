import { defineError } from '../../errors.ts';

/** Only the programme's admins create, list and revoke funders' tokens. */
export const observatoryTokenForbidden = defineError('observatory_token.forbidden', 'forbidden');
/** A token id of another programme, or none. */
export const observatoryTokenNotFound = defineError('observatory_token.not_found', 'not_found');
/** The API was called without a token and without a session. */
export const observatoryApiTokenRequired = defineError('observatory_api.token_required', 'unauthenticated');
/** The bearer token is unknown or revoked. */
export const observatoryApiInvalidToken = defineError('observatory_api.invalid_token', 'unauthenticated');
