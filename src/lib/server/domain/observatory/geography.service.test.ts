import { existsSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable, programmesTable } from '../../db/schema/index.ts';
import { readJsonFile } from '../../geo/geojson.ts';
import { createRandom } from '../../../domain/random.ts';
import { importInseeAttributes, readInseeFile } from '../territory/territory-insee.service.ts';
import { importCommuneGeometry, initTerritory } from '../territory/territory.service.ts';
import { computeGeographySection, getGeographyMap } from './geography.service.ts';
import { GRID_METROPOLE, gridCommunes } from './geography.test-utils.ts';
import { loadObservatory, observatoryViewerOf } from './observatory.context.ts';
import { seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';
import { insertTestCommunes, createTestVillage } from '../../testing/factories.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const DATA = new URL('../../../../../../shared/data/', import.meta.url).pathname;
const GERS_OUTLINES = `${DATA}geo/gers/communes-32-gers.geojson`;
const INSEE_COMMUNES = `${DATA}insee/table-appartenance-geo-communes-22.csv`;
const INSEE_CANTONS = `${DATA}insee/cog-cantons@2025.csv`;
const hasGersData = [GERS_OUTLINES, INSEE_COMMUNES, INSEE_CANTONS].every((file) => existsSync(file));
if (!hasGersData)
	console.log(`Skipping the Gers geography test: the Gers outlines or INSEE files are absent in ${DATA}.`);

const grid = gridCommunes();
const household = (commune: string, i: number): TestHousehold => ({
	contact: `2024-0${1 + (i % 9)}-10`,
	installedOn: `2025-0${1 + (i % 9)}-15`,
	commune
});

describeEachDb('observatory geography', (ctx) => {
	/** The synthetic grid territory, a programme with its metropole, partner villages and households. */
	async function seedGrid(communeCodes: string[]) {
		await insertTestCommunes(
			ctx.db,
			grid.map((c) => ({
				code: c.code,
				name: c.name,
				departementCode: '32',
				population: c.population,
				centroidLat: c.lat,
				centroidLon: c.lon,
				geometry: c.geometry as never,
				aavCategory: c.aavCategory,
				isCantonSeat: c.isCantonSeat
			}))
		);
		const seeded = await seedObservatoryProgramme(ctx.db, communeCodes.map(household));
		await ctx.db
			.update(programmesTable)
			.set({ metropoleCode: '31555', metropoleLat: GRID_METROPOLE.lat, metropoleLon: GRID_METROPOLE.lon })
			.where(eq(programmesTable.id, seeded.programme.id));
		const villages = grid.filter((c) => c.row % 3 === 0 && c.column % 3 === 0);
		for (const c of villages)
			await createTestVillage(ctx.db, {
				programmeId: seeded.programme.id,
				communeCode: c.code,
				slug: `v-${c.code}`
			});
		const context = await loadObservatory(
			{ viewer: observatoryViewerOf(seeded.actors.advisor), input: {} },
			{ db: ctx.db, now: NOW }
		);
		return computeGeographySection(context, { db: ctx.db });
	}

	test('a programme whose installations are spread uniformly over the communes is told: not closer to the metropole', async () => {
		const random = createRandom(7);
		const geography = await seedGrid(Array.from({ length: 150 }, () => random.pick(grid).code));
		expect(geography.installations).toBe(150);
		expect(geography.villages).toBe(16);
		expect(geography.metropole).toMatchObject({ code: '31555', name: 'Toulouse' });
		expect(geography.distance.comparisons.map((c) => c.outcome)).toEqual([
			'no_significant_difference',
			'no_significant_difference',
			'no_significant_difference'
		]);
		expect(geography.moran.outcome).toBe('no_pattern');
	});

	test('a programme whose installations are near the metropole is told: closer than the communes and the population', async () => {
		const near = grid.filter((c) => c.column <= 1);
		const geography = await seedGrid(Array.from({ length: 48 }, (_, i) => near[i % near.length].code));
		expect(geography.distance.comparisons.map((c) => c.outcome)).toEqual([
			'significantly_lower',
			'significantly_lower',
			'significantly_lower'
		]);
		expect(geography.classifications.find((c) => c.key === 'aav')?.comparisons[0].overRepresented).toBe(
			'crown'
		);
		expect(geography.moran.outcome).toBe('clustered');
		expect(geography.byCommune[0].installations).toBe(2);
		expect(JSON.stringify(geography)).not.toContain('NaN');
	});

	test.skipIf(!hasGersData)(
		'on the real Gers (outlines and INSEE 2022), installations in the Toulouse urban area are closer and in its crown',
		async () => {
			await initTerritory({ departements: ['32'] }, { db: ctx.db });
			await importCommuneGeometry(
				{ geojson: readJsonFile(GERS_OUTLINES), source: 'communes-32-gers.geojson' },
				{ db: ctx.db }
			);
			await importInseeAttributes(
				{ communes: readInseeFile(INSEE_COMMUNES), cantons: readInseeFile(INSEE_CANTONS) },
				{ db: ctx.db }
			);
			const toulouseArea = await ctx.db
				.select({ code: communesTable.code })
				.from(communesTable)
				.where(eq(communesTable.aavCode, '005'));
			expect(toulouseArea).toHaveLength(65);
			const seeded = await seedObservatoryProgramme(
				ctx.db,
				toulouseArea.slice(0, 40).map((c, i) => household(c.code, i))
			);
			await ctx.db
				.update(programmesTable)
				.set({ metropoleCode: '31555', metropoleLat: 43.6007, metropoleLon: 1.4328 })
				.where(eq(programmesTable.id, seeded.programme.id));
			const context = await loadObservatory(
				{ viewer: observatoryViewerOf(seeded.actors.advisor), input: {} },
				{ db: ctx.db, now: NOW }
			);
			const geography = await computeGeographySection(context, { db: ctx.db });
			console.log(
				'Gers, 40 installations in the Toulouse area:',
				JSON.stringify({
					distance: geography.distance.comparisons.map((c) => [c.baseline, c.outcome, c.statistic, c.pValue]),
					aav: geography.classifications[0].comparisons.map((c) => [
						c.baseline,
						c.outcome,
						c.overRepresented
					]),
					moran: [geography.moran.status, geography.moran.I, geography.moran.pValue]
				})
			);
			const { communes: outlines } = await getGeographyMap(
				{ viewer: observatoryViewerOf(seeded.actors.committee) },
				{ db: ctx.db }
			);
			expect(outlines).toHaveLength(458);
			expect(geography.distance.comparisons[0].outcome).toBe('significantly_lower');
			expect(geography.distance.comparisons[1].outcome).toBe('significantly_lower');
			// No partner village in this programme: that baseline is empty, not a test.
			expect(geography.distance.comparisons[2].outcome).toBe('no_baseline');
			const aav = geography.classifications.find((c) => c.key === 'aav')!;
			expect(aav.missing).toBe(false);
			expect(aav.comparisons[0]).toMatchObject({
				outcome: 'significantly_different',
				overRepresented: 'crown'
			});
			expect(geography.moran.status).toBe('computed');
			expect(geography.moran.outcome).toBe('clustered');
		}
	);
});
