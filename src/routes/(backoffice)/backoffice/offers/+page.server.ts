import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import { listEditableOffers } from '#server/domain/media/listing.service.ts';
import { requireActor } from '#server/http/actor.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { offers } = await listEditableOffers({ actor }, { db: getApp().database.db });
	return {
		offers,
		canCreate:
			isStaff(actor) ||
			actor.role === 'committee' ||
			(actor.role === 'partner' && actor.organisationId !== null)
	};
};
