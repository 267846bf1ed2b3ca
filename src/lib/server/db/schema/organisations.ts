import { boolean, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { programmesTable } from './programmes.ts';

export const ORGANISATION_KINDS = [
	'workspace_operator',
	'estate_agent',
	'chamber_of_commerce',
	'chamber_of_crafts',
	'chamber_of_agriculture',
	'bank',
	'accountant',
	'business_cooperative',
	'employment_service',
	'housing_agency',
	'coworking_network',
	'local_authority',
	'association',
	'other'
] as const;
/** What a partner organisation does; referrals and listings depend on it. */
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/**
 * A partner organisation of a programme (coworking operator, estate agent, bank,
 * chamber, employment service...). Users with the `partner` role belong to one and
 * see only its listings and referrals.
 */
export const organisationsTable = pgTable(
	'organisations',
	{
		id: id('org'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		kind: text('kind').$type<OrganisationKind>().notNull(),
		email: text('email'),
		phone: text('phone'),
		website: text('website'),
		/** Retired: no longer offered as a partner; stays on past referrals and listings. */
		archivedAt: timestamp('archived_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// Partners are listed per programme.
		index('organisations_programme_idx').on(table.programmeId, table.name)
	]
);

export type Organisation = typeof organisationsTable.$inferSelect;
