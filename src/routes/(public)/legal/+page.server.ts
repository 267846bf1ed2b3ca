import { getApp } from '#server/app.ts';
import { getPublicSettings } from '#server/domain/programme-settings/programme-settings.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import type { PageServerLoad } from './$types';

/** The legal notice the programme's admins filled in (programme settings); empty fields stay empty. */
export const load: PageServerLoad = async ({ locals }) => {
	const db = getApp().database.db;
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	const settings = programme
		? await getPublicSettings({ programmeId: programme.id, locale: locals.locale }, { db })
		: null;
	return {
		legal: settings?.legal ?? null,
		/** Admins get a link to the settings where a field is still empty. */
		canEdit: locals.actor?.role === 'admin' && locals.actor.programmeId === programme?.id
	};
};
