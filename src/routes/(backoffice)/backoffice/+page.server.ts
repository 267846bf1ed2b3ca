import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import {
	getCommitteeDashboard,
	getPartnerDashboard,
	getStaffDashboard
} from '#server/domain/dashboard/dashboard.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

/** Each role's own dashboard (domain/dashboard): staff, a committee member's villages, a partner's organisation. */
export const load: PageServerLoad = async ({ locals }) => {
	const actor = locals.actor;
	const db = getApp().database.db;
	try {
		if (actor && isStaff(actor)) return { staff: await getStaffDashboard({ actor }, { db }) };
		if (actor?.role === 'committee') return { committee: await getCommitteeDashboard({ actor }, { db }) };
		if (actor?.role === 'partner' && actor.organisationId)
			return { partner: await getPartnerDashboard({ actor }, { db }) };
		return {};
	} catch (err) {
		throwHttpError(err);
	}
};
