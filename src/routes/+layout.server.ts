import { getApp } from '#server/app.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { programmeAddress } from '#server/http/programme-hosts.ts';
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
					// Canonical and OpenGraph URLs: the programme's address (its primary host, else the
					// request's origin, followed by its `/p/<slug>` prefix unless it is the default programme).
					address: await programmeAddress(programme.id, { fallback: url.origin })
				}
			: null,
		actor: locals.actor
			? { name: locals.actor.name, role: locals.actor.role, isDemo: locals.actor.isDemo }
			: null
	};
};
