import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { SEARCH_FOLD_FROM, SEARCH_FOLD_TO } from '../../../domain/search.ts';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { casesTable, personsTable } from './cases.ts';
import { programmesTable } from './programmes.ts';
import { communesTable } from './territory.ts';

/** The fields of a member profile whose visibility the member chooses. */
export const PROFILE_FIELDS = [
	'name',
	'headline',
	'skills',
	'services',
	'languages',
	'commune',
	'website',
	'email',
	'story'
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** public: anyone visiting the directory; members: signed-in members and staff; hidden: nobody else. */
export const FIELD_VISIBILITIES = ['public', 'members', 'hidden'] as const;
export type FieldVisibility = (typeof FIELD_VISIBILITIES)[number];
export type ProfileVisibility = Record<ProfileField, FieldVisibility>;

/** What a new profile shows once listed: the trade publicly, name and commune to members, the email to nobody. */
export const DEFAULT_PROFILE_VISIBILITY: ProfileVisibility = {
	name: 'members',
	headline: 'public',
	skills: 'public',
	services: 'public',
	languages: 'public',
	commune: 'members',
	website: 'public',
	email: 'hidden',
	// A story is told on the village page only when the member makes it public.
	story: 'hidden'
};

/**
 * Folded text of the fields at the given visibility levels (see lib/domain/search.ts): a
 * public search matches only what the public may see, so a members-only skill never
 * reveals who has it.
 */
function foldedFields(levels: readonly FieldVisibility[]): string {
	const visible = (field: ProfileField) =>
		`coalesce(visibility->>'${field}', 'hidden') in (${levels.map((l) => `'${l}'`).join(', ')})`;
	const parts = [
		`case when ${visible('name')} then display_name end`,
		`case when ${visible('headline')} then headline end`,
		`case when ${visible('skills')} then skills::text end`,
		`case when ${visible('services')} then services end`
	];
	return `translate(lower(${parts.map((p) => `coalesce(${p}, '')`).join(` || ' ' || `)}), '${SEARCH_FOLD_FROM}', '${SEARCH_FOLD_TO}')`;
}

/**
 * An installed solo's member profile: their entry in the directory (only when
 * `is_listed`, the member's own opt-in) and their ambassador offer.
 */
export const memberProfilesTable = pgTable(
	'member_profiles',
	{
		id: id('mbr'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		/** The household the member came with (null for members invited without a case). */
		caseId: text('case_id').references(() => casesTable.id, { onDelete: 'set null' }),
		personId: text('person_id').references(() => personsTable.id, { onDelete: 'set null' }),
		displayName: text('display_name').notNull(),
		headline: text('headline'),
		/** Free words: "traduction", "UX design"… */
		skills: jsonb('skills').$type<string[]>().notNull().default([]),
		/** Services offered, Markdown (sanitised when rendered). */
		services: text('services'),
		/** ISO 639-1 codes, e.g. nl, en. */
		languages: jsonb('languages').$type<string[]>().notNull().default([]),
		communeCode: text('commune_code').references(() => communesTable.code, { onDelete: 'set null' }),
		website: text('website'),
		/** Their settling-in story (Markdown), told on their village's page when public and listed. */
		story: text('story'),
		/** Opt-in to the directory: until the member ticks it, the profile appears nowhere public. */
		isListed: boolean('is_listed').notNull().default(false),
		visibility: jsonb('visibility').$type<ProfileVisibility>().notNull().default(DEFAULT_PROFILE_VISIBILITY),
		isAmbassador: boolean('is_ambassador').notNull().default(false),
		/** Free text: "weekday evenings", "two hours a month"… */
		ambassadorAvailability: text('ambassador_availability'),
		/** Languages the ambassador welcomes newcomers in (ISO 639-1). */
		ambassadorLanguages: jsonb('ambassador_languages').$type<string[]>().notNull().default([]),
		/** Public fields, folded: the public directory search. */
		searchPublic: text('search_public').generatedAlwaysAs(sql.raw(foldedFields(['public']))),
		/** Public and members-only fields, folded: the search of signed-in members. */
		searchMembers: text('search_members').generatedAlwaysAs(sql.raw(foldedFields(['public', 'members']))),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// One profile per account.
		uniqueIndex('member_profiles_user_unique').on(table.userId),
		// The directory lists the listed profiles of a programme.
		index('member_profiles_programme_listed_idx').on(table.programmeId, table.isListed),
		index('member_profiles_case_idx').on(table.caseId),
		// The directory's free-text search: "contains" on the folded text.
		index('member_profiles_search_public_trgm_idx').using('gin', table.searchPublic.op('gin_trgm_ops')),
		index('member_profiles_search_members_trgm_idx').using('gin', table.searchMembers.op('gin_trgm_ops'))
	]
);

export const PAIRING_STATUSES = ['proposed', 'active', 'ended'] as const;
export type PairingStatus = (typeof PAIRING_STATUSES)[number];

/** A settled member who welcomes a newcomer household: on the case timeline and the ambassador's space. */
export const ambassadorPairingsTable = pgTable(
	'ambassador_pairings',
	{
		id: id('amb'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		ambassadorProfileId: text('ambassador_profile_id')
			.notNull()
			.references(() => memberProfilesTable.id, { onDelete: 'cascade' }),
		/** The newcomer household. */
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		status: text('status').$type<PairingStatus>().notNull().default('proposed'),
		note: text('note'),
		/** Why the staff chose this ambassador (the ranking's reasons at the time). */
		reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		endedReason: text('ended_reason'),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// The pairings of a case page and of an ambassador's space.
		index('ambassador_pairings_case_idx').on(table.caseId),
		index('ambassador_pairings_ambassador_idx').on(table.ambassadorProfileId, table.status)
	]
);

export type MemberProfile = typeof memberProfilesTable.$inferSelect;
export type AmbassadorPairing = typeof ambassadorPairingsTable.$inferSelect;
