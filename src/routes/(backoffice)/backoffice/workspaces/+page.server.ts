import { getApp } from '#server/app.ts';
import { isStaff } from '#server/auth/actor.ts';
import { listEditableWorkspaces } from '#server/domain/media/listing.service.ts';
import { requireActor } from '#server/http/actor.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { workspaces } = await listEditableWorkspaces({ actor }, { db: getApp().database.db });
	return {
		workspaces,
		canCreate: isStaff(actor) || (actor.role === 'partner' && actor.organisationId !== null)
	};
};
