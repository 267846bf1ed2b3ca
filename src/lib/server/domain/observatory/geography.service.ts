import type { Db } from '../../db/index.ts';
import { loadCogData } from '../../geo/cog.ts';
import { simplifyGeometry, type AreaGeometry } from '../../../domain/map.ts';
import {
	findMetropoleCommune,
	findPartnerVillageCodes,
	findTerritoryCommunes
} from './geography.repository.ts';
import { computeGeography, type GeoInstallation, type Geography } from './geography.rules.ts';
import { inPeriod, installationDate, yearOfDate, type ObservatoryPeriod } from './observatory.rules.ts';
import type { ObservatoryContext } from './observatory.service.ts';

/** One commune of the map: its outline (lightened for the page) and its installations. */
export type GeographyMapCommune = {
	code: string;
	name: string;
	installations: number;
	geometry: AreaGeometry;
};

export type GeographySection = Geography & {
	period: ObservatoryPeriod;
	/** The metropole distances are measured to; null when the programme has none. */
	metropole: { code: string | null; name: string; lat: number; lon: number } | null;
	/** Communes of the territory that have an outline, for the server-drawn map. */
	map: GeographyMapCommune[];
};

/** The installations of the selected households whose installation date falls in the period. */
export function installationsInPeriod(
	context: Pick<ObservatoryContext, 'cases' | 'period'>
): GeoInstallation[] {
	const out: GeoInstallation[] = [];
	for (const kase of context.cases) {
		const date = installationDate(kase);
		if (!date || !inPeriod(yearOfDate(date), context.period)) continue;
		out.push({ communeCode: kase.installedCommuneCode, persons: kase.householdSize });
	}
	return out;
}

/**
 * Where the selected households settled in the period: by commune (map and table), by distance
 * to the metropole, by urban-area category, population class and chef-lieu, each against the
 * communes, the population and the partner villages; Moran's I of installation rates.
 * The metropole is the programme's stored position, else the centroid of its commune.
 */
export async function computeGeographySection(
	context: ObservatoryContext,
	{ db }: { db: Db }
): Promise<GeographySection> {
	const programme = context.programme;
	const [communes, villageCodes, metropoleCommune] = await Promise.all([
		findTerritoryCommunes({ db, departements: programme.departements }),
		findPartnerVillageCodes({ db, programmeId: programme.id }),
		programme.metropoleCode ? findMetropoleCommune({ db, programmeId: programme.id }) : Promise.resolve(null)
	]);
	const lat = programme.metropoleLat ?? metropoleCommune?.lat ?? null;
	const lon = programme.metropoleLon ?? metropoleCommune?.lon ?? null;
	const metropoleName =
		metropoleCommune?.name ??
		(programme.metropoleCode
			? (loadCogData().communes.find((c) => c.code === programme.metropoleCode)?.nom ??
				programme.metropoleCode)
			: null);
	const metropole =
		lat !== null && lon !== null
			? { code: programme.metropoleCode, name: metropoleName ?? '', lat, lon }
			: null;
	const geography = computeGeography({
		communes,
		installations: installationsInPeriod(context),
		villageCodes,
		metropole: metropole ? { lat: metropole.lat, lon: metropole.lon } : null
	});
	const counts = new Map(geography.byCommune.map((c) => [c.code, c.installations]));
	const map: GeographyMapCommune[] = [];
	for (const commune of communes) {
		const geometry = commune.geometry ? simplifyGeometry(commune.geometry, 3) : null;
		if (!geometry) continue;
		map.push({
			code: commune.code,
			name: commune.name,
			installations: counts.get(commune.code) ?? 0,
			geometry
		});
	}
	return { ...geography, period: context.period, metropole, map };
}
