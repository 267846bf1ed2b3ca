import { getApp } from '#server/app.ts';
import { getCaseDashboard } from '#server/domain/case/case-pipeline.service.ts';
import { listCases } from '#server/domain/case/case.service.ts';
import { getProgrammeChecklist } from '#server/domain/programme/programme-checklist.service.ts';
import { listReferrals } from '#server/domain/referral/referral.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

/** Staff see the accompaniment figures; other back-office roles only the welcome. */
export const load: PageServerLoad = async ({ locals }) => {
	const actor = locals.actor;
	if (actor?.role === 'partner' && actor.organisationId) {
		// A partner's dashboard: the referrals waiting for their organisation's answer.
		const { total } = await listReferrals(
			{ actor, status: 'proposed', limit: 1 },
			{ db: getApp().database.db }
		);
		return { dashboard: null, pendingReferrals: total };
	}
	if (actor?.role === 'committee') {
		// A committee member's dashboard: the cases that target their villages, latest first.
		const { cases, total } = await listCases({ actor, limit: 10 }, { db: getApp().database.db });
		return { dashboard: null, committeeCases: { cases, total } };
	}
	if (!actor || (actor.role !== 'admin' && actor.role !== 'advisor')) return { dashboard: null };
	try {
		const db = getApp().database.db;
		// An admin's first steps stay on the dashboard until every one is done.
		const checklist = actor.role === 'admin' ? await getProgrammeChecklist({ actor }, { db }) : null;
		return {
			dashboard: await getCaseDashboard({ actor }, { db }),
			checklist: checklist && !checklist.isComplete ? checklist.items : null
		};
	} catch (err) {
		throwHttpError(err);
	}
};
