import { getApp } from '#server/app.ts';
import { requireActor } from '#server/http/actor.ts';
import { dismissDuplicate, listDuplicates } from '#server/domain/case/case-merge.service.ts';
import { failForm, formText, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		return await listDuplicates({ actor }, { db: getApp().database.db });
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	dismiss: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			const { case: kase } = await dismissDuplicate(
				{ actor, caseId: formText(data, 'caseId') },
				{ db: getApp().database.db }
			);
			return { dismissed: kase.reference };
		} catch (err) {
			return failForm(err, {});
		}
	}
};
