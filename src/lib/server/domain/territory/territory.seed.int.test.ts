import { readFileSync } from 'node:fs';
import { and, count, eq, isNotNull, isNull } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable } from '../../db/schema/index.ts';
import { parseCommuneFeatures } from '../../geo/geojson.ts';
import { findBundledReference } from '../../geo/reference.ts';
import { loadCogData } from '../../geo/cog.ts';
import { createProgramme } from '../programme/programme.service.ts';
import { parseInseeFiles, readInseeFile } from './territory-insee.service.ts';
import { territoryDemoSeedStep } from './territory.seed.ts';
import { createTestProgramme } from '../../testing/factories.ts';

/**
 * Issue 11 §7: the Gers reference data ships with soho (src/lib/server/geo/reference/), so the
 * demo seed gives every current commune an outline and INSEE attributes without network and
 * without ../shared.
 */
test('the bundled Gers files exist and parse: 462 outlines (COG 2018), 461 INSEE rows, 18 cantons', async () => {
	const bundles = findBundledReference(['32']);
	expect(bundles).toHaveLength(1);
	const [gers] = bundles!;
	const features = parseCommuneFeatures(JSON.parse(readFileSync(gers.outlines, 'utf8')), { source: 'gers' });
	expect(features).toHaveLength(462);
	expect(features.every((f) => f.code.startsWith('32'))).toBe(true);
	const parsed = await parseInseeFiles({
		communes: readInseeFile(gers.inseeCommunes),
		cantons: readInseeFile(gers.inseeCantons)
	});
	expect(parsed.rows).toHaveLength(461);
	expect(parsed.rows.find((r) => r.code === '32013')).toMatchObject({ aavCode: '145', aavCategory: '11' });
	expect(parsed.cantons).toHaveLength(18);
	// A programme with a département that has no bundle gets none (not a partial territory).
	expect(findBundledReference(['32', '40'])).toBeNull();
	expect(findBundledReference(['31'])).toBeNull();
});

describeEachDb('the demo seed with the bundled reference data', (ctx) => {
	test('without SOHO_GEO_FILE nor SOHO_INSEE_DIR, every current Gers commune gets an outline, a centroid, an urban area and a canton', async () => {
		const { programme } = await createProgramme(
			{ input: { slug: 'gers', name: 'Gers', departements: ['32'], metropoleCode: '31555' } },
			{ db: ctx.db }
		);
		const lines: string[] = [];
		const config = parseConfig({ VITEST: 'true' });
		expect(config.geoFile).toBeUndefined();
		expect(config.inseeDir).toBeUndefined();
		await territoryDemoSeedStep.run({ db: ctx.db, config, programme, log: (l) => lines.push(l) });

		const current = loadCogData().communes.filter(
			(c) => c.departement === '32' && c.type === 'commune-actuelle'
		).length;
		const total = async (where?: ReturnType<typeof and>) =>
			(
				await ctx.db
					.select({ n: count() })
					.from(communesTable)
					.where(and(eq(communesTable.departementCode, '32'), where))
			)[0].n;
		expect(await total()).toBe(current);
		expect(await total(isNotNull(communesTable.geometry))).toBe(current);
		expect(await total(isNull(communesTable.centroidLat))).toBe(0);
		expect(await total(isNotNull(communesTable.aavCategory))).toBe(current);
		expect(await total(isNotNull(communesTable.cantonCode))).toBe(current);
		expect(await total(eq(communesTable.isCantonSeat, true))).toBe(15);
		console.log(`Gers: ${current} current communes, all with outlines and INSEE attributes`);
		expect(lines.some((l) => l.startsWith('Commune outlines:'))).toBe(true);
		expect(lines.some((l) => l.startsWith('INSEE attributes:'))).toBe(true);
	});

	test('SOHO_GEO_FILE=none and SOHO_INSEE_DIR=none seed the communes without outlines nor attributes', async () => {
		const programme = await createTestProgramme(ctx.db);
		const config = parseConfig({ VITEST: 'true', SOHO_GEO_FILE: 'none', SOHO_INSEE_DIR: 'none' });
		await territoryDemoSeedStep.run({ db: ctx.db, config, programme, log: () => {} });
		const [row] = await ctx.db
			.select({ n: count() })
			.from(communesTable)
			.where(and(isNotNull(communesTable.geometry)));
		expect(row.n).toBe(0);
		const [withAav] = await ctx.db
			.select({ n: count() })
			.from(communesTable)
			.where(isNotNull(communesTable.aavCategory));
		expect(withAav.n).toBe(0);
	});
});
