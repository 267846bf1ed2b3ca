import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { AuditAction, AuditEntry } from '../../db/schema/index.ts';
import { caseNotFound } from '../case/case.errors.ts';
import { findCaseById } from '../case/case.repository.ts';
import { caseIdSchema } from '../case/case.schemas.ts';
import { auditForbidden } from './audit.errors.ts';
import { findCaseAuditEntries, insertAuditEntries } from './audit.repository.ts';
import { AUDIT_IGNORED_FIELDS, diffFields, hasChanges, personLabelsOf } from './audit.rules.ts';

export type CaseAudit = {
	case: { id: string; reference: string };
	/** Newest first; a merged case's entries come along with it. */
	entries: AuditEntry[];
	/** Names of the persons the entries are about, deleted ones included. */
	persons: ReturnType<typeof personLabelsOf>;
};

/**
 * The history of changes of a case and its persons: who, when, what before and after.
 * Admins only: advisors are refused (they see the case, so `forbidden`); everyone else,
 * other programmes and unknown cases get `case.not_found`.
 */
export async function listCaseAudit(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: { db: Db }
): Promise<CaseAudit> {
	if (actor.role !== 'admin' && actor.role !== 'advisor') throw caseNotFound({ caseId });
	if (!v.is(caseIdSchema, caseId)) throw caseNotFound({ caseId });
	const kase = await findCaseById({ db, programmeId: actor.programmeId, caseId });
	if (!kase) throw caseNotFound({ caseId });
	if (actor.role !== 'admin') throw auditForbidden({ userId: actor.userId, caseId });
	const entries = await findCaseAuditEntries({ db, programmeId: actor.programmeId, caseId: kase.id });
	return { case: { id: kase.id, reference: kase.reference }, entries, persons: personLabelsOf(entries) };
}

/**
 * Writes one audit entry for a staff change to an event, a village or an organisation, in the
 * caller's transaction, with only the changed fields (an update that changes nothing writes
 * nothing). `before` is null for a creation. The caller has checked the actor's permissions.
 */
export async function recordRecordChange(
	{
		programmeId,
		entityType,
		entityId,
		action,
		actor,
		before,
		after
	}: {
		programmeId: string;
		entityType: 'event' | 'village' | 'organisation';
		entityId: string;
		action: AuditAction;
		actor: Actor | null | undefined;
		before: Record<string, unknown> | null;
		after: Record<string, unknown>;
	},
	{ db }: { db: Db }
): Promise<void> {
	const change = diffFields(before, after, [...AUDIT_IGNORED_FIELDS, 'sequence']);
	if (!hasChanges(change) && action !== 'create') return;
	await insertAuditEntries({
		db,
		entries: [
			{
				programmeId,
				entityType,
				entityId,
				caseId: null,
				action,
				actorId: actor?.userId ?? null,
				actorLabel: actor ? actor.name || actor.email : 'system',
				before: change.before,
				after: change.after
			}
		]
	});
}
