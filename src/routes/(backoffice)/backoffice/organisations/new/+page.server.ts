import { getApp } from '#server/app.ts';
import { STAFF_ROLES } from '#server/auth/actor.ts';
import { ORGANISATION_KINDS } from '#server/db/schema/index.ts';
import { organisationForbidden } from '#server/domain/organisation/organisation.errors.ts';
import { createOrganisation } from '#server/domain/organisation/organisation.service.ts';
import { requireActor, requireRole } from '#server/http/actor.ts';
import { formValues } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';
import { failFormOf } from '../../villages/listing-forms.server.ts';
import { organisationInput } from '../organisation-form.server.ts';

export const load: PageServerLoad = async (event) => {
	requireRole(event, STAFF_ROLES, (actor) => organisationForbidden({ userId: actor.userId }));
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
		seeOther(`/backoffice/organisations/${organisationId}`, { done: 'created' });
	}
};
