import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import {
	createProgrammeWithAdmin,
	listProgrammeUsage,
	resumeProgramme,
	suspendProgramme,
	type InstanceAdmin
} from '#server/domain/programme/programme-instance.service.ts';
import { signInPathFor } from '#server/http/actor.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/** Only an instance admin (users.is_instance_admin): a visitor signs in, anyone else gets a 403. */
function requireInstanceAdmin(event: Pick<RequestEvent, 'locals' | 'url'>): InstanceAdmin {
	if (!event.locals.sessionToken) redirect(303, signInPathFor(event.url));
	if (!event.locals.instanceAdmin) {
		error(403, { code: 'programme.instance_forbidden', message: 'For the instance administrator only.' });
	}
	return event.locals.instanceAdmin;
}

export const load: PageServerLoad = async (event) => {
	const by = requireInstanceAdmin(event);
	const { programmes } = await listProgrammeUsage({ by }, { db: getApp().database.db });
	return { programmes, notice: event.url.searchParams.get('done') };
};

export const actions: Actions = {
	create: async (event) => {
		const by = requireInstanceAdmin(event);
		const data = await event.request.formData();
		try {
			await createProgrammeWithAdmin(
				{
					by,
					input: {
						programme: {
							slug: formText(data, 'slug'),
							name: formText(data, 'name'),
							departements: formText(data, 'departements')
								.split(/[\s,;]+/)
								.filter(Boolean)
						},
						admin: { email: formText(data, 'adminEmail'), name: formText(data, 'adminName') }
					}
				},
				{ db: getApp().database.db, config: getApp().config }
			);
		} catch (err) {
			return failForm(err, formValues(data));
		}
		void getApp().mailer.kick();
		seeOther('/instance', { done: 'created' });
	},
	suspend: async (event) => {
		const by = requireInstanceAdmin(event);
		const data = await event.request.formData();
		try {
			await suspendProgramme(
				{ by, input: { programme: formText(data, 'programmeId'), reason: formText(data, 'reason') } },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, formValues(data));
		}
		seeOther('/instance', { done: 'suspended' });
	},
	resume: async (event) => {
		const by = requireInstanceAdmin(event);
		const data = await event.request.formData();
		try {
			await resumeProgramme(
				{ by, input: { programme: formText(data, 'programmeId') } },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, formValues(data));
		}
		seeOther('/instance', { done: 'resumed' });
	}
};
