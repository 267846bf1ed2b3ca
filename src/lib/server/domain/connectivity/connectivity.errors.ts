import { defineError } from '../../errors.ts';

/** The connectivity file to import does not exist; `details.file`. */
export const connectivityFileNotFound = defineError('connectivity.file_not_found', 'not_found');
/** The file exists but cannot be read (a folder, no permission…); `details.file`, `details.detail`. */
export const connectivityFileUnreadable = defineError('connectivity.file_unreadable', 'invalid');
/** The file holds no data row; `details.file`. */
export const connectivityEmptyFile = defineError('connectivity.empty_file', 'invalid');
/**
 * The file is neither ARCEP's FttH observatory nor a `code_insee;level` file, or the
 * format given with --format does not match its header; `details.file`, `details.format`.
 */
export const connectivityUnknownFormat = defineError('connectivity.unknown_format', 'invalid');
/** ARCEP file: the quarter asked for is not a column; `details.quarter`, `details.quarters`. */
export const connectivityUnknownQuarter = defineError('connectivity.unknown_quarter', 'invalid');
/**
 * A data row cannot be read: bad INSEE code, unknown level, share outside 0–1, ARCEP
 * category not in 0/5/10/25/50/80; `details.file`, `details.line` (1-based), `details.value`.
 */
export const connectivityInvalidRow = defineError('connectivity.invalid_row', 'invalid');
/** The same commune appears twice with different values; `details.line`, `details.code`. */
export const connectivityDuplicateCommune = defineError('connectivity.duplicate_commune', 'invalid');
/** Only programme staff (admin, advisor) set a commune's level by hand. */
export const connectivityForbidden = defineError('connectivity.forbidden', 'forbidden');
/** No commune with this code in the actor's programme territory. */
export const connectivityCommuneNotFound = defineError('connectivity.commune_not_found', 'not_found');
