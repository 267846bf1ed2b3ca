import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import { ORGANISATION_KINDS } from '#server/db/schema/index.ts';
import { organisationForbidden } from '#server/domain/organisation/organisation.errors.ts';
import { createOrganisation } from '#server/domain/organisation/organisation.service.ts';
import { formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';
import { failFormOf, requireActor } from '../../villages/listing-forms.server.ts';
import { organisationInput } from '../organisation-form.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	if (!isStaff(actor)) throwHttpError(organisationForbidden({ userId: actor.userId }));
	return { kinds: ORGANISATION_KINDS };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		let organisationId: string;
		try {
			const { organisation } = await createOrganisation(
				{ actor, input: { programmeId: actor.programmeId, ...organisationInput(data) } },
				{ db: getApp().database.db }
			);
			organisationId = organisation.id;
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		redirect(303, `/backoffice/organisations/${organisationId}?done=created`);
	}
};
