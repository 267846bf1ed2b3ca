import { error, redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** Staff, committee members and partners work here; members and candidates have their own spaces. */
const BACKOFFICE_ROLES = ['admin', 'advisor', 'committee', 'partner'];

export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (!BACKOFFICE_ROLES.includes(locals.actor.role)) {
		error(403, {
			code: 'account.forbidden',
			message: 'The back office is for programme staff and partners.'
		});
	}
	return {};
};
