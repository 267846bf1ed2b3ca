import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import type { GeoJsonGeometry } from '../db/schema/territory.ts';
import {
	territoryFileNotFound,
	territoryFileUnreadable,
	territoryInvalidFeature,
	territoryInvalidGeojson,
	territoryInvalidJson,
	territoryNoInseeProperty
} from '../domain/territory/territory.errors.ts';

/** One commune outline read from a GeoJSON file or from geo.api.gouv.fr. */
export type CommuneFeature = { code: string; name: string | null; geometry: GeoJsonGeometry };

/**
 * Properties that carry the INSEE code, in order of preference: `code` (france-geojson,
 * geo.api.gouv.fr), `INSEE_COM` (IGN ADMIN EXPRESS), then lower-case variants.
 */
export const INSEE_PROPERTIES = ['code', 'INSEE_COM', 'insee_com', 'insee'] as const;
const NAME_PROPERTIES = ['nom', 'NOM', 'NOM_COM', 'nom_com', 'name'] as const;
const INSEE_CODE = /^(\d{5}|2[AB]\d{3})$/;

const positionSchema = v.pipe(v.array(v.number()), v.minLength(2));
const ringSchema = v.pipe(v.array(positionSchema), v.minLength(4));
const polygonSchema = v.object({
	type: v.literal('Polygon'),
	coordinates: v.pipe(v.array(ringSchema), v.minLength(1))
});
const multiPolygonSchema = v.object({
	type: v.literal('MultiPolygon'),
	coordinates: v.pipe(v.array(v.pipe(v.array(ringSchema), v.minLength(1))), v.minLength(1))
});
const featureSchema = v.object({
	type: v.literal('Feature'),
	properties: v.nullish(v.record(v.string(), v.unknown())),
	geometry: v.variant('type', [polygonSchema, multiPolygonSchema])
});

/** Reads and parses a JSON file; says which of "missing", "unreadable" or "not JSON" went wrong. */
export function readJsonFile(file: string): unknown {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw territoryFileNotFound({ file });
		throw territoryFileUnreadable({ file, detail: code ?? String(error) });
	}
	try {
		return JSON.parse(text);
	} catch (error) {
		throw territoryInvalidJson({ file, detail: (error as Error).message });
	}
}

/** The INSEE code of a feature's properties, or null (numbers get their leading zero back). */
export function featureInseeCode(properties: Record<string, unknown> | null | undefined): string | null {
	if (!properties) return null;
	for (const key of INSEE_PROPERTIES) {
		const raw = properties[key];
		const value = typeof raw === 'number' ? String(raw).padStart(5, '0') : raw;
		if (typeof value === 'string' && INSEE_CODE.test(value.trim())) return value.trim();
	}
	return null;
}

function featureName(properties: Record<string, unknown> | null | undefined): string | null {
	for (const key of NAME_PROPERTIES) {
		const value = properties?.[key];
		if (typeof value === 'string' && value.trim()) return value.trim();
	}
	return null;
}

/**
 * Validates a GeoJSON FeatureCollection of commune outlines and returns its features.
 * Every feature must have a Polygon/MultiPolygon geometry and an INSEE code: a file
 * of départements or cantons is refused rather than half imported.
 */
export function parseCommuneFeatures(data: unknown, { source }: { source: string }): CommuneFeature[] {
	const collection = data as { type?: unknown; features?: unknown } | null;
	if (
		!collection ||
		typeof collection !== 'object' ||
		collection.type !== 'FeatureCollection' ||
		!Array.isArray(collection.features)
	) {
		const type =
			collection && typeof collection === 'object' && typeof collection.type === 'string'
				? collection.type
				: Array.isArray(data)
					? 'array'
					: typeof data;
		throw territoryInvalidGeojson({ file: source, type });
	}
	return collection.features.map((raw, i) => {
		const parsed = v.safeParse(featureSchema, raw);
		if (!parsed.success) throw territoryInvalidFeature({ file: source, index: i + 1 });
		const code = featureInseeCode(parsed.output.properties);
		if (!code) {
			const keys = Object.keys(parsed.output.properties ?? {}).slice(0, 6);
			throw territoryNoInseeProperty({
				file: source,
				index: i + 1,
				properties: keys.length ? keys.join(', ') : '-'
			});
		}
		return {
			code,
			name: featureName(parsed.output.properties),
			geometry: parsed.output.geometry as GeoJsonGeometry
		};
	});
}
