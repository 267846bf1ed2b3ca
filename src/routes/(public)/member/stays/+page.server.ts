import { getApp } from '#server/app.ts';
import {
	listHostInvitations,
	respondToInvitation
} from '#server/domain/discovery-stay/discovery-stay.service.ts';
import { requireRole } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

const MEMBERS_ONLY = { code: 'member.forbidden', message: 'The member space is for members.' };

/** A member's invitations to welcome households on a discovery stay, to confirm or decline. */
export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, ['member'], MEMBERS_ONLY);
	const { invitations } = await listHostInvitations({ actor }, { db: getApp().database.db }).catch(
		throwHttpError
	);
	return { invitations };
};

export const actions: Actions = {
	respond: async (event) => {
		const actor = requireRole(event, ['member'], MEMBERS_ONLY);
		const data = await event.request.formData();
		try {
			await respondToInvitation(
				{
					actor,
					meetingId: formText(data, 'meetingId'),
					response: formText(data, 'response') as 'confirmed'
				},
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, formValues(data));
		}
		return { done: true };
	}
};
