import { getApp } from '#server/app.ts';
import { getSpaceOverview } from '#server/domain/candidate-space/candidate-space.service.ts';
import { isDomainError } from '#server/errors.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

/** The candidate's file at a glance: stage, what comes next, advisor, appointments, events. */
export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	try {
		return { overview: await getSpaceOverview({ actor }, { db: getApp().database.db }) };
	} catch (err) {
		// A candidate account without a file yet: the page says so and leads to the form.
		if (isDomainError(err) && err.code === 'candidate_space.no_case' && actor.role === 'candidate') {
			return { overview: null };
		}
		throwHttpError(err);
	}
};
