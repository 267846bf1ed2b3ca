import { defineError } from '../../errors.ts';

/** The history of changes is for admins: an advisor sees the case but not who changed what. */
export const auditForbidden = defineError('audit.forbidden', 'forbidden');
