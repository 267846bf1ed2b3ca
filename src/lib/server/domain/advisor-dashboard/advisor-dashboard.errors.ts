import { defineError } from '../../errors.ts';

/** Only programme staff (admins and advisors) read the advisors' dashboard. */
export const advisorDashboardForbidden = defineError('advisor_dashboard.forbidden', 'forbidden');
