import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Reader of the official geographic code (COG) shipped by the npm package
 * `@etalab/decoupage-administratif`: the territory import works offline from it.
 */

/** One entry of `communes.json` (current, delegated, associated communes and municipal arrondissements). */
export type CogCommune = {
	code: string;
	nom: string;
	type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
	departement?: string;
	region?: string;
	arrondissement?: string;
	population?: number;
	codesPostaux?: string[];
	/** Codes of the communes merged into this one. */
	anciensCodes?: string[];
	/** For delegated and associated communes: the current commune they belong to. */
	chefLieu?: string;
};

export type CogEpci = {
	code: string;
	nom: string;
	/** CC, CA, CU, METRO or MET69. */
	type: string;
	populationMunicipale?: number;
	membres: { code: string; nom: string }[];
};

export type CogDepartement = { code: string; nom: string; region: string };

export type CogData = {
	communes: CogCommune[];
	epcis: CogEpci[];
	departements: CogDepartement[];
};

const require = createRequire(import.meta.url);
let cached: CogData | undefined;

function readDataFile<T>(name: string): T {
	const path = require.resolve(`@etalab/decoupage-administratif/data/${name}`);
	return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Loads the COG data once per process (about 12 MB of JSON, parsed in ~150 ms). */
export function loadCogData(): CogData {
	cached ??= {
		communes: readDataFile<CogCommune[]>('communes.json'),
		epcis: readDataFile<CogEpci[]>('epci.json'),
		departements: readDataFile<CogDepartement[]>('departements.json')
	};
	return cached;
}

export type CogRegion = { code: string; nom: string; departements: string[] };
let regionsCached: CogRegion[] | undefined;

/** The régions with their départements (two small files, read once per process; no communes). */
export function loadCogRegions(): CogRegion[] {
	if (!regionsCached) {
		const departements = loadCogDepartements();
		regionsCached = readDataFile<{ code: string; nom: string }[]>('regions.json').map((region) => ({
			code: region.code,
			nom: region.nom,
			departements: departements.filter((d) => d.region === region.code).map((d) => d.code)
		}));
	}
	return regionsCached;
}

let departementsCached: CogDepartement[] | undefined;

/** The départements with their names (one small file, read once per process; no communes). */
export function loadCogDepartements(): CogDepartement[] {
	departementsCached ??= readDataFile<CogDepartement[]>('departements.json');
	return departementsCached;
}
