/**
 * Where listings are on the territory, for the cards and locator maps of the public site and of
 * the back office (PlaceOutline.svelte, PlaceLocator.svelte). The outlines drawn are those of
 * `/map/outlines.svg?d=light` (territory-outlines.service.ts: 3 decimals and Douglas–Peucker at
 * ≈ 200 m, kept per commune for the life of the process); `version` and `bounds` let a page
 * draw them from that file rather than carry them.
 */
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { getPublicOutlines, type OutlineDetail } from './territory-outlines.service.ts';
import { listCommunes } from './territory.service.ts';
import {
	outlinesViewBox,
	pointOnOutlines,
	type AreaGeometry,
	type Bounds,
	type OutlinePlace,
	type PlaceOutlines
} from '#domain/map.ts';

export type TerritoryCommune = {
	code: string;
	name: string;
	population: number | null;
	centroid: { lat: number; lon: number } | null;
	geometry: AreaGeometry | null;
};

/** The territory's outlines: their version, extent and the programme whose files serve them. */
export type TerritoryOutlines = { version: string; bounds: Bounds | null; programmeSlug: string };

/** What a territory map is drawn for: a programme's slug (named in the files' URLs) and départements. */
export type TerritoryProgramme = { slug: string; departements: string[] };

export type Places = {
	outlines: PlaceOutlines | null;
	placeOf: (code: string | null, position?: { lat: number; lon: number } | null) => OutlinePlace | null;
};

/**
 * URLs of the outline files of a version (served by `/map/outlines.svg` and `.json`). They name
 * the programme (`p`), so that a page draws its own programme's territory whatever the host or
 * prefix it is read on (a back office used on another programme's host, a prefixed page).
 */
export function outlineUrls(
	detail: OutlineDetail,
	{ version, programmeSlug }: Pick<TerritoryOutlines, 'version' | 'programmeSlug'>
): { svg: string; json: string } {
	const query = `?v=${version}${detail === 'light' ? '&d=light' : ''}&p=${encodeURIComponent(programmeSlug)}`;
	return { svg: `/map/outlines.svg${query}`, json: `/map/outlines.json${query}` };
}

/** The communes of the programme's départements, with their light outlines and the outlines' version. */
export async function loadTerritoryMap(
	{ programme }: { programme: TerritoryProgramme },
	{ db }: { db: Db }
): Promise<{ communes: TerritoryCommune[]; outlines: TerritoryOutlines }> {
	const departements = programme.departements;
	const rows = departements.length
		? (await listCommunes({ departements, limit: 5000 }, { db })).communes
		: [];
	const { outlines } = await getPublicOutlines({ detail: 'light', communes: rows, departements }, { db });
	const shapes = new Map(outlines.shapes.map((shape) => [shape.code, shape.geometry]));
	const communes = rows.map((row) => ({
		code: row.code,
		name: row.name,
		population: row.population,
		centroid:
			row.centroidLat !== null && row.centroidLon !== null
				? { lat: row.centroidLat, lon: row.centroidLon }
				: null,
		geometry: shapes.get(row.code) ?? null
	}));
	return {
		communes,
		outlines: { version: outlines.version, bounds: outlines.bounds, programmeSlug: programme.slug }
	};
}

/**
 * What cards and locator maps need to draw a place on the territory: the light outlines file
 * with its viewBox, and `placeOf`, which gives a commune's code and the point to mark (the
 * listing's own position when known, else the commune's centre). `outlines` is null when the
 * territory has no outline: cards then show their plain placeholder, pages no locator.
 */
export function placesFrom({
	communes,
	outlines
}: {
	communes: TerritoryCommune[];
	outlines: TerritoryOutlines;
}): Places {
	const bounds = outlines.bounds;
	if (!bounds) return { outlines: null, placeOf: () => null };
	const drawn = new Map(communes.filter((c) => c.geometry).map((c) => [c.code, c]));
	return {
		outlines: { svg: outlineUrls('light', outlines).svg, ...outlinesViewBox(bounds) },
		placeOf: (code, position) => {
			const commune = code ? drawn.get(code) : undefined;
			const at = position ?? commune?.centroid ?? null;
			const point = at ? pointOnOutlines(bounds, [at.lon, at.lat]) : null;
			return { code: commune ? commune.code : null, point: point && { x: point.x, y: point.y } };
		}
	};
}

/** `placesFrom` for a public page that has not read the territory's communes yet. */
export async function loadPlaces({ programme }: { programme: TerritoryProgramme }, { db }: { db: Db }) {
	return placesFrom(await loadTerritoryMap({ programme }, { db }));
}

/** A listing located on its programme's territory: what a locator map draws and says. */
export type ListingPlace = { outlines: PlaceOutlines; place: OutlinePlace; commune: string };

/**
 * Where a village, offer or workspace of the actor's programme is, for its back-office page: the
 * territory of that programme, the listing's commune highlighted and its point (its own
 * position when known, else the commune's centre). Null when the commune is not on the
 * territory's outlines (no outline imported, or a commune outside the programme's départements).
 * The caller has already read the listing through its service, which checked the actor's right.
 */
export async function findListingPlace(
	{
		actor,
		communeCode,
		position = null
	}: { actor: Actor; communeCode: string | null; position?: { lat: number; lon: number } | null },
	{ db }: { db: Db }
): Promise<{ place: ListingPlace | null }> {
	if (!communeCode) return { place: null };
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) return { place: null };
	// The actor's programme, whatever host the back office is used on.
	const territory = await loadTerritoryMap({ programme }, { db });
	const commune = territory.communes.find((row) => row.code === communeCode);
	const places = placesFrom(territory);
	const place = places.placeOf(communeCode, position);
	if (!commune || !places.outlines || !place?.code) return { place: null };
	return { place: { outlines: places.outlines, place, commune: commune.name } };
}
