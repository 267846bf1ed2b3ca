import { getApp } from '#server/app.ts';
import {
	confirmDeparture,
	dismissDeparture,
	getFollowUpOverview,
	listHouseholdsToCall,
	sendFollowUpWavesNow
} from '#server/domain/follow-up/follow-up.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const overview = await getFollowUpOverview({ actor }, { db });
		const toCall = await listHouseholdsToCall({ actor }, { db });
		return { ...overview, toCall, isAdmin: actor.role === 'admin' };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	confirm: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values = formValues(data);
		try {
			const { departure } = await confirmDeparture(
				{
					actor,
					departureId: formText(data, 'departureId'),
					leftOn: formText(data, 'leftOn'),
					reason: formText(data, 'reason')
				},
				{ db: getApp().database.db }
			);
			return { confirmed: departure.caseId, reference: formText(data, 'reference') };
		} catch (err) {
			return failForm(err, values);
		}
	},
	dismiss: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			const { departure } = await dismissDeparture(
				{ actor, departureId: formText(data, 'departureId') },
				{ db: getApp().database.db }
			);
			return { dismissed: departure.caseId, reference: formText(data, 'reference') };
		} catch (err) {
			return failForm(err, formValues(data));
		}
	},
	send: async ({ locals, url }) => {
		const actor = requireActor({ locals, url });
		const app = getApp();
		try {
			const result = await sendFollowUpWavesNow({ actor }, { db: app.database.db, config: app.config });
			void app.mailer.kick();
			return { sent: result };
		} catch (err) {
			return failForm(err, {});
		}
	}
};
