import * as v from 'valibot';
import { MEDIA_OWNER_KINDS } from '../../db/schema/index.ts';

/** Longest text alternative: a sentence, not a caption essay (screen readers read it whole). */
export const MEDIA_ALT_MAX_LENGTH = 200;

export const mediaIdSchema = v.pipe(v.string(), v.regex(/^med_[a-z0-9]+$/, 'media.not_found'));
export const mediaOwnerKindSchema = v.picklist(MEDIA_OWNER_KINDS, 'media.invalid_owner');
const ownerIdSchema = v.pipe(v.string(), v.regex(/^[a-z]{3}_[a-z0-9]+$/, 'media.invalid_owner'));
const programmeIdSchema = v.pipe(v.string(), v.regex(/^prg_[a-z0-9]+$/, 'programme.not_found'));

const altSchema = v.pipe(
	v.string('media.alt_required'),
	v.trim(),
	v.minLength(1, 'media.alt_required'),
	v.maxLength(MEDIA_ALT_MAX_LENGTH, 'media.alt_too_long')
);

/** The texts of a photo; the bytes are checked by files/images.ts. */
export const photoTextsSchema = v.object({ altFr: altSchema, altEn: altSchema });
export type PhotoTextsInput = v.InferInput<typeof photoTextsSchema>;

export const photoOwnerSchema = v.object({ ownerKind: mediaOwnerKindSchema, ownerId: ownerIdSchema });

export const listPhotosSchema = v.object({
	programmeId: programmeIdSchema,
	ownerKind: mediaOwnerKindSchema,
	ownerId: ownerIdSchema
});
export type ListPhotosInput = v.InferInput<typeof listPhotosSchema>;

export const listCoverPhotosSchema = v.object({
	programmeId: programmeIdSchema,
	ownerKind: mediaOwnerKindSchema,
	ownerIds: v.array(ownerIdSchema)
});
export type ListCoverPhotosInput = v.InferInput<typeof listCoverPhotosSchema>;

export const PHOTO_MOVES = ['up', 'down'] as const;
export type PhotoMove = (typeof PHOTO_MOVES)[number];
export const photoMoveSchema = v.picklist(PHOTO_MOVES, 'media.invalid_direction');
