import { basename } from 'node:path';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { loadCogData } from '../../geo/cog.ts';
import { readJsonFile } from '../../geo/geojson.ts';
import { findBundledReference } from '../../geo/reference.ts';
import { createLogger } from '../../logger.ts';
import { recordSettingsChange } from '../audit/audit.service.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findProgrammeMetropole } from '../village/village.repository.ts';
import {
	territoryFileRequired,
	territoryFileTooLarge,
	territoryForbidden,
	territoryInseeNoMatch,
	territoryInvalidJson,
	territoryNoBundledData,
	territoryOutlinesOtherDepartement
} from './territory.errors.ts';
import { countReferenceDataByDepartement, type DepartementReferenceCounts } from './territory.repository.ts';
import {
	importInseeAttributes,
	readInseeFile,
	type ImportInseeAttributesResult
} from './territory-insee.service.ts';
import {
	importCommuneGeometry,
	parseCommuneOutlines,
	type ImportCommuneGeometryResult,
	type OnProgress
} from './territory.service.ts';

const log = createLogger({ namespace: 'territory:admin' });

/** Bigger than any département's outlines (1–2 MB) and below the server's body limit (10 MB). */
export const MAX_REFERENCE_UPLOAD_BYTES = 8 * 1024 * 1024;

/** What the territory lacks, in the order a programme officer would fix it. */
export const TERRITORY_GAPS = [
	'communes',
	'outlines',
	'insee',
	'canton_seats',
	'metropole',
	'metropole_position',
	'connectivity'
] as const;
export type TerritoryGap = (typeof TERRITORY_GAPS)[number];

export type TerritoryOverview = {
	programme: { id: string; name: string };
	departements: (DepartementReferenceCounts & { name: string; hasBundledData: boolean })[];
	totals: Omit<DepartementReferenceCounts, 'departement' | 'outlineSource' | 'inseeSource'>;
	metropole: { code: string; name: string; hasPosition: boolean } | null;
	gaps: TerritoryGap[];
};

/** Reference data is changed by programme admins only (it moves every map and figure). */
function assertAdmin(actor: Actor | null): asserts actor is Actor {
	if (!actor || actor.role !== 'admin') throw territoryForbidden({ userId: actor?.userId ?? null });
}

/** The département of an INSEE commune code (2A/2B for Corsica, 97x overseas). */
export function departementOfCommune(code: string): string {
	return code.startsWith('97') ? code.slice(0, 3) : code.slice(0, 2);
}

/**
 * What the territory of the actor's programme holds and lacks: per département, communes,
 * outlines, INSEE attributes and broadband data; the metropole and whether its position is
 * known. Admins only.
 */
export async function getTerritoryOverview(
	{ actor }: { actor: Actor | null },
	{ db }: { db: Db }
): Promise<TerritoryOverview> {
	assertAdmin(actor);
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) throw territoryForbidden({ userId: actor.userId });
	const cog = loadCogData();
	const counts = await countReferenceDataByDepartement({ db, departements: programme.departements });
	const departements = programme.departements.map((code) => {
		const row = counts.find((c) => c.departement === code);
		return {
			departement: code,
			communes: row?.communes ?? 0,
			withOutline: row?.withOutline ?? 0,
			withAavCategory: row?.withAavCategory ?? 0,
			withCanton: row?.withCanton ?? 0,
			withCantonSeatFlag: row?.withCantonSeatFlag ?? 0,
			withConnectivity: row?.withConnectivity ?? 0,
			outlineSource: row?.outlineSource ?? null,
			inseeSource: row?.inseeSource ?? null,
			name: cog.departements.find((d) => d.code === code)?.nom ?? code,
			hasBundledData: findBundledReference([code]) !== null
		};
	});
	const sum = (key: keyof TerritoryOverview['totals']) => departements.reduce((n, d) => n + d[key], 0);
	const totals = {
		communes: sum('communes'),
		withOutline: sum('withOutline'),
		withAavCategory: sum('withAavCategory'),
		withCanton: sum('withCanton'),
		withCantonSeatFlag: sum('withCantonSeatFlag'),
		withConnectivity: sum('withConnectivity')
	};
	const position = await findProgrammeMetropole({ db, programmeId: programme.id });
	const metropole = programme.metropoleCode
		? {
				code: programme.metropoleCode,
				name: cog.communes.find((c) => c.code === programme.metropoleCode)?.nom ?? programme.metropoleCode,
				hasPosition: position !== null
			}
		: null;
	const gaps: TerritoryGap[] = [];
	if (totals.communes === 0 || departements.some((d) => d.communes === 0)) gaps.push('communes');
	if (totals.communes > 0 && totals.withOutline < totals.communes) gaps.push('outlines');
	if (totals.communes > 0 && totals.withAavCategory < totals.communes) gaps.push('insee');
	if (totals.communes > 0 && totals.withCantonSeatFlag < totals.communes) gaps.push('canton_seats');
	if (!metropole) gaps.push('metropole');
	else if (!metropole.hasPosition) gaps.push('metropole_position');
	if (totals.communes > 0 && totals.withConnectivity === 0) gaps.push('connectivity');
	return { programme: { id: programme.id, name: programme.name }, departements, totals, metropole, gaps };
}

