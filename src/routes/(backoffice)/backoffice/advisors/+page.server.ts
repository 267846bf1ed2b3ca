import { getApp } from '#server/app.ts';
import { getAdvisorDashboard } from '#server/domain/advisor-dashboard/advisor-dashboard.service.ts';
import {
	DASHBOARD_PERIODS,
	type DashboardPeriod
} from '#server/domain/advisor-dashboard/advisor-dashboard.schemas.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	// An unknown period in a bookmarked link falls back to the default rather than failing.
	const asked = url.searchParams.get('period');
	const period = DASHBOARD_PERIODS.includes(asked as DashboardPeriod)
		? (asked as DashboardPeriod)
		: undefined;
	try {
		const dashboard = await getAdvisorDashboard({ actor, input: { period } }, { db: getApp().database.db });
		return { dashboard, periods: DASHBOARD_PERIODS };
	} catch (err) {
		throwHttpError(err);
	}
};
