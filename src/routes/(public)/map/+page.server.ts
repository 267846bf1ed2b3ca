import { getApp } from '#server/app.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { getPublicOutlines } from '#server/domain/territory/territory-outlines.service.ts';
import { checkDepartements, listCommunes } from '#server/domain/territory/territory.service.ts';
import {
	labelPoint,
	populationClass,
	type Bounds,
	type MapFeatureProperties,
	type PopulationClassKey
} from '$lib/domain/map.ts';
import { outlineUrls } from '#server/domain/territory/territory-places.service.ts';
import type { PageServerLoad } from './$types';

/** This page runs in the browser for its map (Leaflet, loaded when shown); the public layout turns that off elsewhere. */
export const csr = true;

/** How many of the most populated communes get their name printed on the map. */
const LABELLED_COMMUNES = 8;
const STAFF_ROLES = new Set(['admin', 'advisor']);

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
	const empty: {
		type: 'FeatureCollection';
		features: { type: 'Feature'; properties: MapFeatureProperties }[];
	} = {
		type: 'FeatureCollection',
		features: []
	};

	const { programme } = await findPublicProgramme({ programmeId: locals.programmeOfHost }, { db });
	const codes = programme?.departements ?? [];
	if (!programme || codes.length === 0) {
		return {
			territory: '',
			communes: [] as MapCommune[],
			features: empty,
			outlines: null as { svg: string; json: string; bounds: Bounds } | null,
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

	// The shapes live in /map/outlines.svg and .json (cached by version); the page names and colours them.
	const { outlines } = await getPublicOutlines(
		{ detail: 'fine', communes: rows, departements: codes },
		{ db }
	);
	const shapes = new Map(outlines.shapes.map((shape) => [shape.code, shape.geometry]));
	const features: (typeof empty)['features'] = [];
	for (const [index, row] of rows.entries()) {
		const geometry = shapes.get(row.code);
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
						row.centroidLon !== null && row.centroidLat !== null
							? [row.centroidLon, row.centroidLat]
							: labelPoint(geometry)
				})
			}
		});
	}

	return {
		territory,
		communes,
		features: { type: 'FeatureCollection' as const, features },
		outlines: outlines.bounds
			? {
					...outlineUrls('fine', { version: outlines.version, programmeSlug: programme.slug }),
					bounds: outlines.bounds
				}
			: null,
		missing: communes.length - features.length,
		isStaff,
		isAdmin,
		...tiles
	};
};
