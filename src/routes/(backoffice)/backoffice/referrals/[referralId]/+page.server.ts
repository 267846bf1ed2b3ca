import { getApp } from '#server/app.ts';
import { REFERRAL_OUTCOMES } from '#server/db/schema/index.ts';
import {
	acceptReferral,
	declineReferral,
	getReferral,
	recordReferralOutcome
} from '#server/domain/referral/referral.service.ts';
import { recordOutcomeSchema } from '#server/domain/referral/referral.schemas.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, failInvalid, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { parseForm } from '#server/http/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	try {
		const details = await getReferral({ actor, referralId: params.referralId }, { db: getApp().database.db });
		return { ...details, outcomes: REFERRAL_OUTCOMES };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	accept: async ({ locals, params, url }) => {
		const actor = requireActor({ locals, url });
		const app = getApp();
		try {
			await acceptReferral(
				{ actor, referralId: params.referralId },
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, { intent: 'accept' });
		}
		void app.mailer.kick();
		return { intent: 'accept' as const, done: 'accepted' as const };
	},
	decline: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		try {
			await declineReferral(
				{ actor, referralId: params.referralId, input: { reason: formText(data, 'reason') } },
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), intent: 'decline' });
		}
		void app.mailer.kick();
		return { intent: 'decline' as const, done: 'declined' as const };
	},
	outcome: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values: Record<string, string> = { ...formValues(data), intent: 'outcome' };
		const form = parseForm(data, recordOutcomeSchema);
		if (!form.ok) return failInvalid(values, form.issues);
		const app = getApp();
		try {
			await recordReferralOutcome(
				{ actor, referralId: params.referralId, input: form.data },
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, values);
		}
		void app.mailer.kick();
		return { intent: 'outcome' as const, done: 'outcome' as const };
	}
};
