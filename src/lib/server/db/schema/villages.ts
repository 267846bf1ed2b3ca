import { boolean, date, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';
import { communesTable } from './territory.ts';

export const VILLAGE_STATUSES = ['partner', 'former_partner', 'prospect'] as const;
/** partner: has a welcome committee; former_partner: left the programme; prospect: in talks. */
export type VillageStatus = (typeof VILLAGE_STATUSES)[number];

/**
 * What a village offers day to day, as shown on its public page. Every field is
 * optional: a committee fills in what it knows; `undefined` means "not said".
 */
export type VillageServices = {
	schools?: { primary?: boolean; middle?: boolean; high?: boolean };
	health?: { doctor?: boolean; pharmacy?: boolean; nursing?: boolean };
	/** Care for children under 3: a crèche (multi-accueil) in the commune, childminders (assistantes maternelles). */
	childcare?: { creche?: boolean; childminders?: boolean };
	/** Shops in the village, free labels ("bakery", "grocery"…). */
	shops?: string[];
	/** A railway station in the commune. */
	station?: boolean;
	/** A regular bus or coach line stops in the commune. */
	bus?: boolean;
	/** Road distance to the nearest railway station, in km, as the committee states it. */
	stationDistanceKm?: number | null;
};

/** Who candidates write to first; when unset, the committee's contact member is shown. */
export type CommitteeContact = { name: string; email?: string | null; phone?: string | null };

/** A commune that joined a programme, with its welcome committee. */
export const villagesTable = pgTable(
	'villages',
	{
		id: id('vil'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		communeCode: text('commune_code')
			.notNull()
			.references(() => communesTable.code, { onDelete: 'restrict' }),
		/** URL name, e.g. 'simorre'. */
		slug: text('slug').notNull(),
		status: text('status').$type<VillageStatus>().notNull().default('partner'),
		joinedOn: date('joined_on'),
		/** Public presentation (Markdown), in French and English. */
		presentationFr: text('presentation_fr'),
		presentationEn: text('presentation_en'),
		services: jsonb('services').$type<VillageServices>().notNull().default({}),
		committeeContact: jsonb('committee_contact').$type<CommitteeContact>(),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// A commune joins a programme once; pages address villages by slug.
		uniqueIndex('villages_programme_commune_unique').on(table.programmeId, table.communeCode),
		uniqueIndex('villages_programme_slug_unique').on(table.programmeId, table.slug)
	]
);

/** A committee member's function in the village; `councillor` is kept for existing data. */
export const COMMITTEE_ROLES = ['mayor', 'deputy', 'councillor', 'volunteer', 'secretary'] as const;
export type CommitteeRole = (typeof COMMITTEE_ROLES)[number];
/** The functions offered when inviting or adding a committee member. */
export const COMMITTEE_FUNCTIONS = ['mayor', 'deputy', 'secretary', 'volunteer'] as const;
export type CommitteeFunction = (typeof COMMITTEE_FUNCTIONS)[number];

/** Members of a village's welcome committee: users with the `committee` role, scoped to these villages. */
export const villageCommitteeMembersTable = pgTable(
	'village_committee_members',
	{
		villageId: text('village_id')
			.notNull()
			.references(() => villagesTable.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		committeeRole: text('committee_role').$type<CommitteeRole>().notNull().default('councillor'),
		/** The member candidates are told to contact first. */
		isContact: boolean('is_contact').notNull().default(false),
		...timestamps()
	},
	(table) => [
		primaryKey({ name: 'village_committee_members_pk', columns: [table.villageId, table.userId] }),
		// A committee member's scope: the villages they belong to.
		index('village_committee_members_user_idx').on(table.userId)
	]
);

export type Village = typeof villagesTable.$inferSelect;
