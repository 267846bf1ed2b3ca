import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable, epcisTable, formerCommunesTable, programmesTable } from '../../db/schema/index.ts';
import type { GeoJsonGeometry } from '../../db/schema/territory.ts';
import { isDomainError } from '../../errors.ts';
import { readJsonFile } from '../../geo/geojson.ts';
import { createProgramme } from '../programme/programme.service.ts';
import { createTerritoryDemoSeedStep, OUTLINES_NOT_LOADED, territoryDemoSeedStep } from './territory.seed.ts';
import {
	fetchCommuneGeometry,
	getCommune,
	getTerritoryStatus,
	importCommuneGeometry,
	listCommuneOutlines,
	initTerritory,
	listCommunes,
	listProgrammeCommuneChoices
} from './territory.service.ts';
import { communeCodeOfChoice } from '../../../domain/communes.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createTestProgramme } from '../../testing/factories.ts';

const GERS_FILE = new URL('../../../../../../shared/data/geo/gers/communes-32-gers.geojson', import.meta.url)
	.pathname;
const hasGersFile = existsSync(GERS_FILE);
if (!hasGersFile) console.log(`Skipping the Gers outline tests: ${GERS_FILE} is absent.`);

const square = (x: number, y: number): GeoJsonGeometry => ({
	type: 'Polygon',
	coordinates: [
		[
			[x, y],
			[x + 0.01, y],
			[x + 0.01, y + 0.01],
			[x, y + 0.01],
			[x, y]
		]
	]
});
const collection = (features: { code: string; geometry: GeoJsonGeometry }[]) => ({
	type: 'FeatureCollection',
	features: features.map((f) => ({
		type: 'Feature',
		properties: { code: f.code, nom: f.code },
		geometry: f.geometry
	}))
});

/** A local stand-in for geo.api.gouv.fr: never the internet in tests. */
let api: Server;
let apiUrl: string;
const requests: string[] = [];
let apiMode: 'ok' | 'error' | 'silent' = 'ok';
beforeAll(async () => {
	api = createServer((req, res) => {
		requests.push(req.url ?? '');
		if (apiMode === 'silent') return; // never answers: the client must time out
		if (apiMode === 'error') {
			res.writeHead(500).end('boom');
			return;
		}
		res.writeHead(200, { 'content-type': 'application/geo+json' });
		res.end(JSON.stringify(collection([{ code: '32013', geometry: square(0.58, 43.64) }])));
	});
	await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
	apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
	api.closeAllConnections();
	await new Promise((resolve) => api.close(resolve));
});

