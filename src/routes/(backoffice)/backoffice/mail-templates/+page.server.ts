import { getApp } from '#server/app.ts';
import { listMailTemplates } from '#server/domain/mail-template/mail-template.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		return await listMailTemplates({ actor }, { db: getApp().database.db });
	} catch (err) {
		throwHttpError(err);
	}
};
