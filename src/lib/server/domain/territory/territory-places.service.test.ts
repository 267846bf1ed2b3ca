import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { GeoJsonGeometry } from '../../db/schema/territory.ts';
import { createTestProgramme, createTestUser, insertTestCommunes } from '../../testing/factories.ts';
import { findListingPlace, loadPlaces } from './territory-places.service.ts';
import { importCommuneGeometry } from './territory.service.ts';

const square = (x: number, y: number, size = 0.05): GeoJsonGeometry => ({
	type: 'Polygon',
	coordinates: [
		[
			[x, y],
			[x + size, y],
			[x + size, y + size],
			[x, y + size],
			[x, y]
		]
	]
});

describeEachDb('territory places', (ctx) => {
	/** Gers (32) with two outlined communes; a commune of the Lot (46) outlined too, outside it. */
	async function setUp() {
		await insertTestCommunes(ctx.db);
		await insertTestCommunes(ctx.db, {
			code: '46042',
			name: 'Cahors',
			departementCode: '46',
			population: 19000,
			centroidLat: 44.45,
			centroidLon: 1.44
		});
		const programme = await createTestProgramme(ctx.db, { slug: 'gers', departements: ['32'] });
		await importCommuneGeometry(
			{
				geojson: {
					type: 'FeatureCollection',
					features: [
						['32013', square(0.55, 43.62)],
						['32107', square(0.35, 43.93)],
						['46042', square(1.4, 44.42)]
					].map(([code, geometry]) => ({ type: 'Feature', properties: { code, nom: code }, geometry }))
				},
				source: 'test.geojson'
			},
			{ db: ctx.db }
		);
		const { actor } = await createTestUser(ctx.db, {
			role: 'advisor',
			programmeId: programme.id,
			email: 'advisor@example.test'
		});
		return { programme, actor };
	}

	test("a back-office page locates its listing on its programme's territory: the commune, its name and a point inside the drawing", async () => {
		const { actor } = await setUp();
		const { place } = await findListingPlace({ actor, communeCode: '32013' }, { db: ctx.db });
		expect(place?.commune).toBe('Auch');
		expect(place?.place.code).toBe('32013');
		expect(place?.outlines.svg).toMatch(/^\/map\/outlines\.svg\?v=[\w-]{12}&d=light&p=gers$/);
		const point = place?.place.point;
		expect(point && point.x >= 0 && point.x <= place.outlines.width).toBe(true);
		expect(point && point.y >= 0 && point.y <= place.outlines.height).toBe(true);

		// A workspace's own position is marked rather than its commune's centre.
		const at = await findListingPlace(
			{ actor, communeCode: '32013', position: { lat: 43.64, lon: 0.56 } },
			{ db: ctx.db }
		);
		expect(at.place?.place.point).not.toEqual(point);
	});

	test("another programme's staff get their own programme's outlines file, whatever host they use", async () => {
		const { actor: gersAdvisor } = await setUp();
		const lot = await createTestProgramme(ctx.db, { slug: 'lot', departements: ['46'] });
		const { actor } = await createTestUser(ctx.db, {
			role: 'advisor',
			programmeId: lot.id,
			email: 'advisor@lot.example.test'
		});
		const { place } = await findListingPlace({ actor, communeCode: '46042' }, { db: ctx.db });
		expect(place?.commune).toBe('Cahors');
		expect(place?.outlines.svg).toMatch(/&p=lot$/);
		const gers = await findListingPlace({ actor: gersAdvisor, communeCode: '32013' }, { db: ctx.db });
		// Another territory, another version of the file: a browser never mixes the two.
		expect(new URL(place!.outlines.svg, 'http://x').searchParams.get('v')).not.toBe(
			new URL(gers.place!.outlines.svg, 'http://x').searchParams.get('v')
		);
		// A Gers commune is not on the Lot's territory.
		expect((await findListingPlace({ actor, communeCode: '32013' }, { db: ctx.db })).place).toBeNull();
	});

	test('no locator for a commune without outline, outside the territory, or no commune at all', async () => {
		const { actor } = await setUp();
		for (const communeCode of ['32433', '46042', null]) {
			const { place } = await findListingPlace({ actor, communeCode }, { db: ctx.db });
			expect(place, String(communeCode)).toBeNull();
		}
	});

	test('the public cards of a territory without outlines get no drawing (their plain placeholder)', async () => {
		await insertTestCommunes(ctx.db);
		await createTestProgramme(ctx.db, { slug: 'gers', departements: ['32'] });
		const places = await loadPlaces({ programme: { slug: 'gers', departements: ['32'] } }, { db: ctx.db });
		expect(places.outlines).toBeNull();
		expect(places.placeOf('32013')).toBeNull();
	});
});
