import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { getPerson, removePerson, updatePerson } from '#server/domain/case/case-household.service.ts';
import { failForm, formValues, throwHttpError } from '#server/http/errors.ts';
import { personInput } from '../person-form.server.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	try {
		const { case: kase, person } = await getPerson(
			{ actor, caseId: params.caseId, personId: params.personId },
			{ db: getApp().database.db }
		);
		return { case: { id: kase.id, reference: kase.reference }, person };
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
			await updatePerson(
				{ actor, caseId: params.caseId, personId: params.personId, input: personInput(data) },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), submitted: '1' });
		}
		redirect(303, `/backoffice/cases/${params.caseId}?updated=1`);
	},
	remove: async ({ locals, params, url }) => {
		const actor = locals.actor;
		if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
		try {
			await removePerson(
				{ actor, caseId: params.caseId, personId: params.personId },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { intent: 'remove' });
		}
		redirect(303, `/backoffice/cases/${params.caseId}?updated=1`);
	}
};
