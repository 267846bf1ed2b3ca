import { getApp } from '#server/app.ts';
import { createVillage, listVillageCommuneChoices } from '#server/domain/village/village.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { formValues, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';
import { failFormOf, nullableTextOf, textOf } from '../listing-forms.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	try {
		return await listVillageCommuneChoices({ actor }, { db: getApp().database.db });
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		const slug = textOf(data, 'slug');
		let villageId: string;
		try {
			const { village } = await createVillage(
				{
					actor,
					input: {
						programmeId: actor.programmeId,
						communeCode: textOf(data, 'communeCode'),
						...(slug ? { slug } : {}),
						joinedOn: nullableTextOf(data, 'joinedOn')
					}
				},
				{ db: getApp().database.db }
			);
			villageId = village.id;
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		seeOther(`/backoffice/villages/${villageId}`, { created: '1' });
	}
};
