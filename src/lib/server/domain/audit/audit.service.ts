import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { AuditAction, AuditEntry, Case } from '../../db/schema/index.ts';
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

/**
 * Writes one audit entry for a change to a section of the programme's settings (identity,
 * territory, reference data…), in the caller's transaction, with only the changed fields;
 * a change that changes nothing writes nothing. `actor` is null for the operator at the
 * command line (`soho programme set`), recorded as the system. The caller has checked the
 * actor's permissions.
 */
export async function recordSettingsChange(
	{
		programmeId,
		actor,
		section,
		before,
		after
	}: {
		programmeId: string;
		actor: Actor | null | undefined;
		section: string;
		before: Record<string, unknown>;
		after: Record<string, unknown>;
	},
	{ db }: { db: Db }
): Promise<boolean> {
	const changed = Object.keys(after).filter(
		(key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)
	);
	if (changed.length === 0) return false;
	await insertAuditEntries({
		db,
		entries: [
			{
				programmeId,
				entityType: 'programme',
				entityId: programmeId,
				caseId: null,
				action: 'settings_update',
				actorId: actor?.userId ?? null,
				actorLabel: actor ? actor.name || actor.email : 'system',
				before: { section, ...Object.fromEntries(changed.map((key) => [key, before[key] ?? null])) },
				after: { section, ...Object.fromEntries(changed.map((key) => [key, after[key] ?? null])) }
			}
		]
	});
	return true;
}

/** Who an audit entry names: a user, or the web form / an import (no user). */
export type AuditAuthor = { id: string | null; label: string };

export const auditAuthorOf = (actor: Actor): AuditAuthor => ({
	id: actor.userId,
	label: actor.name || actor.email
});

/** The public apply form writes with no user. */
export const WEB_FORM_AUTHOR: AuditAuthor = { id: null, label: 'web_form' };

/** Case columns that change with every move and say nothing by themselves. */
const CASE_AUDIT_IGNORED = [...AUDIT_IGNORED_FIELDS, 'stageChangedAt'];

/**
 * Writes one audit entry about a case or one of its persons, in the caller's transaction,
 * with only the changed fields; an update that changes nothing writes nothing (a creation
 * or a deletion always writes). The caller has checked the actor's permissions.
 */
export async function recordCaseChange(
	{
		kase,
		entity = { type: 'case', id: kase.id },
		action,
		author,
		at,
		before,
		after,
		extra
	}: {
		/** The case the entry is filed under (a merge files the absorbed records under the kept case). */
		kase: Pick<Case, 'id' | 'programmeId'>;
		/** What changed: the case itself (default), another case or one of the persons. */
		entity?: { type: 'case' | 'person'; id: string };
		action: Extract<
			AuditAction,
			'create' | 'update' | 'delete' | 'merge' | 'stage_change' | 'assign' | 'target_villages'
		>;
		author: AuditAuthor;
		at: Date;
		before: Record<string, unknown> | null;
		after: Record<string, unknown> | null;
		/** Fields to record as they are, whether they changed or not (e.g. what a merge absorbed). */
		extra?: { before?: Record<string, unknown>; after?: Record<string, unknown> };
	},
	{ db }: { db: Db }
): Promise<void> {
	const change = diffFields(
		before,
		after,
		entity.type === 'case' ? CASE_AUDIT_IGNORED : AUDIT_IGNORED_FIELDS
	);
	if (extra) {
		Object.assign(change.before, extra.before);
		Object.assign(change.after, extra.after);
	}
	if (!hasChanges(change) && action !== 'create' && action !== 'delete') return;
	await insertAuditEntries({
		db,
		entries: [
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: entity.type,
				entityId: entity.id,
				action,
				actorId: author.id,
				actorLabel: author.label,
				at,
				before: change.before,
				after: change.after
			}
		]
	});
}