/** An uploaded file: its name (recorded as the source) and its bytes. */
export type UploadedFile = { name: string; bytes: Uint8Array };

function checkUpload(file: UploadedFile | null | undefined, field: string): UploadedFile {
	if (!file || file.bytes.length === 0) throw territoryFileRequired({ field });
	if (file.bytes.length > MAX_REFERENCE_UPLOAD_BYTES) {
		throw territoryFileTooLarge({
			field,
			file: file.name,
			maxMegabytes: MAX_REFERENCE_UPLOAD_BYTES / 1024 / 1024
		});
	}
	return file;
}

/**
 * Imports commune outlines uploaded by an admin (a GeoJSON FeatureCollection), with the
 * report of the CLI (matched, merged, unknown codes). A file with no commune of the
 * programme's départements is refused before anything is written (`field: 'file'`).
 */
export async function uploadCommuneOutlines(
	{ actor, input }: { actor: Actor | null; input: { file: UploadedFile | null } },
	{ db, onProgress }: { db: Db; onProgress?: OnProgress }
): Promise<ImportCommuneGeometryResult> {
	assertAdmin(actor);
	const file = checkUpload(input.file, 'file');
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) throw territoryForbidden({ userId: actor.userId });
	let geojson: unknown;
	try {
		geojson = JSON.parse(new TextDecoder('utf-8').decode(file.bytes));
	} catch (error) {
		throw territoryInvalidJson({ field: 'file', file: file.name, detail: (error as Error).message });
	}
	const { features } = parseCommuneOutlines({ geojson, source: file.name });
	const found = [...new Set(features.map((f) => departementOfCommune(f.code)))].sort();
	if (!found.some((code) => programme.departements.includes(code))) {
		throw territoryOutlinesOtherDepartement({
			field: 'file',
			file: file.name,
			found: found.join(', ') || '-',
			expected: programme.departements.join(', ')
		});
	}
	const result = await db.transaction(async (tx) => {
		const imported = await importCommuneGeometry(
			{ geojson: { type: 'FeatureCollection', features: features.map(toFeature) }, source: file.name },
			{ db: tx, onProgress }
		);
		await recordSettingsChange(
			{
				programmeId: programme.id,
				actor,
				section: 'reference_outlines',
				before: {},
				after: { file: file.name, matched: imported.matched, updated: imported.updated }
			},
			{ db: tx }
		);
		return imported;
	});
	log.info(
		{ programmeId: programme.id, userId: actor.userId, matched: result.matched, updated: result.updated },
		'Commune outlines uploaded'
	);
	return result;
}

/** Back to GeoJSON for `importCommuneGeometry`, which parses its input itself. */
function toFeature(feature: ReturnType<typeof parseCommuneOutlines>['features'][number]) {
	return {
		type: 'Feature',
		properties: { code: feature.code, nom: feature.name },
		geometry: feature.geometry
	};
}