describeEachDb('territory', (ctx) => {
	const countRows = async (table: typeof communesTable | typeof epcisTable | typeof formerCommunesTable) =>
		(await ctx.db.select({ n: count() }).from(table))[0].n;

	test('init imports the 458 current communes of the Gers, and a second run changes nothing', async () => {
		// Its speed is measured by `npm run bench territory`, never asserted here.
		const first = await initTerritory({ departements: ['32'] }, { db: ctx.db });
		expect(first.communes).toEqual({ created: 458, updated: 0, unchanged: 0 });
		expect(first.epcis.created).toBe(17);
		expect(first.isUnchanged).toBe(false);
		expect(await countRows(communesTable)).toBe(458);
		const [cannet] = await ctx.db
			.select()
			.from(formerCommunesTable)
			.where(eq(formerCommunesTable.code, '32074'));
		expect(cannet).toMatchObject({ kind: 'delegated', communeCode: '32344', name: 'Cannet' });

		const second = await initTerritory({ departements: '32' }, { db: ctx.db });
		expect(second.isUnchanged).toBe(true);
		expect(second.communes).toEqual({ created: 0, updated: 0, unchanged: 458 });
		expect(second.formerCommunes).toEqual({
			created: 0,
			updated: 0,
			unchanged: first.formerCommunes.created,
			removed: 0
		});
	});

	test('init repairs a commune edited by hand and counts it as updated', async () => {
		await initTerritory({ departements: ['32'] }, { db: ctx.db });
		await ctx.db.update(communesTable).set({ name: 'Osch' }).where(eq(communesTable.code, '32013'));
		const result = await initTerritory({ departements: ['32'] }, { db: ctx.db });
		expect(result.communes).toEqual({ created: 0, updated: 1, unchanged: 457 });
		expect((await getCommune({ code: '32013' }, { db: ctx.db })).commune.name).toBe('Auch');
	});

	test('an unknown département is named in the error and nothing is written', async () => {
		const error = await initTerritory({ departements: ['32', '99', 'abc'] }, { db: ctx.db }).catch((e) => e);
		expect(isDomainError(error, 'territory.unknown_departement')).toBe(true);
		expect(error.details).toEqual({ departements: '99, ABC' });
		expect(await countRows(communesTable)).toBe(0);
	});

	test("a programme's commune pickers offer its départements' communes by name, and a typed name reads back as the code", async () => {
		await initTerritory({ departements: ['31', '32'] }, { db: ctx.db });
		const gers = await createProgramme(
			{ input: { slug: 'gers', name: 'Gers', departements: ['32'] } },
			{ db: ctx.db }
		);
		const ariege = await createProgramme(
			{ input: { slug: 'ariege', name: 'Ariège', departements: ['09'] } },
			{ db: ctx.db }
		);
		const { communes } = await listProgrammeCommuneChoices(
			{ programmeId: gers.programme.id },
			{ db: ctx.db }
		);
		expect(communes).toHaveLength(458);
		expect(communes.every((commune) => commune.code.startsWith('32'))).toBe(true);
		expect(communes.find((commune) => commune.code === '32160')).toEqual({
			code: '32160',
			name: "L'Isle-Jourdain"
		});
		// Names typed as people type them; Toulouse (31555) is not a commune of this programme.
		expect(communeCodeOfChoice('l isle jourdain', communes)).toBe('32160');
		expect(communeCodeOfChoice('SIMORRE', communes)).toBe('32433');
		expect(communeCodeOfChoice('Toulouse', communes)).toBe('Toulouse');
		// Ariège is not imported: its pickers offer nothing yet.
		const none = await listProgrammeCommuneChoices({ programmeId: ariege.programme.id }, { db: ctx.db });
		expect(none.communes).toEqual([]);
	});

	test('init adds the départements to a programme, and an unknown programme writes nothing', async () => {
		await createProgramme(
			{ input: { slug: 'occitanie', name: 'Occitanie', departements: ['31'] } },
			{ db: ctx.db }
		);
		const result = await initTerritory({ departements: ['32'], programme: 'occitanie' }, { db: ctx.db });
		expect(result.programme).toEqual({ slug: 'occitanie', addedDepartements: ['32'] });
		const [programme] = await ctx.db.select().from(programmesTable);
		expect(programme.departements).toEqual(['31', '32']);

		await expectDomainError(
			initTerritory({ departements: ['31'], programme: 'nope' }, { db: ctx.db }),
			'programme.not_found'
		);
		expect((await getTerritoryStatus({}, { db: ctx.db })).departements.map((d) => d.code)).toEqual(['32']);
	});

	test('outlines attach by INSEE code with a centroid; former communes join their successor; re-import is already current', async () => {
		await initTerritory({ departements: ['32'] }, { db: ctx.db });
		const geojson = collection([
			{ code: '32013', geometry: square(0.58, 43.64) },
			{ code: '32344', geometry: square(-0.08, 43.64) },
			{ code: '32074', geometry: square(-0.07, 43.64) }, // Cannet, now part of Riscle (32344)
			{ code: '75056', geometry: square(2.35, 48.85) } // Paris: not imported
		]);
		const first = await importCommuneGeometry({ geojson, source: 'test.geojson' }, { db: ctx.db });
		expect(first).toMatchObject({
			features: 4,
			matched: 2,
			updated: 2,
			alreadyCurrent: 0,
			stillWithoutOutline: 456
		});
		expect(first.merged).toEqual([{ code: '32074', name: '32074', into: '32344', intoName: 'Riscle' }]);
		expect(first.unmatched).toEqual([{ code: '75056', name: '75056' }]);

		const { commune: riscle } = await getCommune({ code: '32344' }, { db: ctx.db });
		// The two adjacent squares became one polygon twice as wide.
		expect(riscle.geometry?.type).toBe('Polygon');
		expect(riscle.centroidLon).toBeCloseTo(-0.07, 6);
		expect(riscle.centroidLat).toBeCloseTo(43.645, 6);
		expect(riscle.geometrySource).toBe('test.geojson');

		const second = await importCommuneGeometry({ geojson, source: 'test.geojson' }, { db: ctx.db });
		expect(second).toMatchObject({ matched: 2, updated: 0, alreadyCurrent: 2 });

		// Maps read many outlines in one call; a commune without an outline gives null.
		const { outlines } = await listCommuneOutlines({ codes: ['32013', '32344', '32107'] }, { db: ctx.db });
		expect(outlines.get('32013')).toEqual(square(0.58, 43.64));
		expect(outlines.get('32344')?.type).toBe('Polygon');
		expect(outlines.get('32107')).toBeNull();

		const { communes } = await listCommunes({ departements: ['32'], search: 'riscle' }, { db: ctx.db });
		expect(communes).toMatchObject([{ code: '32344', hasGeometry: true }]);
	});

	test('a file that is not commune outlines, or an import before init, writes nothing', async () => {
		await expectDomainError(
			importCommuneGeometry(
				{ geojson: collection([{ code: '32013', geometry: square(0, 0) }]), source: 'x' },
				{ db: ctx.db }
			),
			'territory.no_communes'
		);
		await initTerritory({ departements: ['32'] }, { db: ctx.db });
		const noInsee = {
			type: 'FeatureCollection',
			features: [
				{ type: 'Feature', properties: { code: '32013' }, geometry: square(0, 0) },
				{ type: 'Feature', properties: { nom: 'Auch' }, geometry: square(0, 0) }
			]
		};
		await expectDomainError(
			importCommuneGeometry({ geojson: noInsee, source: 'x' }, { db: ctx.db }),
			'territory.no_insee_property'
		);
		await expectDomainError(
			importCommuneGeometry({ geojson: { type: 'Topology' }, source: 'x' }, { db: ctx.db }),
			'territory.invalid_geojson'
		);
		expect((await getTerritoryStatus({}, { db: ctx.db })).departements[0].withGeometry).toBe(0);
	});

	test.skipIf(!hasGersFile)(
		'the 2018 Gers file gives all 458 current communes an outline and reports the 4 merged codes',
		async () => {
			await initTerritory({ departements: ['32'] }, { db: ctx.db });
			const geojson = readJsonFile(GERS_FILE);
			const first = await importCommuneGeometry(
				{ geojson, source: 'communes-32-gers.geojson' },
				{ db: ctx.db }
			);
			expect(first).toMatchObject({
				features: 462,
				matched: 458,
				updated: 458,
				unmatched: [],
				stillWithoutOutline: 0
			});
			expect(first.merged.map((m) => `${m.code}>${m.into}`).sort()).toEqual([
				'32067>32365',
				'32074>32344',
				'32260>32365',
				'32413>32365'
			]);
			const second = await importCommuneGeometry(
				{ geojson, source: 'communes-32-gers.geojson' },
				{ db: ctx.db }
			);
			expect(second).toMatchObject({ matched: 458, updated: 0, alreadyCurrent: 458 });
		}
	);

	test('fetch downloads the imported départements from the geo API through the injected fetch', async () => {
		await initTerritory({ departements: ['32'] }, { db: ctx.db });
		apiMode = 'ok';
		requests.length = 0;
		const calls: string[] = [];
		const fetch: typeof globalThis.fetch = (url, init) => {
			calls.push(String(url));
			return globalThis.fetch(url, init);
		};
		const result = await fetchCommuneGeometry({}, { db: ctx.db, config: { geoApiUrl: apiUrl }, fetch });
		expect(result).toMatchObject({ departements: ['32'], matched: 1, updated: 1 });
		expect(calls).toHaveLength(1);
		expect(requests).toEqual(['/departements/32/communes?format=geojson&geometry=contour&fields=code,nom']);
	});

	test('fetch says the geo API is unreachable on a time-out or a refused connection, and names API errors', async () => {
		await initTerritory({ departements: ['32'] }, { db: ctx.db });
		apiMode = 'silent';
		await expectDomainError(
			fetchCommuneGeometry(
				{ departements: ['32'] },
				{ db: ctx.db, config: { geoApiUrl: apiUrl }, fetch, timeoutMs: 200 }
			),
			'territory.geo_api_unreachable'
		);
		await expectDomainError(
			fetchCommuneGeometry(
				{ departements: ['32'] },
				{ db: ctx.db, config: { geoApiUrl: 'http://127.0.0.1:9' }, fetch }
			),
			'territory.geo_api_unreachable'
		);
		apiMode = 'error';
		await expectDomainError(
			fetchCommuneGeometry({ departements: ['32'] }, { db: ctx.db, config: { geoApiUrl: apiUrl }, fetch }),
			'territory.geo_api_error'
		);
		apiMode = 'ok';
	});

	test('the demo seed step imports the territory and its bundled outlines; without bundled files and offline, it logs one line instead of failing', async () => {
		const programme = await createTestProgramme(ctx.db);
		const lines: string[] = [];
		const config = parseConfig({ VITEST: 'true', SOHO_GEO_API_URL: 'http://127.0.0.1:9' });
		const noBundle = createTerritoryDemoSeedStep({ findBundled: () => null });
		await noBundle.run({ db: ctx.db, config, programme, log: (line) => lines.push(line) });
		expect(await countRows(communesTable)).toBe(458);
		expect(lines.at(-1)).toBe(OUTLINES_NOT_LOADED);

		// With the files bundled for the Gers, no network is needed at all.
		lines.length = 0;
		await territoryDemoSeedStep.run({ db: ctx.db, config, programme, log: (line) => lines.push(line) });
		expect(lines.at(-1)).toBe('Commune outlines: 458 communes (communes-32-gers.geojson).');

		const offline = createTerritoryDemoSeedStep({ fetch, findBundled: () => null });
		lines.length = 0;
		await offline.run({ db: ctx.db, config, programme, log: (line) => lines.push(line) });
		expect(lines.at(-1)).toBe(OUTLINES_NOT_LOADED);

		apiMode = 'ok';
		const online = createTerritoryDemoSeedStep({ fetch, findBundled: () => null });
		lines.length = 0;
		await online.run({
			db: ctx.db,
			config: { ...config, geoApiUrl: apiUrl },
			programme,
			log: (line) => lines.push(line)
		});
		expect(lines.at(-1)).toMatch(/^Commune outlines: 1 communes/);
	});
});
