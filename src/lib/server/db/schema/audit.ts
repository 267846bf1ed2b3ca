import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';

/** `programme`: a change to the programme's settings (no case). */
export const AUDIT_ENTITY_TYPES = [
	'case',
	'person',
	'event',
	'village',
	'organisation',
	'programme',
	'membership',
	'invitation'
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

export const AUDIT_ACTIONS = [
	'create',
	'update',
	'delete',
	'merge',
	'stage_change',
	'assign',
	'target_villages',
	'cancel',
	'retire',
	/** A section of the programme's settings (identity, texts, legal, pipeline…) changed. */
	'settings_update',
	// People: invitations and memberships.
	'invite',
	'resend',
	'revoke',
	'accept',
	'change_role',
	'deactivate',
	'reactivate',
	/** GDPR: the person was anonymised (domain/privacy); the entry holds no personal data. */
	'erase',
	/** Tenancy: an instance admin (or the operator) suspended or resumed the programme. */
	'suspend',
	'resume'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Every change to a case or a person of a household, staff changes to events, villages and
 * partner organisations, and to the programme's people (invitations, roles, deactivations): who,
 * when, and the changed fields
 * before and after. `case_id` and `entity_id` carry no foreign key on purpose: the history
 * outlives a deleted person, and a merge re-points the absorbed case's entries to the kept
 * case before deleting it.
 */
export const auditEntriesTable = pgTable(
	'audit_entries',
	{
		id: id('aud'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		entityType: text('entity_type').$type<AuditEntityType>().notNull(),
		entityId: text('entity_id').notNull(),
		/** The case the entry belongs to (the person's case for a person); null for entries about anything else. */
		caseId: text('case_id'),
		action: text('action').$type<AuditAction>().notNull(),
		/** Null for the system or an import. */
		actorId: text('actor_id').references(() => usersTable.id, { onDelete: 'set null' }),
		/** The actor's name at the time (kept when the account is deleted), or 'system', 'web_form'. */
		actorLabel: text('actor_label').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		/** Only the changed fields, as they were. */
		before: jsonb('before').$type<Record<string, unknown>>().notNull().default({}),
		/** Only the changed fields, as they became. */
		after: jsonb('after').$type<Record<string, unknown>>().notNull().default({})
	},
	(table) => [
		// The history of one case, newest first.
		index('audit_entries_case_idx').on(table.programmeId, table.caseId, table.at),
		index('audit_entries_entity_idx').on(table.entityType, table.entityId)
	]
);

export type AuditEntry = typeof auditEntriesTable.$inferSelect;
