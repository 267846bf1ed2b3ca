import { getApp } from '#server/app.ts';
import { getCaseDashboard } from '#server/domain/case/case.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

/** Staff see the accompaniment figures; other back-office roles only the welcome. */
export const load: PageServerLoad = async ({ locals }) => {
	const actor = locals.actor;
	if (!actor || (actor.role !== 'admin' && actor.role !== 'advisor')) return { dashboard: null };
	try {
		return { dashboard: await getCaseDashboard({ actor }, { db: getApp().database.db }) };
	} catch (err) {
		throwHttpError(err);
	}
};
