import type { Role } from '#server/db/schema/index.ts';
import { requireRole } from '#server/http/actor.ts';
import type { LayoutServerLoad } from './$types';

/** Staff, committee members and partners work here; members and candidates have their own spaces. */
const BACKOFFICE_ROLES: readonly Role[] = ['admin', 'advisor', 'committee', 'partner'];

export const load: LayoutServerLoad = (event) => {
	requireRole(event, BACKOFFICE_ROLES, {
		code: 'account.forbidden',
		message: 'The back office is for programme staff and partners.'
	});
	return {};
};
