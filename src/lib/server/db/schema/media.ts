import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';

export const MEDIA_OWNER_KINDS = ['village', 'workspace', 'offer'] as const;
/** What a photo illustrates. */
export type MediaOwnerKind = (typeof MEDIA_OWNER_KINDS)[number];

/** A smaller copy of a photo (files/images.ts IMAGE_VARIANT_WIDTHS), stored like the photo. */
export type MediaVariant = { storageKey: string; width: number; height: number; bytes: number };

/**
 * Uploaded photos, re-encoded to WebP (files/images.ts) and stored by content hash
 * (files/storage.ts). The owner's service checks who may add or remove them.
 */
export const mediaFilesTable = pgTable(
	'media_files',
	{
		id: id('med'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		ownerKind: text('owner_kind').$type<MediaOwnerKind>().notNull(),
		ownerId: text('owner_id').notNull(),
		storageKey: text('storage_key').notNull(),
		contentType: text('content_type').notNull(),
		bytes: integer('bytes').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		/** Narrower copies for `srcset`, narrowest first; none for a small photo or one uploaded before them. */
		variants: jsonb('variants').$type<MediaVariant[]>().notNull().default([]),
		/** Text alternative, required for accessibility, in both languages. */
		altFr: text('alt_fr').notNull(),
		altEn: text('alt_en').notNull(),
		position: integer('position').notNull().default(0),
		createdBy: text('created_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [
		// Pages list the photos of one village, workspace or offer in order.
		index('media_files_owner_idx').on(table.programmeId, table.ownerKind, table.ownerId, table.position)
	]
);

export type MediaFile = typeof mediaFilesTable.$inferSelect;
