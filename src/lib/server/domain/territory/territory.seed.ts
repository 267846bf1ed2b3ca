import { basename } from 'node:path';
import type { DemoSeedStep } from '../../db/seed/demo.ts';
import { isDomainError } from '../../errors.ts';
import type { FetchFn } from '../../geo/geo-api.ts';
import { readJsonFile } from '../../geo/geojson.ts';
import { fetchCommuneGeometry, importCommuneGeometry, initTerritory } from './territory.service.ts';

/** The demo must start quickly offline: give geo.api.gouv.fr a few seconds, not ten. */
export const DEMO_GEO_TIMEOUT_MS = 5_000;

export const OUTLINES_NOT_LOADED =
	'Commune outlines not loaded (offline): run `soho geo import FILE` or `soho geo fetch` later.';

/**
 * The territory step of the demo seed: the programme's communes from the COG (offline),
 * then their outlines from SOHO_GEO_FILE or geo.api.gouv.fr. Missing outlines never
 * fail the seed. Without an explicit `fetch`, tests never go online (`config.isTest`).
 */
export function createTerritoryDemoSeedStep({ fetch }: { fetch?: FetchFn } = {}): DemoSeedStep {
	return {
		name: 'territory',
		async run({ db, config, programme, log }) {
			const territory = await initTerritory({ departements: programme.departements }, { db });
			log(
				`Territory: ${territory.communes.created + territory.communes.updated + territory.communes.unchanged} communes and ${territory.epcis.created + territory.epcis.updated + territory.epcis.unchanged} EPCI (département ${programme.departements.join(', ')}).`
			);
			try {
				const result = config.geoFile
					? await importCommuneGeometry(
							{ geojson: readJsonFile(config.geoFile), source: basename(config.geoFile) },
							{ db }
						)
					: fetch || !config.isTest
						? await fetchCommuneGeometry(
								{ departements: programme.departements },
								{ db, config, fetch: fetch ?? globalThis.fetch, timeoutMs: DEMO_GEO_TIMEOUT_MS }
							)
						: null;
				if (!result) log(OUTLINES_NOT_LOADED);
				else log(`Commune outlines: ${result.matched} communes (${result.source}).`);
			} catch (error) {
				if (!isDomainError(error)) throw error;
				log(
					config.geoFile
						? `Commune outlines not loaded from SOHO_GEO_FILE (${error.code}): run \`soho geo import FILE\` or \`soho geo fetch\` later.`
						: OUTLINES_NOT_LOADED
				);
			}
		}
	};
}

export const territoryDemoSeedStep: DemoSeedStep = createTerritoryDemoSeedStep();
