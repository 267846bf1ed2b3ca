import { getApp } from '#server/app.ts';
import { getPublicSettings } from '#server/domain/programme-settings/programme-settings.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import type { PageServerLoad } from './$types';

/** The programme's own questions (programme settings), answers rendered and sanitised; none: the built-in FAQ. */
export const load: PageServerLoad = async ({ locals }) => {
	const db = getApp().database.db;
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) return { ownFaq: [] };
	const { faq } = await getPublicSettings({ programmeId: programme.id, locale: locals.locale }, { db });
	return { ownFaq: faq };
};
