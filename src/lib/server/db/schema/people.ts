import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable, type Role } from './accounts.ts';
import { organisationsTable } from './organisations.ts';
import { programmesTable } from './programmes.ts';
import type { CommitteeRole } from './villages.ts';

export const MEMBERSHIP_STATUSES = ['active', 'deactivated'] as const;
/** active: may sign in and act; deactivated: may not sign in, history kept. */
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/**
 * A person's role in a programme, with its scope: the organisation for partners
 * (committee members' villages are in `village_committee_members`). One person
 * holds at most one membership per programme.
 */
export const membershipsTable = pgTable(
	'memberships',
	{
		id: id('mbr'),
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		role: text('role').$type<Role>().notNull(),
		/** For the `partner` role: the organisation whose listings and referrals the person manages. */
		organisationId: text('organisation_id').references(() => organisationsTable.id, { onDelete: 'set null' }),
		status: text('status').$type<MembershipStatus>().notNull().default('active'),
		deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
		...timestamps()
	},
	(table) => [
		uniqueIndex('memberships_user_programme_unique').on(table.userId, table.programmeId),
		// Lists of a programme's people by role (staff pickers, digests, the people page).
		index('memberships_programme_role_idx').on(table.programmeId, table.role)
	]
);

/** The committee scope an invitation grants: a partner village and the function held there. */
export type InvitationVillage = { villageId: string; committeeRole: CommitteeRole };

/**
 * An invitation to join a programme with a role and its scope. Only the hash of the
 * link's token is stored; resending replaces it (the old link stops working).
 */
export const invitationsTable = pgTable(
	'invitations',
	{
		id: id('inv'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		email: text('email').notNull(),
		name: text('name').notNull(),
		locale: text('locale').$type<'fr' | 'en'>().notNull().default('fr'),
		role: text('role').$type<Role>().notNull(),
		villages: jsonb('villages').$type<InvitationVillage[]>().notNull().default([]),
		organisationId: text('organisation_id').references(() => organisationsTable.id, { onDelete: 'set null' }),
		/** sha256 of the link's token, base64url. */
		tokenHash: text('token_hash').notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		invitedBy: text('invited_by').references(() => usersTable.id, { onDelete: 'set null' }),
		lastSentAt: timestamp('last_sent_at', { withTimezone: true }).notNull().defaultNow(),
		...timestamps()
	},
	(table) => [
		// The link is resolved by its token's hash.
		uniqueIndex('invitations_token_hash_unique').on(table.tokenHash),
		// The people page lists a programme's pending invitations; inviting checks the address.
		index('invitations_programme_email_idx').on(table.programmeId, table.email)
	]
);

export type Membership = typeof membershipsTable.$inferSelect;
export type Invitation = typeof invitationsTable.$inferSelect;
