#!/usr/bin/env node
// Regenerates the demo reference data bundled in src/lib/server/geo/reference/gers/ from the
// open data of ../shared/data (see that folder's SOURCES.md and reference/SOURCES.md here):
//
//   node scripts/build-reference-data.js [SHARED_DATA_DIR]   (default ../shared/data)
//
// - communes-32-gers.geojson: the Gers commune outlines (IGN Admin Express COG 2018 via
//   gregoiredavid/france-geojson), coordinates rounded to 4 decimals (about 10 m) and
//   consecutive points that became equal dropped; properties `code` and `nom` only.
// - table-appartenance-geo-communes-22-gers.csv: the Gers rows of INSEE's commune table
//   (2022), columns CODGEO, LIBGEO, DEP, CV, AAV2020, CATEAAV2020, in UTF-8, with the leading
//   zeros the spreadsheet export had dropped put back (AAV2020 5 → 005).
// - cog-cantons@2025-gers.csv: the Gers rows of the COG 2025 cantons file, unchanged.
//
// The output is deterministic: running it twice gives the same bytes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const shared = process.argv[2] ?? '../shared/data';
const out = 'src/lib/server/geo/reference/gers';
const DEPARTEMENT = '32';
const DECIMALS = 4;

mkdirSync(out, { recursive: true });

// Outlines -----------------------------------------------------------------------------
const factor = 10 ** DECIMALS;
const round = (n) => Math.round(n * factor) / factor;

/** A ring with rounded positions and no two equal consecutive positions; null if it collapses. */
function simplifyRing(ring) {
	const points = [];
	for (const [lon, lat] of ring) {
		const point = [round(lon), round(lat)];
		const last = points.at(-1);
		if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
	}
	const [first, last] = [points[0], points.at(-1)];
	if (first[0] !== last[0] || first[1] !== last[1]) points.push([...first]);
	return points.length >= 4 ? points : null;
}

/** A polygon's rings, rounded; the outer ring is kept (unsimplified but rounded) even if tiny. */
function simplifyPolygon(rings) {
	const result = [];
	for (const [index, ring] of rings.entries()) {
		const simplified = simplifyRing(ring);
		if (simplified) result.push(simplified);
		else if (index === 0) result.push(ring.map(([lon, lat]) => [round(lon), round(lat)]));
	}
	return result;
}

const source = JSON.parse(readFileSync(join(shared, 'geo/gers/communes-32-gers.geojson'), 'utf8'));
let pointsIn = 0;
let pointsOut = 0;
const features = source.features
	.filter((f) => String(f.properties.code).startsWith(DEPARTEMENT))
	.sort((a, b) => a.properties.code.localeCompare(b.properties.code))
	.map((feature) => {
		const { type, coordinates } = feature.geometry;
		const polygons = type === 'Polygon' ? [coordinates] : coordinates;
		const simplified = polygons.map(simplifyPolygon);
		for (const polygon of polygons) for (const ring of polygon) pointsIn += ring.length;
		for (const polygon of simplified) for (const ring of polygon) pointsOut += ring.length;
		return {
			type: 'Feature',
			properties: { code: feature.properties.code, nom: feature.properties.nom },
			geometry:
				type === 'Polygon'
					? { type: 'Polygon', coordinates: simplified[0] }
					: { type: 'MultiPolygon', coordinates: simplified }
		};
	});
const geojson =
	'{"type":"FeatureCollection","features":[\n' +
	features.map((f) => JSON.stringify(f)).join(',\n') +
	'\n]}\n';
writeFileSync(join(out, 'communes-32-gers.geojson'), geojson);
console.log(
	`communes-32-gers.geojson: ${features.length} communes, ${pointsIn} → ${pointsOut} points, ${geojson.length} bytes`
);

// INSEE commune table --------------------------------------------------------------------
const communeTable = new TextDecoder('windows-1252').decode(
	readFileSync(join(shared, 'insee/table-appartenance-geo-communes-22.csv'))
);
const [header, ...lines] = communeTable.split(/\r?\n/).filter(Boolean);
const columns = header.split(';');
const at = (name) => columns.indexOf(name);
const KEPT = ['CODGEO', 'LIBGEO', 'DEP', 'CV', 'AAV2020', 'CATEAAV2020'];
const pad = (value, length) => (/^\d+$/.test(value) ? value.padStart(length, '0') : value);
const rows = lines
	.map((line) => line.split(';'))
	.filter((cells) => pad(cells[at('DEP')], 2) === DEPARTEMENT)
	.map((cells) => {
		const cell = (name) => cells[at(name)];
		return [
			pad(cell('CODGEO'), 5),
			cell('LIBGEO'),
			pad(cell('DEP'), 2),
			pad(cell('CV'), 4),
			pad(cell('AAV2020'), 3),
			cell('CATEAAV2020')
		].join(';');
	})
	.sort();
writeFileSync(
	join(out, 'table-appartenance-geo-communes-22-gers.csv'),
	[KEPT.join(';'), ...rows].join('\n') + '\n'
);
console.log(`table-appartenance-geo-communes-22-gers.csv: ${rows.length} communes`);

// COG cantons --------------------------------------------------------------------------
const cantonLines = readFileSync(join(shared, 'insee/cog-cantons@2025.csv'), 'utf8')
	.split('\n')
	.filter(Boolean);
// Canton codes are the département code followed by two digits: 3201…3299 for the Gers.
const gersCantons = cantonLines.slice(1).filter((line) => new RegExp(`^${DEPARTEMENT}\\d\\d,`).test(line));
writeFileSync(join(out, 'cog-cantons@2025-gers.csv'), [cantonLines[0], ...gersCantons].join('\n') + '\n');
console.log(`cog-cantons@2025-gers.csv: ${gersCantons.length} cantons`);
