import { getApp } from '#server/app.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const { programme } = await findPublicProgramme({}, { db: getApp().database.db });
	return {
		locale: locals.locale,
		programme: programme ? { name: programme.name, slug: programme.slug, isDemo: programme.isDemo } : null,
		actor: locals.actor
			? { name: locals.actor.name, role: locals.actor.role, isDemo: locals.actor.isDemo }
			: null
	};
};
