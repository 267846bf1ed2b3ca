import { union, type Geom } from 'polyclip-ts';
import type { GeoJsonGeometry } from '../../db/schema/territory.ts';
import type { CogData } from '../../geo/cog.ts';

/** Pure rules of the territory import: selection of COG records, change counts, outlines. No I/O. */

export type CommuneRecord = {
	code: string;
	name: string;
	departementCode: string;
	regionCode: string | null;
	arrondissementCode: string | null;
	epciCode: string | null;
	population: number | null;
	postalCodes: string[];
	formerCodes: string[];
};
export type EpciRecord = { code: string; name: string; kind: string; population: number | null };
export type FormerCommuneKind = 'merged' | 'delegated' | 'associated';
export type FormerCommuneRecord = {
	code: string;
	name: string | null;
	kind: FormerCommuneKind;
	communeCode: string;
};

export const COMMUNE_FIELDS = [
	'name',
	'departementCode',
	'regionCode',
	'arrondissementCode',
	'epciCode',
	'population',
	'postalCodes',
	'formerCodes'
] as const satisfies readonly (keyof CommuneRecord)[];
export const EPCI_FIELDS = ['name', 'kind', 'population'] as const satisfies readonly (keyof EpciRecord)[];
export const FORMER_COMMUNE_FIELDS = [
	'name',
	'kind'
] as const satisfies readonly (keyof FormerCommuneRecord)[];

/** The schema stores CC, CA, CU or ME; the COG spells métropoles METRO (and MET69 for Lyon). */
export function epciKind(cogType: string): string {
	return cogType.startsWith('MET') ? 'ME' : cogType;
}

/** Département codes that the COG does not know, in the order given. */
export function findUnknownDepartements(
	cog: Pick<CogData, 'departements'>,
	departements: string[]
): string[] {
	const known = new Set(cog.departements.map((d) => d.code));
	return departements.filter((code) => !known.has(code));
}

export const formerCommuneKey = (record: { code: string; communeCode: string }) =>
	`${record.code}>${record.communeCode}`;

/**
 * The records to import for some départements: their current communes, the EPCI
 * those communes belong to (even when an EPCI spans other départements), and the
 * former communes they absorbed. A former code that is both in `anciensCodes` and a
 * delegated/associated commune is kept once, with the more precise COG type.
 */
export function selectTerritoryRecords(
	cog: Pick<CogData, 'communes' | 'epcis'>,
	departements: string[]
): { communes: CommuneRecord[]; epcis: EpciRecord[]; formerCommunes: FormerCommuneRecord[] } {
	const wanted = new Set(departements);
	const current = cog.communes.filter(
		(c) => c.type === 'commune-actuelle' && c.departement !== undefined && wanted.has(c.departement)
	);
	const currentCodes = new Set(current.map((c) => c.code));
	const epciOf = new Map<string, string>();
	const epcis: EpciRecord[] = [];
	for (const epci of cog.epcis) {
		const members = epci.membres.filter((m) => currentCodes.has(m.code));
		if (members.length === 0) continue;
		for (const member of members) epciOf.set(member.code, epci.code);
		epcis.push({
			code: epci.code,
			name: epci.nom,
			kind: epciKind(epci.type),
			population: epci.populationMunicipale ?? null
		});
	}
	const communes: CommuneRecord[] = current.map((c) => ({
		code: c.code,
		name: c.nom,
		departementCode: c.departement as string,
		regionCode: c.region ?? null,
		arrondissementCode: c.arrondissement ?? null,
		epciCode: epciOf.get(c.code) ?? null,
		population: c.population ?? null,
		postalCodes: [...(c.codesPostaux ?? [])].sort(),
		formerCodes: [...(c.anciensCodes ?? [])].sort()
	}));
	const former = new Map<string, FormerCommuneRecord>();
	for (const c of current) {
		for (const code of c.anciensCodes ?? []) {
			const record: FormerCommuneRecord = { code, name: null, kind: 'merged', communeCode: c.code };
			former.set(formerCommuneKey(record), record);
		}
	}
	for (const c of cog.communes) {
		if (c.type !== 'commune-deleguee' && c.type !== 'commune-associee') continue;
		if (!c.chefLieu || !currentCodes.has(c.chefLieu)) continue;
		const record: FormerCommuneRecord = {
			code: c.code,
			name: c.nom,
			kind: c.type === 'commune-deleguee' ? 'delegated' : 'associated',
			communeCode: c.chefLieu
		};
		former.set(formerCommuneKey(record), record);
	}
	const formerCommunes = [...former.values()].sort((a, b) =>
		formerCommuneKey(a).localeCompare(formerCommuneKey(b))
	);
	return { communes, epcis, formerCommunes };
}

export type ChangeCount = { created: number; updated: number; unchanged: number };

/**
 * Compares the records to import with the stored ones (by key, on `fields`) and
 * returns only those to write, so that a second import writes nothing.
 */
export function planUpserts<T extends Record<string, unknown>>(
	next: T[],
	existing: Map<string, Partial<T>>,
	keyOf: (record: T) => string,
	fields: readonly (keyof T)[]
): { toWrite: T[]; count: ChangeCount } {
	const toWrite: T[] = [];
	const count: ChangeCount = { created: 0, updated: 0, unchanged: 0 };
	for (const record of next) {
		const stored = existing.get(keyOf(record));
		if (!stored) {
			count.created++;
			toWrite.push(record);
		} else if (fields.some((field) => !sameValue(stored[field], record[field]))) {
			count.updated++;
			toWrite.push(record);
		} else count.unchanged++;
	}
	return { toWrite, count };
}

function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Splits rows into batches (bulk inserts of a few hundred rows keep PGlite fast). */
export function chunk<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

