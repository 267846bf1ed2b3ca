import { defineError } from '../../errors.ts';

/** A role's dashboard is for that role: a committee member's for committee members, a partner's for partners. */
export const dashboardForbidden = defineError('dashboard.forbidden', 'forbidden');
