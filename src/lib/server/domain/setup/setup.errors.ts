import { defineError } from '../../errors.ts';

/** The setup is over (an admin exists, or the code was used): `/setup` refuses everything. */
export const setupClosed = defineError('setup.closed', 'forbidden');
/** The setup code typed is not the one printed in the server's terminal. */
export const setupInvalidCode = defineError('setup.invalid_code', 'forbidden');
/** Too many wrong codes lately, from this address or overall (`details.retryAfterMinutes`). */
export const setupTooManyAttempts = defineError('setup.too_many_attempts', 'limit');
