import { error } from '@sveltejs/kit';
import { getApp } from '../app.ts';
import { getPublicSettings } from '../domain/programme-settings/programme-settings.service.ts';
import { findPublicProgramme } from '../domain/programme/programme.service.ts';

/**
 * The programme's look (colours, logo) and its source-code link, for the portal's frame: every
 * public page and the candidate's space (their layouts), of the programme the request's host
 * shows. `null` before a programme exists.
 */
export async function loadPortalBrand({ locale, programmeOfHost }: App.Locals) {
	const db = getApp().database.db;
	const { programme } = await findPublicProgramme({ programmeId: programmeOfHost }, { db });
	if (!programme) return { brand: null };
	// Suspended by the instance admin: nothing is deleted, but nothing is shown either.
	if (programme.status === 'suspended') {
		error(503, { code: 'programme.suspended', message: 'This programme is suspended.' });
	}
	const { identity, sourceCodeUrl } = await getPublicSettings({ programmeId: programme.id, locale }, { db });
	return {
		brand: {
			primaryColor: identity.primaryColor,
			accentColor: identity.accentColor,
			logoSrc: identity.logoKey ? `/logo/${identity.logoKey}` : null,
			sourceCodeUrl,
			/** The programme takes part in the national portal: the footer links to /france. */
			isInNationalPortal: programme.isInNationalPortal
		}
	};
}
