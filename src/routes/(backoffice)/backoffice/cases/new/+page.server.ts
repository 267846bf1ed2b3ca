import { getApp } from '#server/app.ts';
import { STAFF_ROLES } from '#server/auth/actor.ts';
import { createCaseSchema } from '#server/domain/case/case.schemas.ts';
import { requireActor, requireRole } from '#server/http/actor.ts';
import { failForm, failInvalid, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { parseForm } from '#server/http/forms.ts';
import { seeOther } from '#server/http/redirects.ts';
import { createCase } from '#server/domain/case/case-intake.service.ts';
import { getCaseOptions } from '#server/domain/case/case.service.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireRole({ locals, url }, STAFF_ROLES, {
		code: 'case.forbidden',
		message: 'Only programme staff open cases.'
	});
	try {
		const options = await getCaseOptions({ actor }, { db: getApp().database.db });
		return { options, actorId: actor.userId };
	} catch (err) {
		throwHttpError(err);
	}
};

/** "7, 2" → [{ age: '7' }, { age: '2' }]; anything else is left for the service to refuse per field. */
function childrenOf(text: string) {
	return text
		.split(/[,;]/)
		.map((part) => part.trim())
		.filter(Boolean)
		.map((age) => ({ age }));
}

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		// Several villages may be ticked: keep them all to tick them again after an error.
		const values: Record<string, string> = {
			...formValues(data),
			villages: data.getAll('villages').join(',')
		};
		const form = parseForm(data, createCaseSchema, {
			source: formText(data, 'source') || 'phone',
			children: childrenOf(formText(data, 'children')),
			advisorId: formText(data, 'advisorId') || null
		});
		if (!form.ok) return failInvalid(values, form.issues);
		let caseId: string;
		try {
			const { case: kase } = await createCase({ actor, input: form.data }, { db: getApp().database.db });
			caseId = kase.id;
		} catch (err) {
			return failForm(err, values);
		}
		seeOther(`/backoffice/cases/${caseId}`, { created: '1' });
	}
};
