import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import {
	getCommitteeDashboard,
	getPartnerDashboard,
	getStaffDashboard
} from '#server/domain/dashboard/dashboard.service.ts';
import { getRecentMatchesOfAdvisor } from '#server/domain/offer-match/offer-match.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

/** Each role's own dashboard (domain/dashboard): staff, a committee member's villages, a partner's organisation. */
export const load: PageServerLoad = async ({ locals }) => {
	const actor = locals.actor;
	const db = getApp().database.db;
	try {
		if (actor && isStaff(actor))
			return {
				staff: await getStaffDashboard({ actor }, { db }),
				// New offers matching the households this staff member follows (last 7 days).
				offerMatches: (await getRecentMatchesOfAdvisor({ actor }, { db })).matches
			};
		if (actor?.role === 'committee') return { committee: await getCommitteeDashboard({ actor }, { db }) };
		if (actor?.role === 'partner' && actor.organisationId)
			return { partner: await getPartnerDashboard({ actor }, { db }) };
		return {};
	} catch (err) {
		throwHttpError(err);
	}
};
