import { getApp } from '#server/app.ts';
import { listEventsWithRegistrations } from '#server/domain/event-registration/event-registration.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	return await listEventsWithRegistrations({ actor }, { db: getApp().database.db }).catch(throwHttpError);
};
