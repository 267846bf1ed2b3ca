import { defineError } from '../../errors.ts';

/** Only the programme's admins change the impact calculator's assumptions. */
export const impactForbidden = defineError('observatory_impact.forbidden', 'forbidden');
