import { getApp } from '#server/app.ts';
import { STAFF_ROLES } from '#server/auth/actor.ts';
import { requireRole } from '#server/http/actor.ts';
import { getCaseOptions, listCases } from '#server/domain/case/case.service.ts';
import { listMyTasks } from '#server/domain/case/case-tasks.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import { todayIso } from '$lib/domain/datetime.ts';
import { completeTaskAction } from '../cases/actions.server.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireRole({ locals, url }, STAFF_ROLES, {
		code: 'case.forbidden',
		message: 'My day is for programme staff.'
	});
	const db = getApp().database.db;
	// "Today" is the programme's day, not the server's (UTC) one.
	const today = todayIso();
	try {
		const { tasks } = await listMyTasks({ actor, on: today }, { db });
		const { cases } = await listCases({ actor, filters: { advisorId: actor.userId }, limit: 8 }, { db });
		const options = await getCaseOptions({ actor }, { db });
		return {
			today,
			overdue: tasks.filter((task) => task.dueOn !== null && task.dueOn < today),
			dueToday: tasks.filter((task) => task.dueOn === today),
			undated: tasks.filter((task) => task.dueOn === null),
			recent: cases,
			pipeline: options.pipeline
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	done: (event) => completeTaskAction(event)
};
