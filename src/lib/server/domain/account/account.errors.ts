import { defineError } from '../../errors.ts';

/** Wrong email or password (never says which, so accounts cannot be enumerated). */
export const accountInvalidCredentials = defineError('account.invalid_credentials', 'unauthenticated');
/** Too many failed sign-ins for this email or from this address; details.retryAfterMinutes. */
export const accountTooManyAttempts = defineError('account.too_many_attempts', 'limit');
/** Another account already uses this email address. */
export const accountEmailTaken = defineError('account.email_taken', 'conflict');
/** The password-reset link is unknown, used or expired. */
export const accountInvalidResetToken = defineError('account.invalid_reset_token', 'invalid');
/** The two passwords typed on the reset form differ. */
export const accountPasswordMismatch = defineError('account.password_mismatch', 'invalid');
/** The actor may not manage accounts. */
export const accountForbidden = defineError('account.forbidden', 'forbidden');
/** The organisation given for a partner account does not exist in this programme. */
export const accountUnknownOrganisation = defineError('account.unknown_organisation', 'invalid');
/** The password is right but the person's membership is deactivated: they may not sign in. */
export const accountDeactivated = defineError('account.deactivated', 'forbidden');
/** Villages were given for another role than committee, or an organisation for another role than partner. */
export const accountScopeNotForRole = defineError('account.scope_not_for_role', 'invalid');
/** The sign-in unlock link is unknown, used or expired. */
export const accountInvalidUnlockToken = defineError('account.invalid_unlock_token', 'invalid');
/** The sign-in link is unknown (mistyped or cut): the page offers a new one. */
export const accountInvalidSignInLink = defineError('account.invalid_sign_in_link', 'invalid');
/** The sign-in link's validity is over: the page offers a new one. */
export const accountSignInLinkExpired = defineError('account.sign_in_link_expired', 'invalid');
/** The sign-in link was already used (each works once): the page offers a new one. */
export const accountSignInLinkUsed = defineError('account.sign_in_link_used', 'invalid');
/** The account already has a password: it is changed through "forgot your password". */
export const accountPasswordAlreadySet = defineError('account.password_already_set', 'conflict');
/** The password is right but every programme of the person is suspended by the instance admin. */
export const accountProgrammeSuspended = defineError('account.programme_suspended', 'forbidden');
/** The programme chosen is not one the person may act in (no active membership, or suspended). */
export const accountProgrammeNotChoosable = defineError('account.programme_not_choosable', 'forbidden');
