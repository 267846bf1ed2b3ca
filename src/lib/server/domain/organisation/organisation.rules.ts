import { isStaff, type Actor } from '../../auth/actor.ts';

/** Programme staff (admins and advisors) create, edit and retire the programme's organisations. */
export function canManageOrganisations(actor: Actor): boolean {
	return isStaff(actor);
}

/** Staff see every organisation of their programme; a partner sees only their own. */
export function canViewOrganisation(
	actor: Actor,
	organisation: { id: string; programmeId: string }
): boolean {
	if (organisation.programmeId !== actor.programmeId) return false;
	return isStaff(actor) || (actor.role === 'partner' && actor.organisationId === organisation.id);
}
