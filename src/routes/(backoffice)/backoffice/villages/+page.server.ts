import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import { listEditableVillages } from '#server/domain/media/listing.service.ts';
import { requireActor } from '#server/http/actor.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { villages } = await listEditableVillages({ actor }, { db: getApp().database.db });
	return { villages, canCreate: isStaff(actor) };
};
