import { defineError } from '../../errors.ts';

/**
 * No such workspace for this actor: it does not exist, belongs to another programme,
 * or to another organisation than the partner's. Never "forbidden", so existence does not leak.
 */
export const workspaceNotFound = defineError('workspace.not_found', 'not_found');
/** Only staff and partners of an organisation create workspaces. */
export const workspaceForbidden = defineError('workspace.forbidden', 'forbidden');
/** Another workspace of the programme uses this slug; `details.slug`. */
export const workspaceSlugTaken = defineError('workspace.slug_taken', 'conflict');
/** The commune is not imported or not in the programme's départements; `details.code`. */
export const workspaceCommuneNotFound = defineError('workspace.commune_not_found', 'invalid');
/** The operator is not an organisation of this programme (or not the partner's own); `details.organisationId`. */
export const workspaceInvalidOrganisation = defineError('workspace.invalid_organisation', 'invalid');
