import { defineError } from '../../errors.ts';

/** The code typed is not the authenticator's current code nor an unused recovery code (or was already used). */
export const accountTwoFactorInvalidCode = defineError('account.two_factor_invalid_code', 'invalid');
/** Too many wrong codes on this sign-in: the session ended, the person signs in again. */
export const accountTwoFactorTooManyAttempts = defineError('account.two_factor_too_many_attempts', 'limit');
/** No second-factor step is awaited on this browser (signed out, or the session expired). */
export const accountTwoFactorNotPending = defineError('account.two_factor_not_pending', 'unauthenticated');
/** Two-factor authentication is already on: disable it before setting up a new authenticator. */
export const accountTwoFactorAlreadyEnabled = defineError('account.two_factor_already_enabled', 'conflict');
/** A code was sent to confirm an enrolment that was never started. */
export const accountTwoFactorNotStarted = defineError('account.two_factor_not_started', 'invalid');
/** The programme requires two-factor authentication of admins and advisors: it cannot be turned off. */
export const accountTwoFactorRequired = defineError('account.two_factor_required', 'forbidden');
/** The password typed to confirm is not the account's password. */
export const accountWrongPassword = defineError('account.wrong_password', 'invalid');
/** No session of the signed-in person has this id. */
export const accountSessionNotFound = defineError('account.session_not_found', 'not_found');
/** No account has this email address (operator commands). */
export const accountUnknownEmail = defineError('account.unknown_email', 'not_found');
