import { getApp } from '#server/app.ts';
import { listPeople, resendInvitation, revokeInvitation } from '#server/domain/people/people.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const filters = {
		q: url.searchParams.get('q') ?? '',
		role: url.searchParams.get('role') ?? '',
		status: url.searchParams.get('status') ?? ''
	};
	try {
		const result = await listPeople(
			{ actor, input: filters as Parameters<typeof listPeople>[0]['input'] },
			{ db: getApp().database.db }
		);
		return { ...result, filters, actorId: actor.userId, invited: url.searchParams.get('invited') };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	resend: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		try {
			const { invitation } = await resendInvitation(
				{ actor, invitationId: formText(data, 'invitationId') },
				{ db: app.database.db, config: app.config }
			);
			void app.mailer.kick();
			return { resent: invitation.email };
		} catch (err) {
			return failForm(err, formValues(data));
		}
	},
	revoke: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			const { invitation } = await revokeInvitation(
				{ actor, invitationId: formText(data, 'invitationId') },
				{ db: getApp().database.db }
			);
			return { revoked: invitation.email };
		} catch (err) {
			return failForm(err, formValues(data));
		}
	}
};
