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
import { findProgrammeById } from '../programme/programme.repository.ts';
import { observatoryForbidden } from './observatory.errors.ts';
import type { ObservatoryContext } from './observatory.context.ts';
import type { ObservatoryViewer } from './observatory.types.ts';

/** One commune of the map: its outline, lightened for the page (3 decimals ≈ 100 m). */
export type GeographyMapCommune = { code: string; name: string; geometry: AreaGeometry };

export type GeographySection = Geography & {
	period: ObservatoryPeriod;
	/** The metropole distances are measured to; null when the programme has none. */
	metropole: { code: string | null; name: string; lat: number; lon: number } | null;
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
	return { ...geography, period: context.period, metropole };
}

/**
 * The outlines of the programme's communes for the server-drawn map of the geography page (kept
 * out of the section's figures, which the API, the CLI and the report also read).
 */
export async function getGeographyMap(
	{ viewer }: { viewer: ObservatoryViewer },
	{ db }: { db: Db }
): Promise<{ communes: GeographyMapCommune[] }> {
	const programme = await findProgrammeById({ db, programmeId: viewer.programmeId });
	if (!programme) throw observatoryForbidden({ programmeId: viewer.programmeId });
	const communes: GeographyMapCommune[] = [];
	for (const commune of await findTerritoryCommunes({ db, departements: programme.departements })) {
		const geometry = commune.geometry ? simplifyGeometry(commune.geometry, 3) : null;
		if (geometry) communes.push({ code: commune.code, name: commune.name, geometry });
	}
	return { communes };
}
