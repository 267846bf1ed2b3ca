import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import { isDomainError } from '../../errors.ts';
import type { FetchFn } from '../../geo/geo-api.ts';
import { readJsonFile } from '../../geo/geojson.ts';
import { findBundledReference, type BundledReference } from '../../geo/reference.ts';
import { importInseeAttributes, readInseeFile } from './territory-insee.service.ts';
import { fetchCommuneGeometry, importCommuneGeometry, initTerritory } from './territory.service.ts';

/** The demo must start quickly offline: give geo.api.gouv.fr a few seconds, not ten. */
export const DEMO_GEO_TIMEOUT_MS = 5_000;

export const INSEE_NOT_LOADED =
	'INSEE attributes (urban areas, cantons) not loaded: run `soho territory import-insee --communes FILE --cantons FILE` later.';

/**
 * The INSEE files of a folder: the newest commune table (table-appartenance-geo-communes-*.csv
 * or .xlsx) and the COG cantons file (cog-cantons*.csv or v_canton*.csv), or null.
 */
export function findInseeFiles(dir: string): { communes: string; cantons: string | null } | null {
	if (!existsSync(dir)) return null;
	let names: string[];
	try {
		names = readdirSync(dir).sort();
	} catch {
		return null;
	}
	const communes = names.filter((n) => /^table-appartenance-geo-communes.*\.(csv|xlsx)$/i.test(n)).pop();
	if (!communes) return null;
	const cantons = names.filter((n) => /^(cog-cantons|v_canton).*\.csv$/i.test(n)).pop();
	return { communes: join(dir, communes), cantons: cantons ? join(dir, cantons) : null };
}

/** `none` in SOHO_GEO_FILE or SOHO_INSEE_DIR: the demo seed imports no such file, not even the bundled one. */
export const NO_FILE = 'none';

/**
 * The INSEE files the demo seed imports: those of SOHO_INSEE_DIR when set, else the bundled
 * ones when they cover the programme's départements, else none.
 */
function pickInseeFiles(
	inseeDir: string | undefined,
	bundled: BundledReference[] | null
): { communes: string; cantons: string | null }[] {
	if (inseeDir === NO_FILE) return [];
	if (inseeDir) {
		const files = findInseeFiles(inseeDir);
		return files ? [files] : [];
	}
	return (bundled ?? []).map((b) => ({ communes: b.inseeCommunes, cantons: b.inseeCantons }));
}

/** Imports the INSEE attributes (see `pickInseeFiles`); logs one line, never throws a domain error. */
async function seedInseeAttributes({
	db,
	inseeDir,
	bundled,
	log
}: {
	db: Parameters<DemoSeedStep['run']>[0]['db'];
	inseeDir: string | undefined;
	bundled: BundledReference[] | null;
	log: (line: string) => void;
}): Promise<void> {
	const picked = pickInseeFiles(inseeDir, bundled);
	if (picked.length === 0) {
		log(INSEE_NOT_LOADED);
		return;
	}
	for (const files of picked) {
		try {
			const result = await importInseeAttributes(
				{
					communes: readInseeFile(files.communes),
					cantons: files.cantons ? readInseeFile(files.cantons) : null
				},
				{ db }
			);
			log(
				`INSEE attributes: ${result.matched} communes from ${result.source}${result.cantonsSource ? ` and ${result.cantonsSource}` : ''}.`
			);
		} catch (error) {
			if (!isDomainError(error)) throw error;
			log(`${INSEE_NOT_LOADED} (${error.code})`);
		}
	}
}

export const OUTLINES_NOT_LOADED =
	'Commune outlines not loaded (offline): run `soho geo import FILE` or `soho geo fetch` later, or upload a file on the Territory page of the back office.';

/**
 * The territory step of the demo seed: the programme's communes from the COG (offline),
 * their INSEE attributes and their outlines. Files come from SOHO_INSEE_DIR and SOHO_GEO_FILE
 * when set (`none`: no file), else from the reference data bundled with soho when it covers
 * the programme's départements (the Gers), else the outlines from geo.api.gouv.fr. Missing
 * files or outlines never fail the seed. Without an explicit `fetch`, tests never go online
 * (`config.isTest`).
 */
export function createTerritoryDemoSeedStep({
	fetch,
	findBundled = findBundledReference
}: {
	fetch?: FetchFn;
	/** The bundled files for some départements (tests pass `() => null`: a département soho has no files for). */
	findBundled?: (departements: readonly string[]) => BundledReference[] | null;
} = {}): DemoSeedStep {
	return {
		name: 'territory',
		async run({ db, config, programme, log }) {
			const territory = await initTerritory({ departements: programme.departements }, { db });
			log(
				`Territory: ${territory.communes.created + territory.communes.updated + territory.communes.unchanged} communes and ${territory.epcis.created + territory.epcis.updated + territory.epcis.unchanged} EPCI (département ${programme.departements.join(', ')}).`
			);
			const bundled = findBundled(programme.departements);
			// INSEE attributes (urban areas, cantons) from files only: never online.
			await seedInseeAttributes({ db, inseeDir: config.inseeDir, bundled, log });
			if (config.geoFile === NO_FILE) {
				log(OUTLINES_NOT_LOADED);
				return;
			}
			const outlineFiles = config.geoFile ? [config.geoFile] : (bundled ?? []).map((b) => b.outlines);
			try {
				if (outlineFiles.length > 0) {
					for (const file of outlineFiles) {
						const result = await importCommuneGeometry(
							{ geojson: readJsonFile(file), source: basename(file) },
							{ db }
						);
						log(`Commune outlines: ${result.matched} communes (${result.source}).`);
					}
					return;
				}
				const result =
					fetch || !config.isTest
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
						: outlineFiles.length > 0
							? `${OUTLINES_NOT_LOADED} (${error.code})`
							: OUTLINES_NOT_LOADED
				);
			}
		}
	};
}

export const territoryDemoSeedStep: DemoSeedStep = createTerritoryDemoSeedStep();
