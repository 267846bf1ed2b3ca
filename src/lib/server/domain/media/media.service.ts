import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { MediaFile, MediaOwnerKind, MediaVariant } from '../../db/schema/index.ts';
import { isDomainError } from '../../errors.ts';
import { imageVariants, processImage } from '../../files/images.ts';
import { isFileKey, type FileStorage } from '../../files/storage.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { getOffer } from '../offer/offer.service.ts';
import { getVillage } from '../village/village.service.ts';
import { getWorkspace } from '../workspace/workspace.service.ts';
import { mediaNotFound } from './media.errors.ts';
import {
	countMediaFilesWithKey,
	deleteMediaFileRow,
	findMediaFileById,
	findMediaFileByKey,
	findFirstMediaFiles,
	findMediaFiles,
	insertMediaFile,
	updateMediaPosition
} from './media.repository.ts';
import {
	listCoverPhotosSchema,
	listPhotosSchema,
	mediaIdSchema,
	photoMoveSchema,
	photoOwnerSchema,
	photoTextsSchema,
	type ListCoverPhotosInput,
	type ListPhotosInput,
	type PhotoMove
} from './media.schemas.ts';

const log = createLogger({ namespace: 'media:service' });

/** A photo as pages show it; `url` is served by `/media/[key]` and never changes (content-addressed). */
export type Photo = {
	id: string;
	ownerKind: MediaOwnerKind;
	ownerId: string;
	url: string;
	contentType: string;
	width: number;
	height: number;
	bytes: number;
	/** Every stored width of the photo for `<img srcset>` ("/media/… 480w, …, /media/… 1600w"). */
	srcset: string;
	altFr: string;
	altEn: string;
	position: number;
};

/** Where a stored file is served from. */
export function mediaUrl(key: string): string {
	return `/media/${key}`;
}

function toPhoto(row: MediaFile): Photo {
	return {
		id: row.id,
		ownerKind: row.ownerKind,
		ownerId: row.ownerId,
		url: mediaUrl(row.storageKey),
		contentType: row.contentType,
		width: row.width,
		height: row.height,
		bytes: row.bytes,
		srcset: [...row.variants, row].map((file) => `${mediaUrl(file.storageKey)} ${file.width}w`).join(', '),
		altFr: row.altFr,
		altEn: row.altEn,
		position: row.position
	};
}

/**
 * Checks through the owner's own service that the actor may edit it: the village,
 * workspace or offer services throw their `*.not_found` when it is out of scope.
 */
async function assertCanEditOwner(
	{ actor, ownerKind, ownerId }: { actor: Actor; ownerKind: MediaOwnerKind; ownerId: string },
	{ db }: { db: Db }
): Promise<{ programmeId: string }> {
	switch (ownerKind) {
		case 'village':
			return (await getVillage({ actor, villageId: ownerId }, { db })).village;
		case 'workspace':
			return (await getWorkspace({ actor, workspaceId: ownerId }, { db })).workspace;
		case 'offer':
			return (await getOffer({ actor, offerId: ownerId }, { db })).offer;
	}
}

/** Deletes stored files unless another photo still uses them (same bytes, same key). */
async function deleteFilesIfUnused({ db, storage, keys }: { db: Db; storage: FileStorage; keys: string[] }) {
	for (const key of new Set(keys)) {
		if ((await countMediaFilesWithKey({ db, key })) === 0) await storage.delete(key);
	}
}

/**
 * Adds a photo to a village, workspace or offer the actor may edit. The alt texts are
 * required in both languages; the bytes are checked and re-encoded to WebP
 * (`media.too_large`, `media.not_an_image`, `media.malformed`, `media.too_many_pixels`).
 * Nothing is half-written: the file is stored first, and removed again if the row
 * cannot be inserted.
 */
export async function addPhoto(
	{
		actor,
		ownerKind,
		ownerId,
		bytes,
		altFr,
		altEn
	}: {
		actor: Actor;
		ownerKind: MediaOwnerKind;
		ownerId: string;
		bytes: Uint8Array;
		altFr: string;
		altEn: string;
	},
	{ db, storage }: { db: Db; storage: FileStorage }
): Promise<{ photo: Photo }> {
	const owner = parseInput(photoOwnerSchema, { ownerKind, ownerId });
	const { programmeId } = await assertCanEditOwner({ actor, ...owner }, { db });
	const texts = parseInput(photoTextsSchema, { altFr, altEn });
	const image = await processImage(bytes);
	const { key } = await storage.put(image.data, 'webp');
	const stored = [key];
	let row: MediaFile;
	try {
		// Narrower copies for srcset, stored like the photo (content-addressed) before the row names them.
		const variants: MediaVariant[] = [];
		for (const variant of await imageVariants(image)) {
			const { key: variantKey } = await storage.put(variant.data, 'webp');
			stored.push(variantKey);
			variants.push({
				storageKey: variantKey,
				width: variant.width,
				height: variant.height,
				bytes: variant.bytes
			});
		}
		row = await db.transaction(async (tx) => {
			const siblings = await findMediaFiles({ db: tx, programmeId, ...owner });
			const position = siblings.reduce((max, sibling) => Math.max(max, sibling.position + 1), 0);
			return insertMediaFile({
				db: tx,
				file: {
					programmeId,
					ownerKind: owner.ownerKind,
					ownerId: owner.ownerId,
					storageKey: key,
					contentType: image.contentType,
					bytes: image.bytes,
					width: image.width,
					height: image.height,
					variants,
					altFr: texts.altFr,
					altEn: texts.altEn,
					position,
					createdBy: actor.userId
				}
			});
		});
	} catch (error) {
		await deleteFilesIfUnused({ db, storage, keys: stored }).catch((cleanup: unknown) =>
			log.error({ err: cleanup, keys: stored }, 'Could not remove the files of a failed upload')
		);
		throw error;
	}
	log.info({ mediaId: row.id, ownerKind, ownerId, userId: actor.userId, bytes: row.bytes }, 'Photo added');
	return { photo: toPhoto(row) };
}

