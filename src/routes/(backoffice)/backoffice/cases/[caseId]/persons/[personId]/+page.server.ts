import { getApp } from '#server/app.ts';
import { personSchema } from '#server/domain/case/case.schemas.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, failInvalid, formValues, throwHttpError } from '#server/http/errors.ts';
import { parseForm } from '#server/http/forms.ts';
import { seeOther } from '#server/http/redirects.ts';
import { getPerson, removePerson, updatePerson } from '#server/domain/case/case-household.service.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
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
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values: Record<string, string> = { ...formValues(data), submitted: '1' };
		const form = parseForm(data, personSchema);
		if (!form.ok) return failInvalid(values, form.issues);
		try {
			await updatePerson(
				{ actor, caseId: params.caseId, personId: params.personId, input: form.data },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, values);
		}
		seeOther(`/backoffice/cases/${params.caseId}`, { updated: '1' });
	},
	remove: async ({ locals, params, url }) => {
		const actor = requireActor({ locals, url });
		try {
			await removePerson(
				{ actor, caseId: params.caseId, personId: params.personId },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { intent: 'remove' });
		}
		seeOther(`/backoffice/cases/${params.caseId}`, { updated: '1' });
	}
};
