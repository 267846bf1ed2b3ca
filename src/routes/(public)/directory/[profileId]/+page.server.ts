import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { renderMarkdown } from '#server/content/markdown.ts';
import { getDirectoryProfile } from '#server/domain/member/member.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

/** One member's page: only if listed (the member themselves sees a preview of an unlisted page). */
export const load: PageServerLoad = async ({ params, locals }) => {
	const db = getApp().database.db;
	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	if (!programme) error(404, { code: 'member.not_found', message: 'Member not found' });
	const { profile, isOwner, isListed } = await getDirectoryProfile(
		{ actor: locals.actor, programmeId: programme.id, profileId: params.profileId },
		{ db }
	).catch(throwHttpError);
	return {
		profile: { ...profile, servicesHtml: profile.services ? renderMarkdown(profile.services) : null },
		isOwner,
		isListed
	};
};
