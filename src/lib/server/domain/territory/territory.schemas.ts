import * as v from 'valibot';
import { inseeCodeSchema } from '../programme/programme.schemas.ts';

/**
 * A list of département codes as typed on a command line or in a form:
 * `['32', '31']`, `['32,31']` or `'32 31'`. Codes are trimmed and upper-cased (2a → 2A)
 * and de-duplicated; whether they exist is checked against the COG by the service,
 * so that the error can name the unknown code.
 */
export const departementListSchema = v.pipe(
	v.union([v.string(), v.array(v.string())], 'territory.invalid_departement'),
	v.transform((value) => {
		const parts = (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(/[\s,;]+/));
		return [...new Set(parts.map((part) => part.trim().toUpperCase()).filter(Boolean))];
	}),
	v.minLength(1, 'territory.invalid_departement')
);

export const initTerritorySchema = v.object({
	departements: departementListSchema,
	/** Adds the départements to this programme's territory too. */
	programme: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'programme.invalid_slug')))
});
export type InitTerritoryInput = v.InferInput<typeof initTerritorySchema>;

export const importCommuneGeometrySchema = v.object({
	/** Parsed GeoJSON; its structure is checked by `parseCommuneFeatures`. */
	geojson: v.unknown(),
	/** Where the outlines come from: a file name or 'geo.api.gouv.fr'. */
	source: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))
});
export type ImportCommuneGeometryInput = v.InferInput<typeof importCommuneGeometrySchema>;

export const fetchCommuneGeometrySchema = v.object({
	/** Defaults to every département that has imported communes. */
	departements: v.optional(departementListSchema)
});
export type FetchCommuneGeometryInput = v.InferInput<typeof fetchCommuneGeometrySchema>;

export const listCommunesSchema = v.object({
	departements: v.optional(departementListSchema),
	/** Part of the name, accents and case ignored, or an INSEE code prefix. */
	search: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
	/** Only these communes (the national portal's map draws the communes holding its results). */
	codes: v.optional(v.pipe(v.array(inseeCodeSchema), v.maxLength(5000))),
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000)), 1000)
});
export type ListCommunesInput = v.InferInput<typeof listCommunesSchema>;

export const getCommuneSchema = v.object({ code: inseeCodeSchema });

const inseeFileSchema = v.object({
	/** File name, recorded as the source of the attributes. */
	name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
	bytes: v.instance(Uint8Array)
});
export const importInseeAttributesSchema = v.object({
	/** INSEE "table d'appartenance géographique des communes" (CSV or XLSX). */
	communes: inseeFileSchema,
	/** COG cantons file: canton code and its bureau centralisateur. */
	cantons: v.nullish(inseeFileSchema)
});
export type ImportInseeAttributesInput = v.InferInput<typeof importInseeAttributesSchema>;
