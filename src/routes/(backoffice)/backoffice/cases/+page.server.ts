import { getApp } from '#server/app.ts';
import { getCaseOptions, listCases } from '#server/domain/case/case.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { readCaseQuery, toCaseFilters } from './filters.server.ts';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	const query = readCaseQuery(url);
	try {
		const options = await getCaseOptions({ actor }, { db });
		const installedIndex = options.pipeline.installedIndex;
		const openStages = options.pipeline.stages.slice(0, installedIndex);
		const { cases, total } = await listCases(
			{
				actor,
				filters: toCaseFilters(query, actor, openStages),
				sort: query.sort,
				limit: PAGE_SIZE,
				offset: (query.page - 1) * PAGE_SIZE
			},
			{ db }
		);
		return {
			cases,
			total,
			query,
			options,
			isStaff: actor.role === 'admin' || actor.role === 'advisor',
			pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE))
		};
	} catch (err) {
		throwHttpError(err);
	}
};
