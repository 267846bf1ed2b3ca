import { error, redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { createCase } from '#server/domain/case/case-intake.service.ts';
import { getCaseOptions } from '#server/domain/case/case.service.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	if (actor.role !== 'admin' && actor.role !== 'advisor') {
		error(403, { code: 'case.forbidden', message: 'Only programme staff open cases.' });
	}
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
		const actor = locals.actor;
		if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
		const data = await request.formData();
		// Several villages may be ticked: keep them all to tick them again after an error.
		const values = { ...formValues(data), villages: data.getAll('villages').join(',') };
		const field = (name: string) => formText(data, name);
		let caseId: string;
		try {
			const { case: kase } = await createCase(
				{
					actor,
					input: {
						source: (field('source') || 'phone') as never,
						firstName: field('firstName'),
						lastName: field('lastName'),
						email: field('email'),
						phone: field('phone'),
						birthYear: field('birthYear'),
						profession: field('profession'),
						status: field('status'),
						sector: field('sector'),
						adultsCount: field('adultsCount'),
						hasPartner: field('hasPartner'),
						partnerFirstName: field('partnerFirstName'),
						partnerProfession: field('partnerProfession'),
						partnerNeedsJob: field('partnerNeedsJob'),
						children: childrenOf(field('children')),
						wishedArea: field('wishedArea'),
						timeline: field('timeline'),
						villages: data.getAll('villages').filter((value): value is string => typeof value === 'string'),
						consentContact: field('consentContact'),
						consentShareWithCommittees: field('consentShareWithCommittees'),
						consentShareWithPartners: field('consentShareWithPartners'),
						consentResearch: field('consentResearch'),
						advisorId: field('advisorId') || null,
						note: field('note')
					}
				},
				{ db: getApp().database.db }
			);
			caseId = kase.id;
		} catch (err) {
			return failForm(err, values);
		}
		redirect(303, `/backoffice/cases/${caseId}?created=1`);
	}
};
