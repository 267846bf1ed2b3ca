import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { REFERRAL_NEED_KINDS } from '#server/db/schema/index.ts';
import { getCase } from '#server/domain/case/case.service.ts';
import { createReferral, getReferralFormOptions } from '#server/domain/referral/referral.service.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	const db = getApp().database.db;
	try {
		const details = await getCase({ actor, caseId: params.caseId }, { db });
		const options = await getReferralFormOptions({ actor, caseId: params.caseId }, { db });
		return { caseId: params.caseId, reference: details.case.reference, options, needs: REFERRAL_NEED_KINDS };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	default: async ({ locals, params, request, url }) => {
		const actor = locals.actor;
		if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
		const data = await request.formData();
		const app = getApp();
		let referralId: string;
		try {
			const { referral } = await createReferral(
				{
					actor,
					caseId: params.caseId,
					input: {
						organisationId: formText(data, 'organisationId'),
						personId: formText(data, 'personId'),
						needKind: formText(data, 'needKind') as never,
						message: formText(data, 'message'),
						expectedAnswerOn: formText(data, 'expectedAnswerOn')
					}
				},
				{ db: app.database.db, config: app.config }
			);
			referralId = referral.id;
		} catch (err) {
			return failForm(err, formValues(data));
		}
		void app.mailer.kick();
		redirect(303, `/backoffice/referrals/${referralId}?created=1`);
	}
};
