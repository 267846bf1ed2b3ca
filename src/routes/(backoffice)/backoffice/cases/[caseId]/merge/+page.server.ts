import { getApp } from '#server/app.ts';
import { requireActor } from '#server/http/actor.ts';
import { getCaseOptions } from '#server/domain/case/case.service.ts';
import { getMergePreview, mergeCases } from '#server/domain/case/case-merge.service.ts';
import { failForm, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/** The two cases side by side; the case in the URL is kept, `?with=` is absorbed. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const preview = await getMergePreview(
			{ actor, keepCaseId: params.caseId, absorbCaseId: url.searchParams.get('with') ?? '' },
			{ db }
		);
		const options = await getCaseOptions({ actor }, { db });
		return { ...preview, options };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	default: async ({ locals, params, url }) => {
		const actor = requireActor({ locals, url });
		try {
			await mergeCases(
				{ actor, keepCaseId: params.caseId, absorbCaseId: url.searchParams.get('with') ?? '' },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, {});
		}
		seeOther(`/backoffice/cases/${params.caseId}`, { merged: '1' });
	}
};
