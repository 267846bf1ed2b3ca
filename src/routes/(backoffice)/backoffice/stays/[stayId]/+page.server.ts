import { getApp } from '#server/app.ts';
import { STAY_HOST_KINDS, STAY_NEXT_STEPS } from '#server/db/schema/index.ts';
import {
	addMeeting,
	cancelStay,
	getStay,
	getStayOptions,
	recordOutcome,
	removeMeeting,
	updateStay
} from '#server/domain/discovery-stay/discovery-stay.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { fromLocalInput } from '$lib/domain/datetime.ts';
import type { Actions, PageServerLoad } from './$types';

/** One stay (staff): its details, programme of meetings and hosts' answers, cancellation and outcomes. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const summary = await getStay({ actor, stayId: params.stayId }, { db });
		const options = await getStayOptions({ actor }, { db });
		return {
			stay: summary.stay,
			state: summary.state,
			households: summary.households,
			meetings: summary.meetings.map((m) => ({
				id: m.id,
				startsAt: m.startsAt,
				endsAt: m.endsAt,
				place: m.place,
				topic: m.topic,
				hostKind: m.hostKind,
				hostName: m.hostName,
				villageName: m.villageName,
				workspaceName: m.workspaceName,
				response: m.response
			})),
			outcomes: summary.outcomes,
			hosts: options.hosts.map((h) => ({
				userId: h.userId,
				name: h.name,
				role: h.role,
				villages: h.villages
			})),
			workspaces: options.workspaces,
			offers: options.offers,
			hostKinds: STAY_HOST_KINDS,
			nextSteps: STAY_NEXT_STEPS,
			defaultStart: `${summary.stay.startsOn}T10:00`
		};
	} catch (err) {
		throwHttpError(err);
	}
};

const yesNo = (value: string): boolean | undefined =>
	value === 'yes' ? true : value === 'no' ? false : undefined;

export const actions: Actions = {
	update: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		try {
			await updateStay(
				{
					actor,
					stayId: params.stayId,
					input: {
						title: formText(data, 'title'),
						startsOn: formText(data, 'startsOn'),
						endsOn: formText(data, 'endsOn'),
						lodging: formText(data, 'lodging'),
						lodgingOfferId: formText(data, 'lodgingOfferId')
					}
				},
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), intent: 'update' });
		}
		void app.mailer.kick();
		return { intent: 'update' as const, done: true };
	},
	addMeeting: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		try {
			await addMeeting(
				{
					actor,
					stayId: params.stayId,
					input: {
						startsAt: fromLocalInput(formText(data, 'startsAt')),
						endsAt: fromLocalInput(formText(data, 'endsAt')),
						place: formText(data, 'place'),
						topic: formText(data, 'topic'),
						hostKind: formText(data, 'hostKind') as 'committee',
						hostUserId: formText(data, 'hostUserId'),
						villageId: formText(data, 'villageId'),
						workspaceId: formText(data, 'workspaceId')
					}
				},
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), intent: 'addMeeting' });
		}
		void app.mailer.kick();
		return { intent: 'addMeeting' as const, done: true };
	},
	removeMeeting: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		try {
			await removeMeeting(
				{ actor, stayId: params.stayId, meetingId: formText(data, 'meetingId') },
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, { intent: 'removeMeeting' });
		}
		void app.mailer.kick();
		return { intent: 'removeMeeting' as const, done: true };
	},
	cancel: async ({ locals, params, url }) => {
		const actor = requireActor({ locals, url });
		const app = getApp();
		try {
			await cancelStay({ actor, stayId: params.stayId }, { db: app.database.db, config: app.config });
		} catch (err) {
			return failForm(err, { intent: 'cancel' });
		}
		void app.mailer.kick();
		return { intent: 'cancel' as const, done: true };
	},
	outcome: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			await recordOutcome(
				{
					actor,
					stayId: params.stayId,
					caseId: formText(data, 'caseId'),
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
			return failForm(err, { ...formValues(data), intent: `outcome:${formText(data, 'caseId')}` });
		}
		return { intent: 'outcome' as const, done: true };
	}
};
