import { getApp } from '#server/app.ts';
import { requireActor } from '#server/http/actor.ts';
import { getCaseBoard, listAllowedStages } from '#server/domain/case/case-pipeline.service.ts';
import { getCaseOptions } from '#server/domain/case/case.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { moveAction } from '../actions.server.ts';
import { readCaseQuery, toCaseFilters } from '../filters.server.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	const query = readCaseQuery(url);
	try {
		const options = await getCaseOptions({ actor }, { db });
		// eslint-disable-next-line @typescript-eslint/no-unused-vars
		const { stages, ...filters } = toCaseFilters(query, actor, []);
		const { columns } = await getCaseBoard({ actor, filters }, { db });
		const allowed = await listAllowedStages({ actor, stages: columns.map((column) => column.stage) }, { db });
		return { columns, allowed, options, query };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	move: (event) => moveAction(event, { quick: true })
};
