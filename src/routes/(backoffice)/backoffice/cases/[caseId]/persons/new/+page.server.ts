import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { personSchema } from '#server/domain/case/case.schemas.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, failInvalid, formValues, throwHttpError } from '#server/http/errors.ts';
import { parseForm } from '#server/http/forms.ts';
import { seeOther } from '#server/http/redirects.ts';
import { addPerson } from '#server/domain/case/case-household.service.ts';
import { getCase } from '#server/domain/case/case.service.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
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
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values: Record<string, string> = { ...formValues(data), submitted: '1' };
		const form = parseForm(data, personSchema);
		if (!form.ok) return failInvalid(values, form.issues);
		try {
			await addPerson({ actor, caseId: params.caseId, input: form.data }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, values);
		}
		seeOther(`/backoffice/cases/${params.caseId}`, { updated: '1' });
	}
};
