import type { AreaGeometry } from '../../../domain/map.ts';
import type { GeoCommune } from './geography.rules.ts';

/** Side of a synthetic commune, in degrees. */
export const CELL = 0.05;
/** South-west corner of the synthetic territory (in the Gers, for realistic latitudes). */
export const ORIGIN = { lat: 43.3, lon: 0.0 };
/** A metropole west of the grid, on its middle row. */
export const GRID_METROPOLE = { lat: 43.3 + 6 * CELL, lon: -0.3 };

const square = (lon: number, lat: number): AreaGeometry => ({
	type: 'Polygon',
	coordinates: [
		[
			[lon, lat],
			[lon + CELL, lat],
			[lon + CELL, lat + CELL],
			[lon, lat + CELL],
			[lon, lat]
		]
	]
});

/**
 * A synthetic territory: `size` × `size` square communes (codes 32001…), column 0 nearest to
 * the metropole. Every commune has 500 inhabitants, except every seventh (1,500) so that the
 * population baseline differs a little. Column 0 is the crown of a pole at (0, 6); the others
 * are outside any urban area; the first commune of each row is its canton's chef-lieu.
 */
export function gridCommunes(size = 12): (GeoCommune & { column: number; row: number })[] {
	const communes: (GeoCommune & { column: number; row: number })[] = [];
	for (let row = 0; row < size; row++) {
		for (let column = 0; column < size; column++) {
			const index = row * size + column;
			const lon = ORIGIN.lon + column * CELL;
			const lat = ORIGIN.lat + row * CELL;
			communes.push({
				code: `32${String(index + 1).padStart(3, '0')}`,
				name: `Commune ${row}-${column}`,
				population: index % 7 === 0 ? 1500 : 500,
				lat: lat + CELL / 2,
				lon: lon + CELL / 2,
				aavCategory: column === 0 && row === 6 ? '11' : column <= 1 ? '20' : '30',
				isCantonSeat: column === 0 || column === 6,
				geometry: square(lon, lat),
				column,
				row
			});
		}
	}
	return communes;
}
