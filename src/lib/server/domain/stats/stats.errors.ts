import { defineError } from '../../errors.ts';

/** Input files of `soho stats` (the file, its columns, its rows or features) and why they cannot be used. */
export const statsUnreadableFile = defineError('stats.unreadable_file', 'invalid');
export const statsEmptyInput = defineError('stats.empty_input', 'invalid');
export const statsMissingColumn = defineError('stats.missing_column', 'invalid');
export const statsInvalidTime = defineError('stats.invalid_time', 'invalid');
export const statsInvalidEvent = defineError('stats.invalid_event', 'invalid');
export const statsMissingGroup = defineError('stats.missing_group', 'invalid');
export const statsInvalidGeojson = defineError('stats.invalid_geojson', 'invalid');
export const statsNotPolygon = defineError('stats.not_polygon', 'invalid');
export const statsInvalidValue = defineError('stats.invalid_value', 'invalid');
export const statsConstantValues = defineError('stats.constant_values', 'invalid');
export const statsTooFewAreas = defineError('stats.too_few_areas', 'invalid');
export const statsNoNeighbours = defineError('stats.no_neighbours', 'invalid');
