import { getApp } from '#server/app.ts';
import { STAY_NEXT_STEPS } from '#server/db/schema/index.ts';
import { listOwnStays, recordOutcome } from '#server/domain/discovery-stay/discovery-stay.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/** The candidate's stays: the programme of meetings, the hosts' confirmations, the calendar file, the outcome. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		const { stays } = await listOwnStays({ actor }, { db: getApp().database.db });
		return { stays, nextSteps: STAY_NEXT_STEPS };
	} catch (err) {
		throwHttpError(err);
	}
};

const yesNo = (value: string): boolean | undefined =>
	value === 'yes' ? true : value === 'no' ? false : undefined;

export const actions: Actions = {
	outcome: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const stayId = formText(data, 'stayId');
		try {
			await recordOutcome(
				{
					actor,
					stayId,
					input: {
						wentWell: yesNo(formText(data, 'wentWell')) as boolean,
						stillInterested: yesNo(formText(data, 'stillInterested')) as boolean,
						villagesConsidered: formText(data, 'villagesConsidered')
							.split(',')
							.map((v) => v.trim())
							.filter(Boolean),
						nextStep: formText(data, 'nextStep') as 'stop',
						comment: formText(data, 'comment')
					}
				},
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, formValues(data));
		}
		return { done: true, stayId };
	}
};
