import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import { listOrganisations } from '#server/domain/organisation/organisation.service.ts';
import { requireActor } from '#server/http/actor.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { organisations } = await listOrganisations({ actor }, { db: getApp().database.db });
	return { organisations, canManage: isStaff(actor) };
};
