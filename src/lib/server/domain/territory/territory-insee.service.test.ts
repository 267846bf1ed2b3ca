import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable } from '../../db/schema/index.ts';
import { parseConfig } from '../../config.ts';
import { isDomainError } from '../../errors.ts';

import { findInseeFiles, INSEE_NOT_LOADED, territoryDemoSeedStep } from './territory.seed.ts';
import { getInseeAttributesStatus, importInseeAttributes, readInseeFile } from './territory-insee.service.ts';
import { initTerritory } from './territory.service.ts';
import { createTestProgramme } from '../../testing/factories.ts';

const INSEE_DIR = new URL('../../../../../../shared/data/insee/', import.meta.url).pathname;
const COMMUNES_FILE = `${INSEE_DIR}table-appartenance-geo-communes-22.csv`;
const CANTONS_FILE = `${INSEE_DIR}cog-cantons@2025.csv`;
const hasInseeFiles = existsSync(COMMUNES_FILE) && existsSync(CANTONS_FILE);
if (!hasInseeFiles)
	console.log(`Skipping the Gers INSEE import tests: ${INSEE_DIR} has not the INSEE files.`);

/** Windows-1252 bytes of a text (what a French Excel writes): é = 0xE9. */
function windows1252(text: string): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		bytes[i] = code === 0x2019 ? 0x92 : code;
	}
	return bytes;
}

/** A small commune table as INSEE's spreadsheet export writes it: `;`, CRLF, lost leading zeros. */
const FIXTURE = windows1252(
	[
		'CODGEO;LIBGEO;DEP;CV;AAV2020;TAAV2017;CATEAAV2020',
		'1001;L’Abergement-Clémenciat;1;108;524;1;20',
		'32013;Auch;32;3299;145;2;11',
		'32107;Condom;32;3207;406;1;11',
		'32344;Riscle;32;3201;0;0;30',
		'32074;Cannet;32;3201;0;0;20',
		'32160;L’Isle-Jourdain;32;3213;5;4;20',
		''
	].join('\r\n')
);
const CANTONS = new TextEncoder().encode(
	[
		'code,name,capital_code',
		'3201,Adour-Gersoise,32344',
		'3207,Baïse-Armagnac,32107',
		'3299,Auch,32013',
		''
	].join('\n')
);

