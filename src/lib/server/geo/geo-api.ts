import { territoryGeoApiError, territoryGeoApiUnreachable } from '../domain/territory/territory.errors.ts';

/** The `fetch` the client uses: the global one in production, a local server's in tests. */
export type FetchFn = typeof globalThis.fetch;

/** geo.api.gouv.fr usually answers in about a second; beyond this we call it offline. */
export const GEO_API_TIMEOUT_MS = 10_000;

/** The URL of the commune outlines of one département, as GeoJSON. */
export function departementCommunesUrl(baseUrl: string, departement: string): string {
	const base = baseUrl.replace(/\/+$/, '');
	return `${base}/departements/${encodeURIComponent(departement)}/communes?format=geojson&geometry=contour&fields=code,nom`;
}

/**
 * Fetches the commune outlines of one département from geo.api.gouv.fr (adapter).
 * A network failure or time-out becomes `territory.geo_api_unreachable`; an error
 * status or a body that is not JSON becomes `territory.geo_api_error`.
 */
export async function fetchDepartementCommunes(
	{ departement }: { departement: string },
	{ baseUrl, fetch, timeoutMs = GEO_API_TIMEOUT_MS }: { baseUrl: string; fetch: FetchFn; timeoutMs?: number }
): Promise<unknown> {
	const url = departementCommunesUrl(baseUrl, departement);
	const host = new URL(url).host;
	let response: Response;
	try {
		response = await fetch(url, {
			headers: { accept: 'application/geo+json, application/json' },
			signal: AbortSignal.timeout(timeoutMs)
		});
	} catch {
		throw territoryGeoApiUnreachable({ host, seconds: Math.round(timeoutMs / 1000) });
	}
	if (!response.ok) {
		await response.body?.cancel().catch(() => {});
		throw territoryGeoApiError({ host, status: String(response.status), departement });
	}
	try {
		return await response.json();
	} catch (error) {
		// A time-out while reading the body is still "unreachable".
		if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') {
			throw territoryGeoApiUnreachable({ host, seconds: Math.round(timeoutMs / 1000) });
		}
		throw territoryGeoApiError({ host, status: 'not JSON', departement });
	}
}
