import { defineError } from '../../errors.ts';

/** A département code is not in the official geographic code (e.g. `99`, `abc`); `details.departements` lists them. */
export const territoryUnknownDepartement = defineError('territory.unknown_departement', 'invalid');
/** `soho geo fetch` found no département to fetch: none given and none imported yet. */
export const territoryNoDepartements = defineError('territory.no_departements', 'invalid');
/** An outline import was attempted before any commune was imported (`soho territory init` first). */
export const territoryNoCommunes = defineError('territory.no_communes', 'invalid');
/** No commune has this INSEE code. */
export const territoryCommuneNotFound = defineError('territory.commune_not_found', 'not_found');
/** The GeoJSON file to import does not exist. */
export const territoryFileNotFound = defineError('territory.file_not_found', 'not_found');
/** The GeoJSON file exists but cannot be read (a folder, no permission…). */
export const territoryFileUnreadable = defineError('territory.file_unreadable', 'invalid');
/** The file is not JSON at all; `details.detail` is the parser's message. */
export const territoryInvalidJson = defineError('territory.invalid_json', 'invalid');
/** The JSON is not a GeoJSON FeatureCollection; `details.type` is the top-level type found. */
export const territoryInvalidGeojson = defineError('territory.invalid_geojson', 'invalid');
/** Feature number `details.index` (1-based) is not a Feature with a Polygon or MultiPolygon geometry. */
export const territoryInvalidFeature = defineError('territory.invalid_feature', 'invalid');
/** Feature number `details.index` has no INSEE commune code in `code`, `INSEE_COM` or `insee`. */
export const territoryNoInseeProperty = defineError('territory.no_insee_property', 'invalid');
/** geo.api.gouv.fr cannot be reached (offline, DNS failure or timeout). */
export const territoryGeoApiUnreachable = defineError('territory.geo_api_unreachable', 'unavailable');
/** geo.api.gouv.fr answered, but with an error status or something that is not GeoJSON. */
export const territoryGeoApiError = defineError('territory.geo_api_error', 'unavailable');
/** The INSEE table cannot be read as CSV or XLSX (`details.file`, `details.detail`). */
export const territoryInseeUnreadable = defineError('territory.insee_unreadable', 'invalid');
/** The INSEE table lacks the expected columns (`details.missing`, `details.found`). */
export const territoryInseeMissingColumns = defineError('territory.insee_missing_columns', 'invalid');
/** Only programme admins read the territory's status and import reference data from the back office. */
export const territoryForbidden = defineError('territory.forbidden', 'forbidden');
/** No file was chosen in an upload form; `details.field` names the field. */
export const territoryFileRequired = defineError('territory.file_required', 'invalid');
/** An uploaded file is over MAX_REFERENCE_UPLOAD_BYTES (`details.maxMegabytes`). */
export const territoryFileTooLarge = defineError('territory.file_too_large', 'invalid');
/**
 * An outline file holds no commune of the programme's départements (`details.found`: the
 * départements of its features; `details.expected`: the programme's): nothing is written.
 */
export const territoryOutlinesOtherDepartement = defineError(
	'territory.outlines_other_departement',
	'invalid'
);
/** An INSEE commune table describes no commune of the territory (another département, or empty): nothing is written. */
export const territoryInseeNoMatch = defineError('territory.insee_no_match', 'invalid');
/** soho ships no reference data for any of the programme's départements (`details.departements`). */
export const territoryNoBundledData = defineError('territory.no_bundled_data', 'invalid');
