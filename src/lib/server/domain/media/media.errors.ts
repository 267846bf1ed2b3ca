import { defineError } from '../../errors.ts';

/**
 * No such photo for this actor: it does not exist, belongs to another programme, or
 * illustrates a village, workspace or offer the actor may not edit; also an unknown
 * file key. Never "forbidden", so that existence does not leak.
 */
export const mediaNotFound = defineError('media.not_found', 'not_found');
/** A text alternative (French or English) is missing: every photo needs one in both languages. */
export const mediaAltRequired = defineError('media.alt_required', 'invalid');
/** A text alternative is longer than MEDIA_ALT_MAX_LENGTH characters. */
export const mediaAltTooLong = defineError('media.alt_too_long', 'invalid');
/** The owner kind is not village, workspace or offer. */
export const mediaInvalidOwner = defineError('media.invalid_owner', 'invalid');
/** A photo can move only up or down. */
export const mediaInvalidDirection = defineError('media.invalid_direction', 'invalid');
/** The upload form was sent without a file. */
export const mediaFileRequired = defineError('media.file_required', 'invalid');
