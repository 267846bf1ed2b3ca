import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { updateCaseSchema } from '#server/domain/case/case.schemas.ts';
import { getCase, getCaseOptions } from '#server/domain/case/case.service.ts';
import { updateCase } from '#server/domain/case/case-edit.service.ts';
import { listCommunes } from '#server/domain/territory/territory.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, failInvalid, formValues, throwHttpError } from '#server/http/errors.ts';
import { parseForm } from '#server/http/forms.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const details = await getCase({ actor, caseId: params.caseId }, { db });
		if (details.access !== 'staff') {
			error(403, { code: 'case.edit_forbidden', message: 'Committee members do not edit case files.' });
		}
		const options = await getCaseOptions({ actor }, { db });
		const { communes } = await listCommunes({ departements: options.departements, limit: 2000 }, { db });
		return {
			case: details.case,
			persons: details.persons,
			villages: details.villages,
			options,
			communes: communes.map((commune) => ({ code: commune.code, name: commune.name }))
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	default: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values: Record<string, string> = { ...formValues(data), submitted: '1' };
		// Every field of the form is sent, unchecked boxes as empty text (unticked means "no").
		const form = parseForm(data, updateCaseSchema);
		if (!form.ok) return failInvalid(values, form.issues);
		try {
			await updateCase({ actor, caseId: params.caseId, input: form.data }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, values);
		}
		seeOther(`/backoffice/cases/${params.caseId}`, { updated: '1' });
	}
};
