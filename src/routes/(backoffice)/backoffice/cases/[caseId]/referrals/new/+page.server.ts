import { getApp } from '#server/app.ts';
import { REFERRAL_NEED_KINDS } from '#server/db/schema/index.ts';
import { getCase } from '#server/domain/case/case.service.ts';
import { createReferralSchema } from '#server/domain/referral/referral.schemas.ts';
import { createReferral, getReferralFormOptions } from '#server/domain/referral/referral.service.ts';
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
		const options = await getReferralFormOptions({ actor, caseId: params.caseId }, { db });
		return { caseId: params.caseId, reference: details.case.reference, options, needs: REFERRAL_NEED_KINDS };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	default: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values = formValues(data);
		const form = parseForm(data, createReferralSchema);
		if (!form.ok) return failInvalid(values, form.issues);
		const app = getApp();
		let referralId: string;
		try {
			const { referral } = await createReferral(
				{ actor, caseId: params.caseId, input: form.data },
				{ db: app.database.db, config: app.config }
			);
			referralId = referral.id;
		} catch (err) {
			return failForm(err, values);
		}
		void app.mailer.kick();
		seeOther(`/backoffice/referrals/${referralId}`, { created: '1' });
	}
};
