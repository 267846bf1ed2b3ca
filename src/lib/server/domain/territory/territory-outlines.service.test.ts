import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable } from '../../db/schema/index.ts';
import type { GeoJsonGeometry } from '../../db/schema/territory.ts';
import {
	versionedFileResponse,
	IMMUTABLE_CACHE_CONTROL,
	SHORT_CACHE_CONTROL
} from '../../http/versioned-file.ts';
import { createTestProgramme, insertTestCommunes } from '../../testing/factories.ts';
import { simplifyGeometry } from '#domain/map.ts';
import { getPublicOutlines, renderOutlines } from './territory-outlines.service.ts';
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
const outlinesFile = (features: { code: string; geometry: GeoJsonGeometry }[]) => ({
	type: 'FeatureCollection',
	features: features.map((f) => ({
		type: 'Feature',
		properties: { code: f.code, nom: f.code },
		geometry: f.geometry
	}))
});

describeEachDb('territory outlines', (ctx) => {
	/** Gers (32) is the public programme; a commune of the Lot (46) has an outline too. */
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
		await createTestProgramme(ctx.db, { slug: 'gers', departements: ['32'] });
		await importCommuneGeometry(
			{
				geojson: outlinesFile([
					{ code: '32013', geometry: square(0.55, 43.62) },
					{ code: '32107', geometry: square(0.35, 43.93) },
					{ code: '46042', geometry: square(1.4, 44.42) }
				]),
				source: 'test.geojson'
			},
			{ db: ctx.db }
		);
	}

	test('without a programme there is nothing to draw', async () => {
		const { outlines } = await getPublicOutlines({ detail: 'fine' }, { db: ctx.db });
		expect(outlines.shapes).toEqual([]);
		expect(outlines.bounds).toBeNull();
		expect(renderOutlines(outlines).svg).toContain('<svg');
	});

	test("the files draw the public programme's communes with an outline, and no other", async () => {
		await setUp();
		const { outlines } = await getPublicOutlines({ detail: 'fine' }, { db: ctx.db });
		expect(outlines.shapes.map((s) => s.code).sort()).toEqual(['32013', '32107']);
		expect(outlines.bounds).toEqual({ minLon: 0.35, minLat: 43.62, maxLon: 0.6, maxLat: 43.98 });
		expect(outlines.version).toMatch(/^[\w-]{12}$/);

		const { svg, json } = renderOutlines(outlines);
		expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 1000 \d+"/);
		expect(svg.match(/<path id="c\d+" d="M[^"]+z"\/>/g)).toHaveLength(2);
		expect(svg).toContain('id="c32013"');
		expect(svg).not.toContain('46042');
		const parsed = JSON.parse(json);
		expect(parsed.version).toBe(outlines.version);
		expect(parsed.features.map((f: { properties: { code: string } }) => f.properties)).toEqual([
			{ code: '32013' },
			{ code: '32107' }
		]);
		// The map page's outlines: rounded to 4 decimals (≈ 10 m).
		expect(parsed.features[0].geometry).toEqual(simplifyGeometry(square(0.55, 43.62)));
	});

	test('the version holds while nothing changes, and changes when an outline is re-imported', async () => {
		await setUp();
		const first = (await getPublicOutlines({ detail: 'fine' }, { db: ctx.db })).outlines;
		const again = (await getPublicOutlines({ detail: 'fine' }, { db: ctx.db })).outlines;
		expect(again.version).toBe(first.version);
		const light = (await getPublicOutlines({ detail: 'light' }, { db: ctx.db })).outlines;
		expect(light.version).not.toBe(first.version);

		// An outline of another programme's territory changes nothing here.
		await ctx.db
			.update(communesTable)
			.set({ geometryUpdatedAt: new Date(Date.now() + 60_000) })
			.where(eq(communesTable.code, '46042'));
		expect((await getPublicOutlines({ detail: 'fine' }, { db: ctx.db })).outlines.version).toBe(
			first.version
		);

		await importCommuneGeometry(
			{ geojson: outlinesFile([{ code: '32013', geometry: square(0.5, 43.6, 0.1) }]), source: 'new.geojson' },
			{ db: ctx.db }
		);
		const updated = (await getPublicOutlines({ detail: 'fine' }, { db: ctx.db })).outlines;
		expect(updated.version).not.toBe(first.version);
		expect(updated.shapes.find((s) => s.code === '32013')?.geometry).toEqual(
			simplifyGeometry(square(0.5, 43.6, 0.1))
		);
		expect(renderOutlines(updated).svg).not.toBe(renderOutlines(first).svg);
	});
});

test('a versioned file is cached for a year under its version, briefly otherwise, and answers 304 to its ETag', async () => {
	const file = (request: Request, requestedVersion: string | null) =>
		versionedFileResponse({
			request,
			requestedVersion,
			version: 'abc123',
			tag: 'svg',
			body: '<svg/>',
			contentType: 'image/svg+xml; charset=utf-8'
		});
	const current = file(new Request('http://x/map/outlines.svg?v=abc123'), 'abc123');
	expect(current.status).toBe(200);
	expect(current.headers.get('cache-control')).toBe(IMMUTABLE_CACHE_CONTROL);
	expect(current.headers.get('etag')).toBe('"abc123-svg"');
	expect(current.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
	expect(await current.text()).toBe('<svg/>');

	const old = file(new Request('http://x/map/outlines.svg?v=old'), 'old');
	expect(old.status).toBe(200);
	expect(old.headers.get('cache-control')).toBe(SHORT_CACHE_CONTROL);

	for (const tag of ['"abc123-svg"', 'W/"abc123-svg"', '"other", "abc123-svg"']) {
		const revalidated = file(new Request('http://x/', { headers: { 'if-none-match': tag } }), 'abc123');
		expect(revalidated.status).toBe(304);
		expect(await revalidated.text()).toBe('');
	}
	expect(
		file(new Request('http://x/', { headers: { 'if-none-match': '"abc123-json"' } }), 'abc123').status
	).toBe(200);
});
