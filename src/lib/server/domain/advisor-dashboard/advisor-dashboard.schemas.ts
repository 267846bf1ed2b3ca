import * as v from 'valibot';

/** Periods the dashboard offers: the last 90 days, 12 months, 3 years, or the whole history. */
export const DASHBOARD_PERIODS = ['90d', '12m', '36m', 'all'] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];

export const advisorDashboardSchema = v.object({
	period: v.optional(v.picklist(DASHBOARD_PERIODS, 'advisor_dashboard.invalid_period'), '12m')
});
export type AdvisorDashboardInput = v.InferInput<typeof advisorDashboardSchema>;
