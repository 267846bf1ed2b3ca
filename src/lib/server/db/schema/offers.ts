import { boolean, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { organisationsTable } from './organisations.ts';
import { programmesTable } from './programmes.ts';
import { communesTable } from './territory.ts';
import { villagesTable } from './villages.ts';

export const OFFER_KINDS = [
	'house_rent',
	'house_sale',
	'flat_rent',
	'flat_sale',
	'premises_rent',
	'premises_sale',
	'business_takeover',
	'land',
	'partner_job'
] as const;
/** What a listing offers. Rents are priced per month, sales and takeovers in total. */
export type OfferKind = (typeof OFFER_KINDS)[number];

export const OFFER_STATUSES = ['available', 'under_offer', 'taken'] as const;
/** available: public; under_offer: negotiation going on (hidden from search); taken: closed. */
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/**
 * A listing: housing, premises, a business to take over, land, a partner's job.
 * It belongs to an organisation (estate agent, chamber…), to a village (its committee),
 * or to the user who created it. It is public while available, published and not expired.
 */
export const offersTable = pgTable(
	'offers',
	{
		id: id('off'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<OfferKind>().notNull(),
		titleFr: text('title_fr').notNull(),
		titleEn: text('title_en'),
		/** Markdown. */
		descriptionFr: text('description_fr'),
		descriptionEn: text('description_en'),
		communeCode: text('commune_code')
			.notNull()
			.references(() => communesTable.code, { onDelete: 'restrict' }),
		/** The partner village whose committee owns or relays the offer. */
		villageId: text('village_id').references(() => villagesTable.id, { onDelete: 'set null' }),
		/** Whole euros; per month for rents. */
		price: integer('price'),
		surfaceM2: integer('surface_m2'),
		rooms: integer('rooms'),
		status: text('status').$type<OfferStatus>().notNull().default('available'),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		/** Every offer expires: stale listings are the first complaint about such portals. */
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		organisationId: text('organisation_id').references(() => organisationsTable.id, { onDelete: 'set null' }),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		contactEmail: text('contact_email'),
		contactPhone: text('contact_phone'),
		/**
		 * Business takeovers are often confidential: only sector, area and price band are
		 * public, details go to candidates an advisor approved (offer_disclosures).
		 */
		isAnonymised: boolean('is_anonymised').notNull().default(false),
		/** Public sector of a business takeover, e.g. 'Boulangerie-pâtisserie'. */
		sector: text('sector'),
		/** Public area of an anonymised offer: the canton or "near X". */
		areaLabel: text('area_label'),
		/** When the owner was reminded that the offer expires; cleared when expires_at changes. */
		expiryRemindedAt: timestamp('expiry_reminded_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		...timestamps()
	},
	(table) => [
		// The public search: available offers of a programme that have not expired.
		index('offers_programme_public_idx').on(table.programmeId, table.status, table.expiresAt),
		index('offers_village_idx').on(table.villageId),
		index('offers_organisation_idx').on(table.organisationId),
		// The expiry reminder scans offers by expiry date.
		index('offers_expires_idx').on(table.expiresAt)
	]
);

/** Candidates an advisor allowed to see the details of an anonymised offer. */
export const offerDisclosuresTable = pgTable(
	'offer_disclosures',
	{
		offerId: text('offer_id')
			.notNull()
			.references(() => offersTable.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => usersTable.id, { onDelete: 'cascade' }),
		approvedBy: text('approved_by').references(() => usersTable.id, { onDelete: 'set null' }),
		approvedAt: timestamp('approved_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [
		primaryKey({ name: 'offer_disclosures_pk', columns: [table.offerId, table.userId] }),
		// A candidate's approved offers.
		index('offer_disclosures_user_idx').on(table.userId)
	]
);

export type Offer = typeof offersTable.$inferSelect;
