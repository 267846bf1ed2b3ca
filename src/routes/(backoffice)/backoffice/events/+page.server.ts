import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { listEventsWithRegistrations } from '#server/domain/event-registration/event-registration.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	return await listEventsWithRegistrations({ actor }, { db: getApp().database.db }).catch(throwHttpError);
};
