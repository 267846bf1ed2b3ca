import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { Commune } from '../../db/schema/territory.ts';
import { loadCogData } from '../../geo/cog.ts';
import { fetchDepartementCommunes, type FetchFn } from '../../geo/geo-api.ts';
import { parseCommuneFeatures, type CommuneFeature } from '../../geo/geojson.ts';
import { parseInput } from '../../validation.ts';
import type { CommuneChoice } from '../../../domain/communes.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { addProgrammeDepartements } from '../programme/programme.service.ts';
import {
	territoryCommuneNotFound,
	territoryGeoApiError,
	territoryNoCommunes,
	territoryNoDepartements,
	territoryUnknownDepartement
} from './territory.errors.ts';
import {
	countCommunes,
	countCommunesByDepartement,
	countCommunesWithoutGeometry,
	deleteFormerCommunes,
	findCommuneByCode,
	findCommuneGeometries,
	findCommuneRecords,
	findCommunes,
	findEpciRecords,
	findFormerCommunes,
	findImportedDepartements,
	updateCommuneGeometries,
	upsertCommunes,
	upsertEpcis,
	upsertFormerCommunes,
	type CommuneSummary
} from './territory.repository.ts';
import {
	chunk,
	COMMUNE_FIELDS,
	EPCI_FIELDS,
	FORMER_COMMUNE_FIELDS,
	findUnknownDepartements,
	formerCommuneKey,
	geometryCentroid,
	matchCommuneOutlines,
	planUpserts,
	sameGeometry,
	selectTerritoryRecords,
	type ChangeCount
} from './territory.rules.ts';
import {
	fetchCommuneGeometrySchema,
	getCommuneSchema,
	importCommuneGeometrySchema,
	initTerritorySchema,
	listCommunesSchema,
	type FetchCommuneGeometryInput,
	type ImportCommuneGeometryInput,
	type InitTerritoryInput,
	type ListCommunesInput
} from './territory.schemas.ts';

/** Progress of a long import, reported after each written batch (the CLI draws a bar from it). */
export type TerritoryProgress = {
	step: 'communes' | 'outlines' | 'download';
	done: number;
	total: number;
};
export type OnProgress = (progress: TerritoryProgress) => void;

/** Rows per INSERT … ON CONFLICT statement: 458 communes take three statements. */
const ROW_BATCH = 200;
/** Outlines are bigger (1–20 kB each): fewer per UPDATE statement. */
const OUTLINE_BATCH = 100;

/**
 * Normalises département codes and checks them against the COG, without touching the
 * database (the CLI calls it before opening PGlite, so a typo fails at once).
 */
export function checkDepartements({ departements }: { departements: string | string[] }): {
	departements: { code: string; name: string }[];
} {
	const { departements: codes } = parseInput(initTerritorySchema, { departements });
	const cog = loadCogData();
	const unknown = findUnknownDepartements(cog, codes);
	if (unknown.length > 0) throw territoryUnknownDepartement({ departements: unknown.join(', ') });
	return {
		departements: codes.map((code) => ({
			code,
			name: cog.departements.find((d) => d.code === code)?.nom ?? code
		}))
	};
}

export type InitTerritoryResult = {
	departements: { code: string; name: string }[];
	communes: ChangeCount;
	epcis: ChangeCount;
	formerCommunes: ChangeCount & { removed: number };
	/** True when the database already held exactly this data: nothing was written. */
	isUnchanged: boolean;
	programme: { slug: string; addedDepartements: string[] } | null;
};

/**
 * Imports the current communes, their EPCI and their former communes for some
 * départements from the COG package (offline), in one transaction. Idempotent:
 * only new or changed rows are written, so a second run writes nothing.
 */
