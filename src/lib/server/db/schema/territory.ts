import {
	boolean,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp
} from 'drizzle-orm/pg-core';
import { timestamps } from '../columns.ts';

/**
 * Reference data from the official geographic code (COG), shared by every programme
 * of an instance: a programme's territory is the list of its départements.
 */
export const epcisTable = pgTable('epcis', {
	/** SIREN of the intercommunality. */
	code: text('code').primaryKey(),
	name: text('name').notNull(),
	/** CC, CA, CU or ME (métropole). */
	kind: text('kind').notNull(),
	population: integer('population'),
	...timestamps()
});

export type GeoJsonGeometry = {
	type: 'Polygon' | 'MultiPolygon';
	coordinates: number[][][] | number[][][][];
};

export const communesTable = pgTable(
	'communes',
	{
		/** INSEE code (COG), e.g. 32013 for Auch. */
		code: text('code').primaryKey(),
		name: text('name').notNull(),
		departementCode: text('departement_code').notNull(),
		regionCode: text('region_code'),
		arrondissementCode: text('arrondissement_code'),
		epciCode: text('epci_code').references(() => epcisTable.code, { onDelete: 'set null' }),
		population: integer('population'),
		postalCodes: jsonb('postal_codes').$type<string[]>().notNull().default([]),
		/** Codes of communes merged into this one (COG `anciensCodes`). */
		formerCodes: jsonb('former_codes').$type<string[]>().notNull().default([]),
		centroidLat: doublePrecision('centroid_lat'),
		centroidLon: doublePrecision('centroid_lon'),
		geometry: jsonb('geometry').$type<GeoJsonGeometry>(),
		/** Where the outline came from: a file name or 'geo.api.gouv.fr'. */
		geometrySource: text('geometry_source'),
		geometryUpdatedAt: timestamp('geometry_updated_at', { withTimezone: true }),
		/**
		 * INSEE reference attributes (table d'appartenance géographique, COG cantons), null
		 * until imported: code of the aire d'attraction des villes 2020 ('000' = outside any).
		 */
		aavCode: text('aav_code'),
		/** CATEAAV2020: '11' commune-centre, '12' other pole commune, '13' secondary pole, '20' crown, '30' outside. */
		aavCategory: text('aav_category'),
		/** Canton or pseudo-canton code (INSEE `CV`, e.g. '3205'; '3299' for Auch). */
		cantonCode: text('canton_code'),
		/** The commune is the bureau centralisateur (chef-lieu) of a canton; null = unknown. */
		isCantonSeat: boolean('is_canton_seat'),
		/** File the INSEE attributes came from. */
		inseeAttributesSource: text('insee_attributes_source'),
		...timestamps()
	},
	(table) => [
		// Territory pages and imports list the communes of one département.
		index('communes_departement_idx').on(table.departementCode),
		index('communes_epci_idx').on(table.epciCode)
	]
);

/**
 * Former communes (merged, delegated or associated) and the current commune that
 * absorbed them: historical records and old outline files use these codes.
 */
export const formerCommunesTable = pgTable(
	'former_communes',
	{
		code: text('code').notNull(),
		name: text('name'),
		/** 'merged' (anciensCodes), 'delegated' or 'associated' (COG types). */
		kind: text('kind').$type<'merged' | 'delegated' | 'associated'>().notNull(),
		communeCode: text('commune_code')
			.notNull()
			.references(() => communesTable.code, { onDelete: 'cascade' }),
		...timestamps()
	},
	(table) => [
		primaryKey({ name: 'former_communes_pk', columns: [table.code, table.communeCode] }),
		// Looking up what an old code became.
		index('former_communes_commune_idx').on(table.communeCode)
	]
);

export type Commune = typeof communesTable.$inferSelect;
export type Epci = typeof epcisTable.$inferSelect;
