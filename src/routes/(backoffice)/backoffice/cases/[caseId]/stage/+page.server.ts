import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { getCase, getCaseOptions } from '#server/domain/case/case.service.ts';
import { listStageMoves } from '#server/domain/case/case-pipeline.service.ts';
import { listCommunes } from '#server/domain/territory/territory.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import { moveAction, safeReturn } from '../../actions.server.ts';
import type { Actions, PageServerLoad } from './$types';

/** The stage form on its own page: where the board sends moves that need details. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	const to = url.searchParams.get('to') ?? '';
	try {
		const details = await getCase({ actor, caseId: params.caseId }, { db });
		if (details.access !== 'staff') error(404, { code: 'case.not_found', message: 'Case not found' });
		const options = await getCaseOptions({ actor }, { db });
		const { moves } = await listStageMoves({ actor, caseId: params.caseId }, { db });
		const { communes } = await listCommunes({ departements: options.departements, limit: 2000 }, { db });
		return {
			details,
			options,
			moves,
			to: moves.some((move) => move.stage === to) ? to : null,
			returnTo: safeReturn(url.searchParams.get('return'), `/backoffice/cases/${params.caseId}`),
			communes: communes.map((commune) => ({ code: commune.code, name: commune.name }))
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const result = await moveAction(event);
		if ('moved' in result) {
			seeOther(safeReturn(event.url.searchParams.get('return'), `/backoffice/cases/${event.params.caseId}`));
		}
		return result;
	}
};