export async function initTerritory(
	input: InitTerritoryInput,
	{ db, onProgress }: { db: Db; onProgress?: OnProgress }
): Promise<InitTerritoryResult> {
	const data = parseInput(initTerritorySchema, input);
	const { departements } = checkDepartements({ departements: data.departements });
	const records = selectTerritoryRecords(loadCogData(), data.departements);

	return db.transaction(async (tx) => {
		let programme: InitTerritoryResult['programme'] = null;
		if (data.programme) {
			const { added } = await addProgrammeDepartements(
				{ slug: data.programme, departements: data.departements },
				{ db: tx }
			);
			programme = { slug: data.programme, addedDepartements: added };
		}
		const communeCodes = records.communes.map((c) => c.code);
		const [storedEpcis, storedCommunes, storedFormer] = [
			await findEpciRecords({ db: tx, codes: records.epcis.map((e) => e.code) }),
			await findCommuneRecords({ db: tx, codes: communeCodes }),
			await findFormerCommunes({ db: tx, communeCodes })
		];
		const epcis = planUpserts(
			records.epcis,
			new Map(storedEpcis.map((e) => [e.code, e])),
			(e) => e.code,
			EPCI_FIELDS
		);
		const communes = planUpserts(
			records.communes,
			new Map(storedCommunes.map((c) => [c.code, c])),
			(c) => c.code,
			COMMUNE_FIELDS
		);
		const former = planUpserts(
			records.formerCommunes,
			new Map(storedFormer.map((f) => [formerCommuneKey(f), f])),
			formerCommuneKey,
			FORMER_COMMUNE_FIELDS
		);
		const wantedFormer = new Set(records.formerCommunes.map(formerCommuneKey));
		const obsolete = storedFormer.filter((f) => !wantedFormer.has(formerCommuneKey(f)));

		const total = epcis.toWrite.length + communes.toWrite.length + former.toWrite.length;
		let done = 0;
		const progress = (rows: number) => {
			done += rows;
			onProgress?.({ step: 'communes', done, total });
		};
		// EPCI first: communes reference them; former communes reference communes.
		for (const batch of chunk(epcis.toWrite, ROW_BATCH)) {
			await upsertEpcis({ db: tx, epcis: batch });
			progress(batch.length);
		}
		for (const batch of chunk(communes.toWrite, ROW_BATCH)) {
			await upsertCommunes({ db: tx, communes: batch });
			progress(batch.length);
		}
		for (const batch of chunk(former.toWrite, ROW_BATCH)) {
			await upsertFormerCommunes({ db: tx, formerCommunes: batch });
			progress(batch.length);
		}
		await deleteFormerCommunes({ db: tx, keys: obsolete });

		return {
			departements,
			communes: communes.count,
			epcis: epcis.count,
			formerCommunes: { ...former.count, removed: obsolete.length },
			isUnchanged: total === 0 && obsolete.length === 0 && (programme?.addedDepartements.length ?? 0) === 0,
			programme
		};
	});
}

export type ImportCommuneGeometryResult = {
	source: string;
	/** Features read from the file (or downloaded). */
	features: number;
	/** Current communes that received an outline from this source (updated + already current). */
	matched: number;
	updated: number;
	/** Communes whose stored outline was already exactly this one. */
	alreadyCurrent: number;
	/** Features of former communes, merged into the outline of the commune that absorbed them. */
	merged: { code: string; name: string | null; into: string; intoName: string }[];
	/** Features whose code is neither a current nor a former imported commune. */
	unmatched: { code: string; name: string | null }[];
	/** Communes of the matched départements that still have no outline. */
	stillWithoutOutline: number;
};

/**
 * Checks that parsed GeoJSON holds commune outlines (a FeatureCollection of polygons
 * with INSEE codes), without touching the database; throws the reason otherwise.
 */
export function parseCommuneOutlines({ geojson, source }: { geojson: unknown; source: string }): {
	features: CommuneFeature[];
} {
	return { features: parseCommuneFeatures(geojson, { source }) };
}

/**
 * Attaches outlines and centroids to communes by INSEE code, from a parsed GeoJSON
 * FeatureCollection, in one transaction. Outlines of former communes are merged into
 * the commune that absorbed them, so its outline covers them.
 */
export async function importCommuneGeometry(
	input: ImportCommuneGeometryInput,
	{ db, onProgress }: { db: Db; onProgress?: OnProgress }
): Promise<ImportCommuneGeometryResult> {
	const data = parseInput(importCommuneGeometrySchema, input);
	const features = parseCommuneOutlines(data).features;

	return db.transaction(async (tx) => {
		if ((await countCommunes({ db: tx })) === 0) throw territoryNoCommunes();
		const codes = [...new Set(features.map((f) => f.code))];
		const formerCommunes = await findFormerCommunes({ db: tx, codes });
		const candidates = [...new Set([...codes, ...formerCommunes.map((f) => f.communeCode)])];
		const stored = await findCommuneGeometries({ db: tx, codes: candidates });
		const byCode = new Map(stored.map((c) => [c.code, c]));
		const { outlines, merged, unmatched } = matchCommuneOutlines({
			features,
			communeCodes: new Set(byCode.keys()),
			formerCommunes
		});

		const rows: { code: string; geometry: NonNullable<Commune['geometry']>; lat: number; lon: number }[] = [];
		let alreadyCurrent = 0;
		for (const [code, geometry] of outlines) {
			const current = byCode.get(code);
			if (current && current.centroidLat !== null && sameGeometry(current.geometry, geometry)) {
				alreadyCurrent++;
				continue;
			}
			rows.push({ code, geometry, ...geometryCentroid(geometry) });
		}
		let done = 0;
		for (const batch of chunk(rows, OUTLINE_BATCH)) {
			await updateCommuneGeometries({ db: tx, source: data.source, rows: batch });
			done += batch.length;
			onProgress?.({ step: 'outlines', done, total: rows.length });
		}
		const departements = [...new Set([...outlines.keys()].map((code) => byCode.get(code)!.departementCode))];
		return {
			source: data.source,
			features: features.length,
			matched: outlines.size,
			updated: rows.length,
			alreadyCurrent,
			merged: merged.map((m) => ({ ...m, intoName: byCode.get(m.into)?.name ?? m.into })),
			unmatched,
			stillWithoutOutline: await countCommunesWithoutGeometry({ db: tx, departements })
		};
	});
}

