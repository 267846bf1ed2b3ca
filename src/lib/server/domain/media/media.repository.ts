import { and, asc, count, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { mediaFilesTable, type MediaFile, type MediaOwnerKind } from '../../db/schema/index.ts';

export async function insertMediaFile({
	db,
	file
}: {
	db: Db;
	file: typeof mediaFilesTable.$inferInsert;
}): Promise<MediaFile> {
	const [created] = await db.insert(mediaFilesTable).values(file).returning();
	return created;
}

/** The photos of one village, workspace or offer, in display order. */
export async function findMediaFiles({
	db,
	programmeId,
	ownerKind,
	ownerId
}: {
	db: Db;
	programmeId: string;
	ownerKind: MediaOwnerKind;
	ownerId: string;
}): Promise<MediaFile[]> {
	return db
		.select()
		.from(mediaFilesTable)
		.where(
			and(
				eq(mediaFilesTable.programmeId, programmeId),
				eq(mediaFilesTable.ownerKind, ownerKind),
				eq(mediaFilesTable.ownerId, ownerId)
			)
		)
		.orderBy(asc(mediaFilesTable.position), asc(mediaFilesTable.createdAt), asc(mediaFilesTable.id));
}

/**
 * The first photo (display order) of each of these villages, workspaces or offers: one row per
 * owner that has a photo, for the cards of a list.
 */
export async function findFirstMediaFiles({
	db,
	programmeId,
	ownerKind,
	ownerIds
}: {
	db: Db;
	programmeId: string;
	ownerKind: MediaOwnerKind;
	ownerIds: string[];
}): Promise<MediaFile[]> {
	if (ownerIds.length === 0) return [];
	return db
		.selectDistinctOn([mediaFilesTable.ownerId])
		.from(mediaFilesTable)
		.where(
			and(
				eq(mediaFilesTable.programmeId, programmeId),
				eq(mediaFilesTable.ownerKind, ownerKind),
				inArray(mediaFilesTable.ownerId, ownerIds)
			)
		)
		.orderBy(
			asc(mediaFilesTable.ownerId),
			asc(mediaFilesTable.position),
			asc(mediaFilesTable.createdAt),
			asc(mediaFilesTable.id)
		);
}

export async function findMediaFileById({
	db,
	programmeId,
	mediaId
}: {
	db: Db;
	programmeId: string;
	mediaId: string;
}): Promise<MediaFile | null> {
	const [file] = await db
		.select()
		.from(mediaFilesTable)
		.where(and(eq(mediaFilesTable.programmeId, programmeId), eq(mediaFilesTable.id, mediaId)));
	return file ?? null;
}

/** Rows storing this file, as the photo itself or as one of its narrower copies. */
const storesKey = (key: string) =>
	or(
		eq(mediaFilesTable.storageKey, key),
		sql`${mediaFilesTable.variants} @> ${JSON.stringify([{ storageKey: key }])}::jsonb`
	);

/** Any row storing this file (keys are content hashes: one file may serve several rows). */
export async function findMediaFileByKey({ db, key }: { db: Db; key: string }): Promise<MediaFile | null> {
	const [file] = await db.select().from(mediaFilesTable).where(storesKey(key)).limit(1);
	return file ?? null;
}

export async function countMediaFilesWithKey({ db, key }: { db: Db; key: string }): Promise<number> {
	const [row] = await db.select({ n: count() }).from(mediaFilesTable).where(storesKey(key));
	return Number(row?.n ?? 0);
}

export async function deleteMediaFileRow({
	db,
	programmeId,
	mediaId
}: {
	db: Db;
	programmeId: string;
	mediaId: string;
}): Promise<void> {
	await db
		.delete(mediaFilesTable)
		.where(and(eq(mediaFilesTable.programmeId, programmeId), eq(mediaFilesTable.id, mediaId)));
}

export async function updateMediaPosition({
	db,
	programmeId,
	mediaId,
	position
}: {
	db: Db;
	programmeId: string;
	mediaId: string;
	position: number;
}): Promise<void> {
	await db
		.update(mediaFilesTable)
		.set({ position })
		.where(and(eq(mediaFilesTable.programmeId, programmeId), eq(mediaFilesTable.id, mediaId)));
}
