import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import { listCases } from '#server/domain/case/case.service.ts';
import {
	getStayOptions,
	listHostInvitations,
	listStays,
	planStay,
	respondToInvitation
} from '#server/domain/discovery-stay/discovery-stay.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * Staff: the programme's stays and sessions, and the form that plans one (`?caseId=` preselects a
 * household, as the case page links). Committee members and partners: the meetings they host.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const { invitations } = await listHostInvitations({ actor }, { db });
		if (!isStaff(actor)) return { isStaff: false as const, invitations, stays: [], cases: [], offers: [] };
		const { stays } = await listStays({ actor }, { db });
		const { cases } = await listCases({ actor, limit: 500 }, { db });
		const { offers } = await getStayOptions({ actor }, { db });
		return {
			isStaff: true as const,
			invitations,
			stays: stays.map(({ stay, state, households, meetings }) => ({
				id: stay.id,
				kind: stay.kind,
				title: stay.title,
				startsOn: stay.startsOn,
				endsOn: stay.endsOn,
				state,
				households: households.map((h) => ({
					caseId: h.caseId,
					firstName: h.firstName,
					lastName: h.lastName,
					size: h.size
				})),
				meetingCount: meetings.length,
				confirmedCount: meetings.filter((m) => m.response === 'confirmed').length
			})),
			cases: cases.map((c) => ({
				id: c.id,
				label: [c.reference, [c.firstName, c.lastName].filter(Boolean).join(' ')].filter(Boolean).join(' — ')
			})),
			offers,
			preselectedCaseId: url.searchParams.get('caseId')
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	create: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values = { ...formValues(data), caseIds: data.getAll('caseIds').join(','), intent: 'create' };
		let stayId: string;
		try {
			const { stay } = await planStay(
				{
					actor,
					input: {
						kind: formText(data, 'kind') as 'stay',
						title: formText(data, 'title'),
						startsOn: formText(data, 'startsOn'),
						endsOn: formText(data, 'endsOn'),
						lodging: formText(data, 'lodging'),
						lodgingOfferId: formText(data, 'lodgingOfferId'),
						caseIds: data.getAll('caseIds').filter((v): v is string => typeof v === 'string' && v !== '')
					}
				},
				{ db: getApp().database.db, config: getApp().config }
			);
			stayId = stay.id;
		} catch (err) {
			return failForm(err, values);
		}
		redirect(303, `/backoffice/stays/${stayId}?created=1`);
	},
	respond: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		try {
			await respondToInvitation(
				{
					actor,
					meetingId: formText(data, 'meetingId'),
					response: formText(data, 'response') as 'confirmed'
				},
				{ db: app.database.db }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), intent: 'respond' });
		}
		return { intent: 'respond' as const, done: true };
	}
};
