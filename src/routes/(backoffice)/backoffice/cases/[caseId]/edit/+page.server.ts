import { error, redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { getCase, getCaseOptions } from '#server/domain/case/case.service.ts';
import { updateCase } from '#server/domain/case/case-edit.service.ts';
import { listCommunes } from '#server/domain/territory/territory.service.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
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

/** Every field of the form, unchecked boxes as empty text (unticked means "no"). */
const NEEDS = [
	'housingKind',
	'maxRent',
	'maxPrice',
	'minConnection',
	'schools',
	'childcare',
	'maxDistanceToStationKm'
];

export const actions: Actions = {
	default: async ({ locals, params, request, url }) => {
		const actor = locals.actor;
		if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
		const data = await request.formData();
		const field = (name: string) => formText(data, name);
		try {
			await updateCase(
				{
					actor,
					caseId: params.caseId,
					input: {
						source: field('source') as never,
						wishedArea: field('wishedArea'),
						timeline: field('timeline'),
						needs: Object.fromEntries(NEEDS.map((key) => [key, field(`needs_${key}`)])),
						wouldMoveWithoutProgramme: field('wouldMoveWithoutProgramme'),
						howHeard: field('howHeard'),
						consentContact: field('consentContact'),
						consentShareWithCommittees: field('consentShareWithCommittees'),
						consentShareWithPartners: field('consentShareWithPartners'),
						consentResearch: field('consentResearch'),
						installedCommuneCode: field('installedCommuneCode'),
						installedOn: field('installedOn'),
						businessSiret: field('businessSiret'),
						businessCreatedOn: field('businessCreatedOn'),
						businessClosedOn: field('businessClosedOn'),
						leftOn: field('leftOn'),
						leftReason: field('leftReason'),
						abandonedReason: field('abandonedReason')
					}
				},
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), submitted: '1' });
		}
		redirect(303, `/backoffice/cases/${params.caseId}?updated=1`);
	}
};