/** Loads a photo whose owner the actor may edit; anything else is `media.not_found`. */
async function getEditablePhoto({ db, actor, mediaId }: { db: Db; actor: Actor; mediaId: string }) {
	if (!v.is(mediaIdSchema, mediaId)) throw mediaNotFound({ mediaId });
	const row = await findMediaFileById({ db, programmeId: actor.programmeId, mediaId });
	if (!row) throw mediaNotFound({ mediaId });
	try {
		await assertCanEditOwner({ actor, ownerKind: row.ownerKind, ownerId: row.ownerId }, { db });
	} catch (error) {
		if (isDomainError(error) && error.kind === 'not_found') throw mediaNotFound({ mediaId });
		throw error;
	}
	return row;
}

/**
 * Removes a photo. The file is deleted after the row, once no other photo uses it, so
 * a failure leaves at worst an orphan file, never a row without its file.
 */
export async function removePhoto(
	{ actor, mediaId }: { actor: Actor; mediaId: string },
	{ db, storage }: { db: Db; storage: FileStorage }
): Promise<{ photoId: string }> {
	const row = await db.transaction(async (tx) => {
		const photo = await getEditablePhoto({ db: tx, actor, mediaId });
		await deleteMediaFileRow({ db: tx, programmeId: photo.programmeId, mediaId: photo.id });
		return photo;
	});
	await deleteFilesIfUnused({
		db,
		storage,
		keys: [row.storageKey, ...row.variants.map((variant) => variant.storageKey)]
	});
	log.info({ mediaId: row.id, userId: actor.userId }, 'Photo removed');
	return { photoId: row.id };
}

/** Moves a photo one place up (earlier) or down (later) among its owner's photos. */
export async function movePhoto(
	{ actor, mediaId, direction }: { actor: Actor; mediaId: string; direction: PhotoMove },
	{ db }: { db: Db }
): Promise<{ photos: Photo[] }> {
	const move = parseInput(photoMoveSchema, direction);
	return db.transaction(async (tx) => {
		const photo = await getEditablePhoto({ db: tx, actor, mediaId });
		const siblings = await findMediaFiles({
			db: tx,
			programmeId: photo.programmeId,
			ownerKind: photo.ownerKind,
			ownerId: photo.ownerId
		});
		const from = siblings.findIndex((sibling) => sibling.id === photo.id);
		const to = move === 'up' ? from - 1 : from + 1;
		if (to >= 0 && to < siblings.length) {
			[siblings[from], siblings[to]] = [siblings[to], siblings[from]];
		}
		// Renumber 0..n-1: positions stay dense whatever happened before (removals, equal positions).
		for (const [index, sibling] of siblings.entries()) {
			if (sibling.position !== index) {
				await updateMediaPosition({
					db: tx,
					programmeId: photo.programmeId,
					mediaId: sibling.id,
					position: index
				});
			}
		}
		return { photos: siblings.map((sibling, index) => toPhoto({ ...sibling, position: index })) };
	});
}

/**
 * The photos of a village, workspace or offer, in order, for public pages and the back
 * office. No permission: call it for records the page is allowed to show.
 */
export async function listPhotos(input: ListPhotosInput, { db }: { db: Db }): Promise<{ photos: Photo[] }> {
	const data = parseInput(listPhotosSchema, input);
	return { photos: (await findMediaFiles({ db, ...data })).map(toPhoto) };
}

/**
 * The first photo of each of these villages, workspaces or offers, by owner id (owners without a
 * photo are absent), for the cards of public lists. No permission: call it for records the page
 * is allowed to show.
 */
export async function listCoverPhotos(
	input: ListCoverPhotosInput,
	{ db }: { db: Db }
): Promise<{ covers: Record<string, Photo> }> {
	const { programmeId, ownerKind, ownerIds } = parseInput(listCoverPhotosSchema, input);
	const rows = await findFirstMediaFiles({ db, programmeId, ownerKind, ownerIds: [...new Set(ownerIds)] });
	return { covers: Object.fromEntries(rows.map((row) => [row.ownerId, toPhoto(row)])) };
}

/** A stored photo file by its key, for `/media/[key]`; unknown keys are `media.not_found`. */
export async function getMediaFile(
	{ key }: { key: string },
	{ db, storage }: { db: Db; storage: FileStorage }
): Promise<{ contentType: string; data: Uint8Array }> {
	if (!isFileKey(key)) throw mediaNotFound({ key });
	const row = await findMediaFileByKey({ db, key });
	if (!row) throw mediaNotFound({ key });
	const data = await storage.get(key);
	if (!data) throw mediaNotFound({ key });
	return { contentType: row.contentType, data };
}