/**
 * Imports the INSEE commune table (and the optional COG cantons file) uploaded by an admin,
 * with the report of the CLI. A table describing no commune of the territory is refused
 * (`field: 'communes'`) and nothing is written.
 */
export async function uploadInseeTable(
	{
		actor,
		input
	}: { actor: Actor | null; input: { communes: UploadedFile | null; cantons?: UploadedFile | null } },
	{ db }: { db: Db }
): Promise<ImportInseeAttributesResult> {
	assertAdmin(actor);
	const communes = checkUpload(input.communes, 'communes');
	const cantons =
		input.cantons && input.cantons.bytes.length > 0 ? checkUpload(input.cantons, 'cantons') : null;
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) throw territoryForbidden({ userId: actor.userId });
	const copy = (file: UploadedFile) => ({ name: file.name, bytes: new Uint8Array(file.bytes) });
	const result = await db.transaction(async (tx) => {
		const imported = await importInseeAttributes(
			{ communes: copy(communes), cantons: cantons ? copy(cantons) : null },
			{ db: tx }
		);
		// Only matched rows (own or former codes) are written: with none, nothing was.
		if (imported.matched === 0 && imported.mappedFromFormer.length === 0) {
			throw territoryInseeNoMatch({
				field: 'communes',
				file: communes.name,
				expected: programme.departements.join(', ')
			});
		}
		await recordSettingsChange(
			{
				programmeId: programme.id,
				actor,
				section: 'reference_insee',
				before: {},
				after: {
					file: communes.name,
					cantons: cantons?.name ?? null,
					matched: imported.matched,
					updated: imported.updated
				}
			},
			{ db: tx }
		);
		return imported;
	});
	log.info(
		{ programmeId: programme.id, userId: actor.userId, matched: result.matched, updated: result.updated },
		'INSEE attributes uploaded'
	);
	return result;
}

export type ImportBundledReferenceResult = {
	/** Départements whose bundled files were imported. */
	departements: string[];
	outlines: ImportCommuneGeometryResult[];
	insee: ImportInseeAttributesResult[];
};

/**
 * Imports the reference data bundled with soho (outlines and INSEE attributes) of those
 * départements it ships files for; the others are left out (an empty result when none).
 * Communes are shared reference data: a new programme calls this with no actor when it is
 * created, so that its map and geography work offline from the first page.
 */
export async function importBundledReferenceOf(
	{ departements }: { departements: readonly string[] },
	{ db }: { db: Db }
): Promise<ImportBundledReferenceResult> {
	const bundles = departements.flatMap((code) => findBundledReference([code]) ?? []);
	const result: ImportBundledReferenceResult = { departements: [], outlines: [], insee: [] };
	for (const bundle of bundles) {
		result.outlines.push(
			await importCommuneGeometry(
				{ geojson: readJsonFile(bundle.outlines), source: basename(bundle.outlines) },
				{ db }
			)
		);
		result.insee.push(
			await importInseeAttributes(
				{ communes: readInseeFile(bundle.inseeCommunes), cantons: readInseeFile(bundle.inseeCantons) },
				{ db }
			)
		);
		result.departements.push(bundle.departement);
	}
	return result;
}

/**
 * Imports the reference data bundled with soho (outlines and INSEE attributes) for every
 * département of the programme that has some (the Gers today), offline. Admins only; a
 * programme without bundled files gets `territory.no_bundled_data`.
 */
export async function importBundledReference(
	{ actor }: { actor: Actor | null },
	{ db }: { db: Db }
): Promise<ImportBundledReferenceResult> {
	assertAdmin(actor);
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) throw territoryForbidden({ userId: actor.userId });
	const result = await importBundledReferenceOf({ departements: programme.departements }, { db });
	if (result.departements.length === 0) {
		throw territoryNoBundledData({ departements: programme.departements.join(', ') });
	}
	log.info(
		{ programmeId: programme.id, userId: actor.userId, departements: result.departements },
		'Bundled reference data imported'
	);
	return result;
}
