import { getApp } from '#server/app.ts';
import { getScopeChoices, invitePerson } from '#server/domain/people/people.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import { roleScopeInput } from '../people-form.server.ts';
import type { Actions, PageServerLoad } from './$types';

/** `?role=committee&village=<id>` or `?role=partner&organisation=<id>` preselect the role and scope. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		const choices = await getScopeChoices({ actor }, { db: getApp().database.db });
		const villageIds = url.searchParams.getAll('village');
		return {
			...choices,
			preset: {
				role: url.searchParams.get('role') ?? '',
				seats: Object.fromEntries(
					villageIds
						.filter((id) => choices.villages.some((v) => v.id === id))
						.map((id) => [id, url.searchParams.get('function') ?? 'volunteer'])
				) as Record<string, string>,
				organisationId: url.searchParams.get('organisation') ?? ''
			}
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		let email: string;
		try {
			const { invitation } = await invitePerson(
				{
					actor,
					input: {
						email: formText(data, 'email'),
						name: formText(data, 'name'),
						locale: (formText(data, 'locale') || 'fr') as 'fr',
						...roleScopeInput(data)
					}
				},
				{ db: app.database.db, config: app.config }
			);
			email = invitation.email;
			void app.mailer.kick();
		} catch (err) {
			const values = formValues(data);
			return failForm(err, {
				...values,
				seats: JSON.stringify(
					Object.fromEntries(roleScopeInput(data).villages.map((v) => [v.villageId, v.committeeRole]))
				)
			});
		}
		seeOther('/backoffice/people', { invited: email });
	}
};
