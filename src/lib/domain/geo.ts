/**
 * Distances on the globe: pure functions, safe in the browser too.
 *
 * Distances to the metropole are straight lines between centroids ("as the crow
 * flies"), not road distances: good enough to compare communes with one another,
 * which is what the observatory and the search filters do.
 */

/** A point in WGS84 degrees. */
export type LatLon = { lat: number; lon: number };

/** Mean Earth radius (IUGG), in km. */
export const EARTH_RADIUS_KM = 6371.0088;

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance between two points, in km (haversine formula). */
export function haversineKm(a: LatLon, b: LatLon): number {
	const dLat = toRadians(b.lat - a.lat);
	const dLon = toRadians(b.lon - a.lon);
	const h =
		Math.sin(dLat / 2) ** 2 +
		Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A point whose coordinates may be unknown (a commune without an outline yet). */
export type MaybeLatLon = { lat: number | null | undefined; lon: number | null | undefined };

function isKnown(point: MaybeLatLon | null | undefined): point is LatLon {
	return (
		point != null &&
		typeof point.lat === 'number' &&
		typeof point.lon === 'number' &&
		Number.isFinite(point.lat) &&
		Number.isFinite(point.lon)
	);
}

/**
 * Distance from a commune's centroid to the programme's metropole, in km rounded to
 * one decimal; null when either position is unknown.
 */
export function distanceToMetropoleKm(
	commune: MaybeLatLon | null | undefined,
	metropole: MaybeLatLon | null | undefined
): number | null {
	if (!isKnown(commune) || !isKnown(metropole)) return null;
	return Math.round(haversineKm(commune, metropole) * 10) / 10;
}
