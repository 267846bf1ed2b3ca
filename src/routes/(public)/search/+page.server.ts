import { getApp } from '#server/app.ts';
import { searchPortal, type PortalSearchResult } from '#server/domain/portal/portal.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { readSearch } from '../villages/filters.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const db = getApp().database.db;
	const q = readSearch(url.searchParams);
	const none: PortalSearchResult = { terms: [], villages: [], workspaces: [], offers: [] };
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme || q === '') return { q, result: none };
	const result = await searchPortal({ programmeId: programme.id, q, locale: locals.locale }, { db });
	return { q, result };
};
