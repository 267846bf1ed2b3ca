import { getApp } from '#server/app.ts';
import { ORGANISATION_KINDS } from '#server/db/schema/index.ts';
import {
	getOrganisation,
	setOrganisationRetired,
	updateOrganisation
} from '#server/domain/organisation/organisation.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';
import { failFormOf } from '../../villages/listing-forms.server.ts';
import { organisationInput, organisationValues } from '../organisation-form.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	try {
		const { organisation, people, canManage } = await getOrganisation(
			{ actor, organisationId: event.params.organisationId },
			{ db: getApp().database.db }
		);
		return {
			organisation,
			people,
			canManage,
			values: organisationValues(organisation),
			kinds: ORGANISATION_KINDS,
			done: event.url.searchParams.get('done')
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		try {
			await updateOrganisation(
				{ actor, organisationId: event.params.organisationId, input: organisationInput(data) },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		return { form: 'edit', success: 'saved' };
	},
	retire: async (event) => {
		const actor = requireActor(event);
		try {
			await setOrganisationRetired(
				{ actor, organisationId: event.params.organisationId, isRetired: true },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failFormOf('retire', err, {});
		}
		return { form: 'retire', success: 'retired' };
	},
	restore: async (event) => {
		const actor = requireActor(event);
		try {
			await setOrganisationRetired(
				{ actor, organisationId: event.params.organisationId, isRetired: false },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failFormOf('retire', err, {});
		}
		return { form: 'retire', success: 'restored' };
	}
};
