import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	locale: locals.locale,
	actor: locals.actor
		? { name: locals.actor.name, role: locals.actor.role, isDemo: locals.actor.isDemo }
		: null
});
