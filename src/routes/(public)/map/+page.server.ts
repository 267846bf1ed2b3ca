import { getApp } from '#server/app.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import {
	checkDepartements,
	listCommuneOutlines,
	listCommunes
} from '#server/domain/territory/territory.service.ts';
import {
	populationClass,
	simplifyGeometry,
	type AreaGeometry,
	type MapFeature,
	type MapFeatureCollection,
	type PopulationClassKey
} from '$lib/domain/map.ts';
import type { PageServerLoad } from './$types';

/** This page runs in the browser for its map (Leaflet, loaded when shown); the public layout turns that off elsewhere. */
export const csr = true;

/** How many of the most populated communes get their name printed on the map. */
const LABELLED_COMMUNES = 8;
const STAFF_ROLES = new Set(['admin', 'advisor']);

/**
 * Simplified outlines by INSEE code, kept for the life of the process and refreshed when
 * an outline changes (`geometryUpdatedAt`): stale ones are read in one query.
 */
const outlineCache = new Map<string, { stamp: string; geometry: AreaGeometry | null }>();

async function refreshOutlines(
	communes: { code: string; hasGeometry: boolean; geometryUpdatedAt: Date | null }[],
	db: Parameters<typeof listCommuneOutlines>[1]['db']
): Promise<void> {
	const stampOf = (commune: (typeof communes)[number]) => commune.geometryUpdatedAt?.toISOString() ?? '';
	const stale = communes.filter((c) => c.hasGeometry && outlineCache.get(c.code)?.stamp !== stampOf(c));
	if (stale.length === 0) return;
	const { outlines } = await listCommuneOutlines({ codes: stale.map((c) => c.code) }, { db });
	for (const commune of stale) {
		const outline = outlines.get(commune.code);
		outlineCache.set(commune.code, {
			stamp: stampOf(commune),
			geometry: outline ? simplifyGeometry(outline) : null
		});
	}
}

export type MapCommune = {
	code: string;
	name: string;
	population: number | null;
	category: PopulationClassKey;
};

export const load: PageServerLoad = async ({ locals }) => {
	const { database, config } = getApp();
	const db = database.db;
	const isStaff = Boolean(locals.actor && STAFF_ROLES.has(locals.actor.role));
	const isAdmin = locals.actor?.role === 'admin';
	const tiles = { tileUrl: config.tileUrl || null, tileAttribution: config.tileAttribution || null };
	const empty: MapFeatureCollection = { type: 'FeatureCollection', features: [] };

	const { programme } = await findPublicProgramme({}, { db });
	const codes = programme?.departements ?? [];
	if (codes.length === 0) {
		return {
			territory: '',
			communes: [] as MapCommune[],
			features: empty,
			missing: 0,
			isStaff,
			isAdmin,
			...tiles
		};
	}
	const { departements } = checkDepartements({ departements: codes });
	const territory = departements.map((d) => `${d.name} (${d.code})`).join(', ');
	const { communes: rows } = await listCommunes({ departements: codes, limit: 5000 }, { db });

	const communes: MapCommune[] = rows.map((row) => ({
		code: row.code,
		name: row.name,
		population: row.population,
		category: populationClass(row.population)
	}));
	const labelled = new Set(
		[...rows]
			.filter((row) => row.population !== null)
			.sort((a, b) => (b.population ?? 0) - (a.population ?? 0))
			.slice(0, LABELLED_COMMUNES)
			.map((row) => row.code)
	);

	await refreshOutlines(rows, db);
	const features: MapFeature[] = [];
	for (const [index, row] of rows.entries()) {
		if (!row.hasGeometry) continue;
		const geometry = outlineCache.get(row.code)?.geometry ?? null;
		if (!geometry) continue;
		features.push({
			type: 'Feature',
			properties: {
				code: row.code,
				name: row.name,
				category: communes[index].category,
				...(labelled.has(row.code) && {
					labelled: true,
					labelPosition:
						row.centroidLon !== null && row.centroidLat !== null ? [row.centroidLon, row.centroidLat] : null
				})
			},
			geometry
		});
	}

	return {
		territory,
		communes,
		features: { type: 'FeatureCollection', features } satisfies MapFeatureCollection,
		missing: communes.length - features.length,
		isStaff,
		isAdmin,
		...tiles
	};
};
