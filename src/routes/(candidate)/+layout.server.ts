import { getApp } from '#server/app.ts';
import { getPublicSettings } from '#server/domain/programme-settings/programme-settings.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import type { LayoutServerLoad } from './$types';

/**
 * The candidate's space: plain HTML pages with forms (no JavaScript needed), in the public
 * site's frame and colours. Who may open each page is in the route-access table; every page's
 * service checks again that the file is the actor's own.
 */
export const csr = false;

export const load: LayoutServerLoad = async ({ locals }) => {
	const db = getApp().database.db;
	const { programme } = await findPublicProgramme({}, { db });
	if (!programme) return { brand: null };
	const { identity, sourceCodeUrl } = await getPublicSettings(
		{ programmeId: programme.id, locale: locals.locale },
		{ db }
	);
	return {
		brand: {
			primaryColor: identity.primaryColor,
			accentColor: identity.accentColor,
			logoSrc: identity.logoKey ? `/logo/${identity.logoKey}` : null,
			sourceCodeUrl
		}
	};
};