describeEachDb('INSEE attributes of communes', (ctx) => {
	const commune = async (code: string) =>
		(await ctx.db.select().from(communesTable).where(eq(communesTable.code, code)))[0];

	test('a Windows-1252 table with lost leading zeros updates the imported communes and counts the others', async () => {
		await initTerritory({ departements: ['32'] }, { db: ctx.db });
		const result = await importInseeAttributes(
			{
				communes: { name: 'fixture.csv', bytes: FIXTURE },
				cantons: { name: 'cantons.csv', bytes: CANTONS }
			},
			{ db: ctx.db }
		);
		expect(result).toMatchObject({
			source: 'fixture.csv',
			cantonsSource: 'cantons.csv',
			rows: 6,
			skipped: 0,
			matched: 4,
			unknown: 1, // 01001: not imported
			superseded: 1, // 32074 Cannet: its successor Riscle has its own row
			updated: 4,
			unchanged: 0,
			cantonSeats: 3
		});
		expect(result.missing).toHaveLength(454);
		expect(result.aavCategories).toEqual({ '11': 2, '12': 0, '13': 0, '20': 1, '30': 1, none: 0 });

		expect(await commune('32160')).toMatchObject({
			aavCode: '005',
			aavCategory: '20',
			cantonCode: '3213',
			isCantonSeat: false,
			inseeAttributesSource: 'fixture.csv'
		});
		expect(await commune('32013')).toMatchObject({ aavCode: '145', aavCategory: '11', isCantonSeat: true });
		expect(await commune('32344')).toMatchObject({ aavCode: '000', aavCategory: '30', cantonCode: '3201' });
		expect((await commune('32462')).aavCategory).toBeNull();

		const again = await importInseeAttributes(
			{ communes: { name: 'fixture.csv', bytes: FIXTURE } },
			{ db: ctx.db }
		);
		expect(again).toMatchObject({ updated: 0, unchanged: 4, cantonSeats: null });
		// Without the cantons file, the seat flags stay as imported.
		expect((await commune('32013')).isCantonSeat).toBe(true);
		expect(await getInseeAttributesStatus({}, { db: ctx.db })).toEqual({
			communes: 458,
			withAavCategory: 4,
			withCantonSeat: 4
		});
	});

	test('a table without the expected columns, or an import before the communes, writes nothing', async () => {
		const bad = new TextEncoder().encode('code;nom\n32013;Auch\n');
		const error = await importInseeAttributes(
			{ communes: { name: 'bad.csv', bytes: bad } },
			{ db: ctx.db }
		).catch((e: unknown) => e);
		expect(isDomainError(error, 'territory.insee_missing_columns')).toBe(true);
		const noCommunes = await importInseeAttributes(
			{ communes: { name: 'fixture.csv', bytes: FIXTURE } },
			{ db: ctx.db }
		).catch((e: unknown) => e);
		expect(isDomainError(noCommunes, 'territory.no_communes')).toBe(true);
		expect(
			isDomainError(
				await Promise.resolve()
					.then(() => readInseeFile('/nonexistent.csv'))
					.catch((e) => e),
				'territory.file_not_found'
			)
		).toBe(true);
	});

	test.skipIf(!hasInseeFiles)(
		"the Gers from INSEE's 2022 table: 7 centres, 1 other pole, 270 crown, 180 outside (183 before 3 mergers); Toulouse's area 005 holds 65",
		async () => {
			await initTerritory({ departements: ['32'] }, { db: ctx.db });
			const result = await importInseeAttributes(
				{ communes: readInseeFile(COMMUNES_FILE), cantons: readInseeFile(CANTONS_FILE) },
				{ db: ctx.db }
			);
			console.log('Gers INSEE import:', JSON.stringify({ ...result, missing: result.missing.length }));
			expect(result.rows).toBe(34955);
			expect(result.missing).toEqual([]);
			// The 2022 table has 461 Gers rows, the current COG 458 communes: 32067, 32260 and 32413
			// merged into 32365, which has its own row.
			expect(result.matched).toBe(458);
			expect(result.superseded).toBe(3);
			expect(result.unknown).toBe(34955 - 461);
			const all = await ctx.db.select().from(communesTable);
			const byCategory = new Map<string | null, number>();
			for (const c of all) byCategory.set(c.aavCategory, (byCategory.get(c.aavCategory) ?? 0) + 1);
			expect(byCategory.get('11')).toBe(7);
			expect(byCategory.get('12')).toBe(1);
			expect(byCategory.get('20')).toBe(270);
			expect(byCategory.get('30')).toBe(180);
			expect(await commune('32013')).toMatchObject({
				aavCode: '145',
				cantonCode: '3299',
				isCantonSeat: true
			});
			expect((await commune('32160')).aavCode).toBe('005');
			const toulouseArea = all.filter((c) => c.aavCode === '005').length;
			console.log(`Gers communes in the Toulouse area (005): ${toulouseArea}`);
			expect(toulouseArea).toBe(65);
			// 15 distinct bureaux centralisateurs for the 18 Gers cantons (Auch serves Auch-1, -2, -3 and the canton-ville).
			expect(result.cantonSeats).toBe(15);
		}
	);

	test('the demo seed imports the INSEE files of SOHO_INSEE_DIR, and without them logs how to import', async () => {
		const programme = await createTestProgramme(ctx.db);
		const lines: string[] = [];
		const log = (line: string) => lines.push(line);
		const dir = mkdtempSync(join(tmpdir(), 'soho-insee-'));
		try {
			const config = parseConfig({ VITEST: 'true', SOHO_INSEE_DIR: join(dir, 'absent') });
			await territoryDemoSeedStep.run({ db: ctx.db, config, programme, log });
			expect(lines).toContain(INSEE_NOT_LOADED);

			writeFileSync(join(dir, 'table-appartenance-geo-communes-22.csv'), FIXTURE);
			writeFileSync(join(dir, 'cog-cantons@2025.csv'), CANTONS);
			expect(findInseeFiles(dir)).toEqual({
				communes: join(dir, 'table-appartenance-geo-communes-22.csv'),
				cantons: join(dir, 'cog-cantons@2025.csv')
			});
			lines.length = 0;
			await territoryDemoSeedStep.run({ db: ctx.db, config: { ...config, inseeDir: dir }, programme, log });
			expect(lines).toContain(
				'INSEE attributes: 4 communes from table-appartenance-geo-communes-22.csv and cog-cantons@2025.csv.'
			);
			expect(await commune('32013')).toMatchObject({ aavCategory: '11', isCantonSeat: true });
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
