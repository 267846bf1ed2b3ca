import { error, redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { addPerson } from '#server/domain/case/case-household.service.ts';
import { getCase } from '#server/domain/case/case.service.ts';
import { failForm, formValues, throwHttpError } from '#server/http/errors.ts';
import { personInput } from '../person-form.server.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	try {
		const details = await getCase({ actor, caseId: params.caseId }, { db: getApp().database.db });
		if (details.access !== 'staff') {
			error(403, { code: 'case.edit_forbidden', message: 'Committee members do not edit case files.' });
		}
		return { case: { id: details.case.id, reference: details.case.reference } };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	save: async ({ locals, params, request, url }) => {
		const actor = locals.actor;
		if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
		const data = await request.formData();
		try {
			await addPerson(
				{ actor, caseId: params.caseId, input: personInput(data) },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), submitted: '1' });
		}
		redirect(303, `/backoffice/cases/${params.caseId}?updated=1`);
	}
};
