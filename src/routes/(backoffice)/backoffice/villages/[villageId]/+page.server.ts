import { fail } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import { CONNECTION_LEVELS, VILLAGE_STATUSES } from '#server/db/schema/index.ts';
import { renderMarkdown } from '#server/content/markdown.ts';
import {
	findCommuneConnectivity,
	overrideConnectivity
} from '#server/domain/connectivity/connectivity.service.ts';
import { overrideConnectivitySchema } from '#server/domain/connectivity/connectivity.schemas.ts';
import { listPhotos } from '#server/domain/media/media.service.ts';
import { findListingPlace } from '#server/domain/territory/territory-places.service.ts';
import { getCommune } from '#server/domain/territory/territory.service.ts';
import {
	getVillage,
	listCommitteeMembers,
	retireVillage,
	updateVillage
} from '#server/domain/village/village.service.ts';
import type { UpdateVillageInput } from '#server/domain/village/village.schemas.ts';
import { requireActor } from '#server/http/actor.ts';
import { formValues, STATUS, throwHttpError } from '#server/http/errors.ts';
import { parseForm } from '#server/http/forms.ts';
import type { Actions, PageServerLoad } from './$types';
import {
	failFormOf,
	isChecked,
	knownOf,
	linesOf,
	nullableTextOf,
	numberOf,
	photoActions,
	textOf
} from '../listing-forms.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = getApp().database.db;
	try {
		const { village } = await getVillage({ actor, villageId: event.params.villageId }, { db });
		const { commune } = await getCommune({ code: village.communeCode }, { db });
		const { photos } = await listPhotos(
			{ programmeId: village.programmeId, ownerKind: 'village', ownerId: village.id },
			{ db }
		);
		const { place } = await findListingPlace({ actor, communeCode: village.communeCode }, { db });
		const canManage = isStaff(actor);
		const { members } = await listCommitteeMembers({ actor, villageId: village.id }, { db });
		return {
			village,
			members,
			isCreated: event.url.searchParams.has('created'),
			name: commune.name,
			photos,
			place,
			previews: {
				presentationFr: renderMarkdown(village.presentationFr),
				presentationEn: renderMarkdown(village.presentationEn)
			},
			canManage,
			statuses: VILLAGE_STATUSES,
			levels: CONNECTION_LEVELS,
			connectivity: canManage
				? (await findCommuneConnectivity({ communeCode: village.communeCode }, { db })).connectivity
				: null
		};
	} catch (err) {
		throwHttpError(err);
	}
};

/** The edit form's fields → updateVillage's input; field names are the schema's dot paths. */
function villageInput(data: FormData, canManage: boolean): UpdateVillageInput {
	const contact = {
		name: textOf(data, 'committeeContact.name'),
		email: nullableTextOf(data, 'committeeContact.email'),
		phone: nullableTextOf(data, 'committeeContact.phone')
	};
	return {
		presentationFr: nullableTextOf(data, 'presentationFr'),
		presentationEn: nullableTextOf(data, 'presentationEn'),
		services: {
			schools: {
				primary: isChecked(data, 'services.schools.primary'),
				middle: isChecked(data, 'services.schools.middle'),
				high: isChecked(data, 'services.schools.high')
			},
			health: {
				doctor: isChecked(data, 'services.health.doctor'),
				pharmacy: isChecked(data, 'services.health.pharmacy'),
				nursing: isChecked(data, 'services.health.nursing')
			},
			childcare: {
				creche: knownOf(data, 'services.childcare.creche'),
				childminders: knownOf(data, 'services.childcare.childminders')
			},
			shops: linesOf(data, 'services.shops'),
			station: isChecked(data, 'services.station'),
			bus: isChecked(data, 'services.bus'),
			stationDistanceKm: numberOf(data, 'services.stationDistanceKm')
		},
		// A contact is a name with an optional email and phone; all empty removes it.
		committeeContact: contact.name || contact.email || contact.phone ? contact : null,
		...(canManage
			? {
					status: textOf(data, 'status') as UpdateVillageInput['status'],
					joinedOn: nullableTextOf(data, 'joinedOn')
				}
			: {})
	};
}

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		try {
			await updateVillage(
				{ actor, villageId: event.params.villageId, input: villageInput(data, isStaff(actor)) },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		return { form: 'edit', success: 'saved' };
	},
	overrideConnectivity: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		const db = getApp().database.db;
		try {
			const { village } = await getVillage({ actor, villageId: event.params.villageId }, { db });
			const form = parseForm(data, overrideConnectivitySchema, {
				communeCode: village.communeCode,
				level: textOf(data, 'level') || null,
				note: nullableTextOf(data, 'note')
			});
			if (!form.ok) return fail(STATUS.invalid, { form: 'connectivity', values, issues: form.issues });
			await overrideConnectivity({ actor, ...form.data }, { db });
		} catch (err) {
			return failFormOf('connectivity', err, values);
		}
		return { form: 'connectivity', success: 'connectivity_saved' };
	},
	retire: async (event) => {
		const actor = requireActor(event);
		try {
			await retireVillage({ actor, villageId: event.params.villageId }, { db: getApp().database.db });
		} catch (err) {
			return failFormOf('retire', err, {});
		}
		return { form: 'retire', success: 'retired' };
	},
	...photoActions('village', 'villageId')
};
