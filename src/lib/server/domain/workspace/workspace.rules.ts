import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import { workspaceNotFound } from './workspace.errors.ts';

/**
 * Who may edit a workspace: programme staff any of their programme; a partner only
 * the workspaces their organisation operates.
 */
export function canEditWorkspace(
	actor: Actor,
	workspace: { programmeId: string; organisationId: string | null }
): boolean {
	if (workspace.programmeId !== actor.programmeId) return false;
	if (isStaff(actor)) return true;
	return (
		actor.role === 'partner' &&
		actor.organisationId !== null &&
		workspace.organisationId === actor.organisationId
	);
}

/** Throws `workspace.not_found` (not forbidden) so that existence does not leak. */
export function assertCanEditWorkspace(
	actor: Actor,
	workspace: { id: string; programmeId: string; organisationId: string | null }
): void {
	if (!canEditWorkspace(actor, workspace)) throw workspaceNotFound({ workspaceId: workspace.id });
}

/** Staff and partners with an organisation may list a workspace. */
export function canCreateWorkspace(actor: Actor): boolean {
	return isStaff(actor) || (actor.role === 'partner' && actor.organisationId !== null);
}
