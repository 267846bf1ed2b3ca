import { getApp } from '#server/app.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { programmeOrigin } from '#server/http/programme-hosts.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	const { programme } = await findPublicProgramme(
		{ programmeId: locals.programmeOfHost },
		{ db: getApp().database.db }
	);
	return {
		locale: locals.locale,
		programme: programme
			? {
					name: programme.name,
					slug: programme.slug,
					isDemo: programme.isDemo,
					// Canonical and OpenGraph URLs: the programme's primary host, else the request's origin.
					origin: await programmeOrigin(programme.id, { fallback: url.origin })
				}
			: null,
		actor: locals.actor
			? { name: locals.actor.name, role: locals.actor.role, isDemo: locals.actor.isDemo }
			: null
	};
};
