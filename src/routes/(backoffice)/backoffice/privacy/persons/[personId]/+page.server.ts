import { getApp } from '#server/app.ts';
import { erasePerson, getPersonPrivacy } from '#server/domain/privacy/privacy.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, failInvalid, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/** A person's GDPR page (staff see the consents; admins export and erase). */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	const privacy = await getPersonPrivacy({ actor, personId: params.personId }, { db }).catch(throwHttpError);
	const { person } = privacy;
	return {
		person: {
			id: person.id,
			caseId: person.caseId,
			name: [person.firstName, person.lastName].filter(Boolean).join(' '),
			householdRole: person.householdRole
		},
		erasedAt: privacy.erasedAt,
		canManage: privacy.canManage,
		consents: privacy.consents.map((consent) => ({
			id: consent.id,
			purpose: consent.purpose,
			textVersion: consent.textVersion,
			givenAt: consent.givenAt,
			withdrawnAt: consent.withdrawnAt,
			source: consent.source
		})),
		erased: url.searchParams.has('erased')
	};
};

export const actions: Actions = {
	erase: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values = formValues(data);
		if (formText(data, 'confirm') !== 'on') {
			return failInvalid(values, { confirm: 'privacy.confirm_required' });
		}
		try {
			await erasePerson(
				{ actor, personId: params.personId, input: { reason: formText(data, 'reason') } },
				{ db: getApp().database.db, storage: getApp().storage }
			);
		} catch (err) {
			return failForm(err, values);
		}
		seeOther(`/backoffice/privacy/persons/${params.personId}`, { erased: '1' });
	}
};