/**
 * Downloads the commune outlines of some départements (default: every imported one)
 * from geo.api.gouv.fr, then imports them like a file. The HTTP calls happen before
 * the transaction; `fetch` is injected so tests use a local server.
 */
export async function fetchCommuneGeometry(
	input: FetchCommuneGeometryInput,
	{
		db,
		config,
		fetch,
		timeoutMs,
		onProgress
	}: {
		db: Db;
		config: Pick<Config, 'geoApiUrl'>;
		fetch: FetchFn;
		timeoutMs?: number;
		onProgress?: OnProgress;
	}
): Promise<ImportCommuneGeometryResult & { departements: string[] }> {
	const data = parseInput(fetchCommuneGeometrySchema, input);
	const departements = data.departements ?? (await findImportedDepartements({ db }));
	if (departements.length === 0) throw territoryNoDepartements();
	const unknown = findUnknownDepartements(loadCogData(), departements);
	if (unknown.length > 0) throw territoryUnknownDepartement({ departements: unknown.join(', ') });

	const host = new URL(config.geoApiUrl).host;
	const features: unknown[] = [];
	for (const [index, departement] of departements.entries()) {
		onProgress?.({ step: 'download', done: index, total: departements.length });
		const body = (await fetchDepartementCommunes(
			{ departement },
			{ baseUrl: config.geoApiUrl, fetch, timeoutMs }
		)) as { type?: unknown; features?: unknown };
		if (body?.type !== 'FeatureCollection' || !Array.isArray(body.features)) {
			throw territoryGeoApiError({ host, status: 'not GeoJSON', departement });
		}
		features.push(...body.features);
	}
	onProgress?.({ step: 'download', done: departements.length, total: departements.length });
	const result = await importCommuneGeometry(
		{ geojson: { type: 'FeatureCollection', features }, source: host },
		{ db, onProgress }
	);
	return { ...result, departements };
}

export async function listCommunes(
	input: ListCommunesInput,
	{ db }: { db: Db }
): Promise<{ communes: CommuneSummary[] }> {
	const data = parseInput(listCommunesSchema, input);
	return {
		communes: await findCommunes({
			db,
			departements: data.departements,
			search: data.search || undefined,
			codes: data.codes,
			limit: data.limit
		})
	};
}

/**
 * The communes of a programme's départements, by name: what the commune pickers of its forms offer
 * and read a typed name against (src/lib/domain/communes.ts). Empty when the territory is not
 * imported yet.
 */
export async function listProgrammeCommuneChoices(
	{ programmeId }: { programmeId: string },
	{ db }: { db: Db }
): Promise<{ communes: CommuneChoice[] }> {
	const programme = await findProgrammeById({ db, programmeId });
	if (!programme || programme.departements.length === 0) return { communes: [] };
	const communes = await findCommunes({ db, departements: programme.departements, limit: 10_000 });
	return { communes: communes.map((commune) => ({ code: commune.code, name: commune.name })) };
}

/** One commune with its outline; throws `territory.commune_not_found`. */
export async function getCommune(
	{ code }: { code: string },
	{ db }: { db: Db }
): Promise<{ commune: Commune }> {
	const data = parseInput(getCommuneSchema, { code });
	const commune = await findCommuneByCode({ db, code: data.code });
	if (!commune) throw territoryCommuneNotFound({ code: data.code });
	return { commune };
}

/** What is imported, per département: communes, and how many have an outline. */
export async function getTerritoryStatus(
	_input: object,
	{ db }: { db: Db }
): Promise<{ departements: { code: string; name: string; communes: number; withGeometry: number }[] }> {
	const cog = loadCogData();
	const rows = await countCommunesByDepartement({ db });
	return {
		departements: rows.map((row) => ({
			code: row.departement,
			name: cog.departements.find((d) => d.code === row.departement)?.nom ?? row.departement,
			communes: row.communes,
			withGeometry: row.withGeometry
		}))
	};
}

/**
 * The outlines of several communes in one query (maps draw a whole département:
 * reading them one by one would cost one query per commune).
 */
export async function listCommuneOutlines(
	{ codes }: { codes: string[] },
	{ db }: { db: Db }
): Promise<{ outlines: Map<string, Commune['geometry']> }> {
	const rows = await findCommuneGeometries({ db, codes });
	return { outlines: new Map(rows.map((row) => [row.code, row.geometry])) };
}