type Ring = number[][];
type PolygonCoords = Ring[];

function polygonsOf(geometry: GeoJsonGeometry): PolygonCoords[] {
	return geometry.type === 'Polygon'
		? [geometry.coordinates as PolygonCoords]
		: (geometry.coordinates as PolygonCoords[]);
}

/** Signed area and area-weighted centroid sums of one ring (shoelace), relative to an origin. */
function ringMoments(ring: Ring, ox: number, oy: number): { a: number; x: number; y: number } {
	let a = 0;
	let x = 0;
	let y = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const x0 = ring[j][0] - ox;
		const y0 = ring[j][1] - oy;
		const x1 = ring[i][0] - ox;
		const y1 = ring[i][1] - oy;
		const cross = x0 * y1 - x1 * y0;
		a += cross;
		x += (x0 + x1) * cross;
		y += (y0 + y1) * cross;
	}
	return { a: a / 2, x: x / 6, y: y / 6 };
}

/**
 * The area-weighted centroid `{ lat, lon }` of a Polygon or MultiPolygon, holes
 * subtracted, rounded to 6 decimals (~10 cm). Planar on longitude/latitude, which is
 * exact enough at the scale of a commune. Falls back to the mean vertex when the
 * outline has no area.
 */
export function geometryCentroid(geometry: GeoJsonGeometry): { lat: number; lon: number } {
	const polygons = polygonsOf(geometry);
	const [ox, oy] = polygons[0][0][0];
	let area = 0;
	let sx = 0;
	let sy = 0;
	for (const polygon of polygons) {
		polygon.forEach((ring, index) => {
			const m = ringMoments(ring, ox, oy);
			// Outer rings count positive and holes negative, whatever their winding order.
			const sign = (index === 0 ? 1 : -1) * Math.sign(m.a);
			area += sign * m.a;
			sx += sign * m.x;
			sy += sign * m.y;
		});
	}
	if (Math.abs(area) < 1e-15) {
		const points = polygons.flatMap((polygon) => polygon[0]);
		const lon = points.reduce((s, p) => s + p[0], 0) / points.length;
		const lat = points.reduce((s, p) => s + p[1], 0) / points.length;
		return { lat: round6(lat), lon: round6(lon) };
	}
	return { lat: round6(oy + sy / area), lon: round6(ox + sx / area) };
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * One outline covering all `geometries`: their union (shared borders dissolved) when
 * polyclip-ts can compute it, otherwise a MultiPolygon of all their polygons.
 */
export function mergeGeometries(geometries: GeoJsonGeometry[]): GeoJsonGeometry {
	if (geometries.length === 1) return geometries[0];
	try {
		const [first, ...rest] = geometries.map((g) => g.coordinates as Geom);
		const result = union(first, ...rest) as number[][][][];
		if (result.length === 0) throw new Error('empty union');
		return result.length === 1
			? { type: 'Polygon', coordinates: result[0] }
			: { type: 'MultiPolygon', coordinates: result };
	} catch {
		return { type: 'MultiPolygon', coordinates: geometries.flatMap(polygonsOf) };
	}
}

/** True when two outlines are identical (same type and same coordinates). */
export function sameGeometry(
	a: GeoJsonGeometry | null | undefined,
	b: GeoJsonGeometry | null | undefined
): boolean {
	if (!a || !b) return false;
	return a.type === b.type && JSON.stringify(a.coordinates) === JSON.stringify(b.coordinates);
}

export type OutlineFeature = { code: string; name: string | null; geometry: GeoJsonGeometry };
export type MergedOutline = { code: string; name: string | null; into: string };

/**
 * Matches outline features to current communes by INSEE code. A feature whose code is
 * a former commune absorbed by exactly one current commune is merged into that
 * commune's outline (old files predate the merger); the rest is unmatched. Several
 * parts for one commune are merged into one outline.
 */
export function matchCommuneOutlines({
	features,
	communeCodes,
	formerCommunes
}: {
	features: OutlineFeature[];
	communeCodes: Set<string>;
	formerCommunes: { code: string; communeCode: string }[];
}): {
	outlines: Map<string, GeoJsonGeometry>;
	merged: MergedOutline[];
	unmatched: { code: string; name: string | null }[];
} {
	const successors = new Map<string, Set<string>>();
	for (const former of formerCommunes) {
		if (!communeCodes.has(former.communeCode)) continue;
		const set = successors.get(former.code) ?? new Set<string>();
		set.add(former.communeCode);
		successors.set(former.code, set);
	}
	const own = new Map<string, GeoJsonGeometry[]>();
	const absorbed = new Map<string, GeoJsonGeometry[]>();
	const merged: MergedOutline[] = [];
	const unmatched: { code: string; name: string | null }[] = [];
	const push = (map: Map<string, GeoJsonGeometry[]>, code: string, geometry: GeoJsonGeometry) =>
		map.set(code, [...(map.get(code) ?? []), geometry]);
	for (const feature of features) {
		if (communeCodes.has(feature.code)) {
			push(own, feature.code, feature.geometry);
			continue;
		}
		const into = successors.get(feature.code);
		if (into?.size === 1) {
			const [target] = into;
			push(absorbed, target, feature.geometry);
			merged.push({ code: feature.code, name: feature.name, into: target });
		} else unmatched.push({ code: feature.code, name: feature.name });
	}
	const outlines = new Map<string, GeoJsonGeometry>();
	for (const code of new Set([...own.keys(), ...absorbed.keys()])) {
		outlines.set(code, mergeGeometries([...(own.get(code) ?? []), ...(absorbed.get(code) ?? [])]));
	}
	return { outlines, merged, unmatched };
}
