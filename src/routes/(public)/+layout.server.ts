import { getApp } from '#server/app.ts';
import { getPublicSettings } from '#server/domain/programme-settings/programme-settings.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import type { LayoutServerLoad } from './$types';

/**
 * Public pages are plain HTML: no JavaScript unless a page needs it (its map, the application
 * form's extra rows), which sets `csr = true` itself. Every page works without JavaScript, and
 * each stays within the JavaScript budget (tests/e2e/page-weight.e2e.ts, ARCHITECTURE.md).
 */
export const csr = false;

/** The programme's look (colours, logo) and its source-code link, on every public page. */
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
