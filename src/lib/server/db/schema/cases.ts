import {
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { SEARCH_FOLD_FROM, SEARCH_FOLD_TO } from '../../../domain/search.ts';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import type { ConnectionLevel } from './connectivity.ts';
import { programmesTable } from './programmes.ts';
import { communesTable } from './territory.ts';
import { villagesTable } from './villages.ts';

export const CASE_SOURCES = [
	'web_form',
	'phone',
	'fair',
	'press',
	'referral',
	'ambassador',
	'event',
	'other'
] as const;
/** How the household first reached the programme. */
export type CaseSource = (typeof CASE_SOURCES)[number];

/** The default pipeline, in order; programmes may configure their own (`programmes.pipeline`). */
export const DEFAULT_CASE_STAGES = [
	'contact',
	'qualified',
	'discovery_visit',
	'installing',
	'installed',
	'integrated'
] as const;
/** Exits every pipeline has: a lead that never came, a household that left after installing. */
export const CASE_EXIT_STAGES = ['abandoned', 'left_territory'] as const;
/** A stage key: one of the defaults, an exit, or a stage configured by the programme. */
export type CaseStage = string;

export const CASE_TIMELINES = ['within_6_months', '6_to_12_months', 'over_12_months', 'undecided'] as const;
export type CaseTimeline = (typeof CASE_TIMELINES)[number];

export const YES_NO_UNSURE = ['yes', 'no', 'unsure'] as const;
export type YesNoUnsure = (typeof YES_NO_UNSURE)[number];

export const HOUSING_KINDS = ['rent', 'buy', 'either', 'undecided'] as const;
export type HousingKind = (typeof HOUSING_KINDS)[number];

/** What the household looks for. Every field is optional: intake is progressive. */
export type CaseNeeds = {
	housingKind?: HousingKind;
	maxRent?: number;
	maxPrice?: number;
	/** Minimum broadband level (same scale as the commune connectivity data). */
	minConnection?: ConnectionLevel;
	schools?: boolean;
	childcare?: boolean;
	maxDistanceToStationKm?: number;
};

/**
 * What the household agreed to, and when. `contact` is required to open a case from
 * the web form; sharing with committees or partners is opt-in (see case.permissions.ts).
 */
export type CaseConsents = {
	contact: boolean;
	shareWithCommittees: boolean;
	shareWithPartners: boolean;
	research: boolean;
	at: string | null;
};

/** A household's project: from first contact to installation, integration or exit. */
export const casesTable = pgTable(
	'cases',
	{
		id: id('cas'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		/** Human reference, e.g. GERS-2026-0042; unique in the programme. */
		reference: text('reference').notNull(),
		source: text('source').$type<CaseSource>().notNull(),
		stage: text('stage').$type<CaseStage>().notNull().default('contact'),
		stageChangedAt: timestamp('stage_changed_at', { withTimezone: true }).notNull().defaultNow(),
		advisorId: text('advisor_id').references(() => usersTable.id, { onDelete: 'set null' }),
		wishedArea: text('wished_area'),
		wishedCommuneCodes: jsonb('wished_commune_codes').$type<string[]>().notNull().default([]),
		timeline: text('timeline').$type<CaseTimeline>(),
		needs: jsonb('needs').$type<CaseNeeds>().notNull().default({}),
		/** Asked at intake: the observatory estimates the programme's own effect with it. */
		wouldMoveWithoutProgramme: text('would_move_without_programme').$type<YesNoUnsure>(),
		howHeard: text('how_heard'),
		installedCommuneCode: text('installed_commune_code').references(() => communesTable.code, {
			onDelete: 'restrict'
		}),
		installedOn: date('installed_on'),
		businessSiret: text('business_siret'),
		businessCreatedOn: date('business_created_on'),
		businessClosedOn: date('business_closed_on'),
		leftOn: date('left_on'),
		leftReason: text('left_reason'),
		/** Latest sign the household is still around (survey answer, event attendance, directory update). */
		lastSignOfLifeAt: timestamp('last_sign_of_life_at', { withTimezone: true }),
		abandonedReason: text('abandoned_reason'),
		/** The case's id in the spreadsheet it was imported from; a second import of it is refused. */
		externalId: text('external_id'),
		/** The candidate's own account, once they have one (they see only this case). */
		candidateUserId: text('candidate_user_id').references(() => usersTable.id, { onDelete: 'set null' }),
		consents: jsonb('consents').$type<CaseConsents>().notNull().default({
			contact: false,
			shareWithCommittees: false,
			shareWithPartners: false,
			research: false,
			at: null
		}),
		/** Set on entry when another case of the programme has the same email or phone; advisors merge or clear it. */
		possibleDuplicateOf: text('possible_duplicate_of').references((): AnyPgColumn => casesTable.id, {
			onDelete: 'set null'
		}),
		isDemo: boolean('is_demo').notNull().default(false),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [
		// References are shown to households and typed in searches.
		uniqueIndex('cases_programme_reference_unique').on(table.programmeId, table.reference),
		// The board and the list filter by stage within a programme.
		index('cases_programme_stage_idx').on(table.programmeId, table.stage),
		// The list is ordered by last change, newest first.
		index('cases_programme_updated_idx').on(table.programmeId, table.updatedAt),
		// "My cases" and per-advisor dashboards.
		index('cases_advisor_idx').on(table.advisorId),
		// A candidate's own file (getOwnCase).
		index('cases_candidate_user_idx').on(table.candidateUserId),
		// The observatory counts installations per year and commune.
		index('cases_programme_installed_idx').on(table.programmeId, table.installedOn),
		// Households to call: installed and silent for long (follow-up).
		index('cases_programme_sign_of_life_idx').on(table.programmeId, table.lastSignOfLifeAt),
		index('cases_duplicate_idx').on(table.possibleDuplicateOf),
		// Imports refuse a record already imported (nulls are distinct: cases entered by hand).
		uniqueIndex('cases_programme_external_id_unique').on(table.programmeId, table.externalId),
		// The case list's search: "contains" on references (`reference ilike '%…%'`).
		index('cases_reference_trgm_idx').using('gin', table.reference.op('gin_trgm_ops'))
	]
);

/** Partner villages a case targets: their committees are involved (and may see the case, with consent). */
export const caseTargetVillagesTable = pgTable(
	'case_target_villages',
	{
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		villageId: text('village_id')
			.notNull()
			.references(() => villagesTable.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		primaryKey({ name: 'case_target_villages_pk', columns: [table.caseId, table.villageId] }),
		// A committee member's cases: those targeting their villages.
		index('case_target_villages_village_idx').on(table.villageId)
	]
);

/**
 * Cases absorbed by a merge: the absorbed id and reference lead to the kept case, so old
 * links and references still work. No foreign key on the absorbed id: that case is gone.
 */
export const caseMergesTable = pgTable(
	'case_merges',
	{
		id: id('mrg'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		absorbedCaseId: text('absorbed_case_id').notNull(),
		absorbedReference: text('absorbed_reference').notNull(),
		keptCaseId: text('kept_case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
		mergedBy: text('merged_by').references(() => usersTable.id, { onDelete: 'set null' })
	},
	(table) => [
		// An old URL or reference finds the kept case.
		uniqueIndex('case_merges_absorbed_unique').on(table.programmeId, table.absorbedCaseId),
		index('case_merges_reference_idx').on(table.programmeId, table.absorbedReference),
		index('case_merges_kept_idx').on(table.keptCaseId)
	]
);

export const HOUSEHOLD_ROLES = ['candidate', 'partner', 'child', 'other'] as const;
export type HouseholdRole = (typeof HOUSEHOLD_ROLES)[number];

// The vocabularies of status, sector and origin live in $lib/domain (the forms, which also run in the browser, read them).
export {
	ORIGIN_AREAS,
	PERSON_SECTORS,
	PERSON_STATUSES,
	type OriginArea,
	type PersonSector,
	type PersonStatus
} from '../../../domain/vocabulary.ts';
import type { OriginArea, PersonSector, PersonStatus } from '../../../domain/vocabulary.ts';

/** Needs of one person (the partner's job, a child's school or childcare...). */
export type PersonNeeds = {
	job?: boolean;
	jobSought?: string;
	schoolLevel?: 'childcare' | 'nursery' | 'primary' | 'secondary' | 'high_school' | 'none';
	childcare?: boolean;
	doctor?: boolean;
	transport?: boolean;
};

/** A member of a household: the candidate, their partner, children, other adults. */
export const personsTable = pgTable(
	'persons',
	{
		id: id('per'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		householdRole: text('household_role').$type<HouseholdRole>().notNull(),
		/** Partners and children may be entered without a name. */
		firstName: text('first_name'),
		lastName: text('last_name'),
		/** Stored lower-cased, so duplicates are found with an index. */
		email: text('email'),
		/** Stored normalised (+33…), so duplicates are found with an index. */
		phone: text('phone'),
		birthYear: integer('birth_year'),
		profession: text('profession'),
		status: text('status').$type<PersonStatus>(),
		/** With status `other`: the status as typed, until an advisor maps it (domain/vocabulary). */
		statusOther: text('status_other'),
		/** A key of PERSON_SECTORS (the observatory groups by it). */
		sector: text('sector').$type<PersonSector>(),
		/** With sector `other`: the sector as typed, until an advisor maps it (domain/vocabulary). */
		sectorOther: text('sector_other'),
		/** Socio-professional category (PCS 2020 code). */
		pcs: text('pcs'),
		/** ISO 3166 country code, e.g. FR, NL. */
		originCountry: text('origin_country'),
		/**
		 * A key of ORIGIN_AREAS: a region of France, `overseas`, `abroad` (with a country other
		 * than FR) or `other` (the observatory groups by it).
		 */
		originArea: text('origin_area').$type<OriginArea>(),
		/** With origin area `other`: the origin as typed, until an advisor maps it (domain/vocabulary). */
		originAreaOther: text('origin_area_other'),
		languages: jsonb('languages').$type<string[]>().notNull().default([]),
		needs: jsonb('needs').$type<PersonNeeds>().notNull().default({}),
		/**
		 * "first last first", lower case without accents (see lib/domain/search.ts): the case list's
		 * name search matches "Hélène Garnier" and "garnier helene" through a trigram index on it.
		 */
		searchName: text('search_name').generatedAlwaysAs(
			sql.raw(
				`translate(lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(first_name, '')), '${SEARCH_FOLD_FROM}', '${SEARCH_FOLD_TO}')`
			)
		),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// A case page loads its household.
		index('persons_case_idx').on(table.caseId),
		// Duplicate detection on entry and import.
		index('persons_programme_email_idx').on(table.programmeId, table.email),
		index('persons_programme_phone_idx').on(table.programmeId, table.phone),
		// The case list's search: "contains" on names and emails.
		index('persons_search_name_trgm_idx').using('gin', table.searchName.op('gin_trgm_ops')),
		index('persons_email_trgm_idx').using('gin', table.email.op('gin_trgm_ops'))
	]
);

/** Every stage change of a case, with its date and author: time-in-stage and cohort statistics read it. */
export const caseStageChangesTable = pgTable(
	'case_stage_changes',
	{
		id: id('stg'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		/** Null for the creation of the case. */
		fromStage: text('from_stage').$type<CaseStage>(),
		toStage: text('to_stage').$type<CaseStage>().notNull(),
		changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
		/** Null for changes made by the system or an import. */
		changedBy: text('changed_by').references(() => usersTable.id, { onDelete: 'set null' }),
		reason: text('reason')
	},
	(table) => [
		// The history of one case.
		index('case_stage_changes_case_idx').on(table.caseId, table.changedAt),
		// Dashboards: entries into a stage over a period.
		index('case_stage_changes_programme_idx').on(table.programmeId, table.toStage, table.changedAt),
		// The observatory: each case's first entry into each stage, for a whole programme, read from
		// the index alone in case order (findObservatoryCases).
		index('case_stage_changes_programme_case_idx').on(
			table.programmeId,
			table.caseId,
			table.toStage,
			table.changedAt
		)
	]
);

export const ACTIVITY_KINDS = [
	'note',
	'call',
	'email',
	'meeting',
	'visit',
	'referral',
	'document',
	'stage_change',
	'application',
	/** Written by the system: the candidate was invited as a member (domain/member). */
	'membership',
	/** Written by the system: an ambassador was paired with the household, or the pairing ended (domain/ambassador). */
	'ambassador',
	/** A message between the candidate and their advisor, from the candidate's space or the case page (domain/candidate-space). */
	'message'
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ACTIVITY_VISIBILITIES = ['staff', 'committee'] as const;
/** staff: programme staff only; committee: also the committees of the case's target villages. */
export type ActivityVisibility = (typeof ACTIVITY_VISIBILITIES)[number];

/** The timeline of a case. Stage changes are written here too, so one query gives the whole story. */
export const caseActivitiesTable = pgTable(
	'case_activities',
	{
		id: id('act'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id')
			.notNull()
			.references(() => casesTable.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<ActivityKind>().notNull(),
		occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
		/** Null for system entries (web application, import). */
		authorId: text('author_id').references(() => usersTable.id, { onDelete: 'set null' }),
		summary: text('summary').notNull(),
		body: text('body'),
		/** Structured details, e.g. { from, to, reason } for a stage change. */
		data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
		visibility: text('visibility').$type<ActivityVisibility>().notNull().default('staff'),
		...timestamps()
	},
	(table) => [
		// The timeline of one case, in order.
		index('case_activities_case_idx').on(table.caseId, table.occurredAt),
		index('case_activities_author_idx').on(table.authorId)
	]
);

/** Something to do, for a case or not, with a due date and an assignee ("my day"). */
export const tasksTable = pgTable(
	'tasks',
	{
		id: id('tsk'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		caseId: text('case_id').references(() => casesTable.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		dueOn: date('due_on'),
		assigneeId: text('assignee_id').references(() => usersTable.id, { onDelete: 'set null' }),
		doneAt: timestamp('done_at', { withTimezone: true }),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// "My day": open tasks of an assignee by due date (and the daily digest).
		index('tasks_assignee_due_idx').on(table.assigneeId, table.doneAt, table.dueOn),
		// Tasks shown on a case page.
		index('tasks_case_idx').on(table.caseId),
		index('tasks_programme_idx').on(table.programmeId, table.dueOn)
	]
);

export type Case = typeof casesTable.$inferSelect;
export type Person = typeof personsTable.$inferSelect;
export type CaseStageChange = typeof caseStageChangesTable.$inferSelect;
export type CaseActivity = typeof caseActivitiesTable.$inferSelect;
export type Task = typeof tasksTable.$inferSelect;
export type CaseMerge = typeof caseMergesTable.$inferSelect;
