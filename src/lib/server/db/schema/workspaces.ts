import {
	boolean,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { organisationsTable } from './organisations.ts';
import { programmesTable } from './programmes.ts';
import { communesTable } from './territory.ts';

export const WORKSPACE_KINDS = ['telecentre', 'coworking', 'tiers_lieu', 'fablab'] as const;
/** telecentre: equipped offices to work or meet clients; tiers_lieu: a village third place. */
export type WorkspaceKind = (typeof WORKSPACE_KINDS)[number];

export const WORKSPACE_PRICE_PERIODS = ['hour', 'half_day', 'day', 'week', 'month', 'year'] as const;
export type WorkspacePricePeriod = (typeof WORKSPACE_PRICE_PERIODS)[number];
/** Prices in euros (VAT included) per period, e.g. { day: 15, month: 180 }. */
export type WorkspacePrices = Partial<Record<WorkspacePricePeriod, number>>;

/** A telecentre, coworking space, tiers-lieu or fablab of a programme's territory. */
export const workspacesTable = pgTable(
	'workspaces',
	{
		id: id('wsp'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		/** The operator (a partner organisation); its partner users edit the workspace. */
		organisationId: text('organisation_id').references(() => organisationsTable.id, { onDelete: 'set null' }),
		communeCode: text('commune_code')
			.notNull()
			.references(() => communesTable.code, { onDelete: 'restrict' }),
		kind: text('kind').$type<WorkspaceKind>().notNull(),
		name: text('name').notNull(),
		slug: text('slug').notNull(),
		address: text('address'),
		lat: doublePrecision('lat'),
		lon: doublePrecision('lon'),
		/** Desks available. */
		capacity: integer('capacity'),
		equipment: jsonb('equipment').$type<string[]>().notNull().default([]),
		/** As advertised, e.g. 'Fibre 1 Gbit/s'. */
		connection: text('connection'),
		prices: jsonb('prices').$type<WorkspacePrices>().notNull().default({}),
		openingHoursFr: text('opening_hours_fr'),
		openingHoursEn: text('opening_hours_en'),
		/** Markdown. */
		descriptionFr: text('description_fr'),
		descriptionEn: text('description_en'),
		contactEmail: text('contact_email'),
		contactPhone: text('contact_phone'),
		website: text('website'),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// Pages address workspaces by slug.
		uniqueIndex('workspaces_programme_slug_unique').on(table.programmeId, table.slug),
		// A partner lists its organisation's workspaces.
		index('workspaces_organisation_idx').on(table.organisationId),
		index('workspaces_commune_idx').on(table.communeCode)
	]
);

export type Workspace = typeof workspacesTable.$inferSelect;
