import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import { programmesTable } from '../../db/schema/index.ts';
import { isDomainError } from '../../errors.ts';
import { decodeText, parseCsv } from '../../files/tabular.ts';
import { ValidationError } from '../../validation.ts';
import {
	exportableSections,
	exportInstallationsGeoJson,
	exportObservatorySection
} from './exports.service.ts';
import { observatoryViewerOf } from './observatory.context.ts';
import type { ObservatoryViewer } from './observatory.types.ts';
import { seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';
import { exportResearchExtract } from './research-extract.service.ts';
import { insertTestCommunes } from '../../testing/factories.ts';

const NOW = new Date('2026-11-26T09:00:00Z');

const square = (x: number, y: number) => ({
	type: 'Polygon' as const,
	coordinates: [
		[
			[x, y],
			[x + 0.1, y],
			[x + 0.1, y + 0.1],
			[x, y + 0.1],
			[x, y]
		]
	]
});

/** Three communes of the Gers with population, outline, canton and arrondissement; one of the Lot. */
async function seedCommunes(db: Db) {
	await insertTestCommunes(db, [
		{
			code: '32013',
			name: 'Auch',
			departementCode: '32',
			population: 2000,
			cantonCode: '3299',
			arrondissementCode: '322',
			geometry: square(0.5, 43.6)
		},
		{
			code: '32107',
			name: 'Condom',
			departementCode: '32',
			population: 500,
			cantonCode: '3205',
			arrondissementCode: '321',
			geometry: square(0.3, 43.9)
		},
		{
			code: '32200',
			name: 'Mirande',
			departementCode: '32',
			population: null,
			cantonCode: '3210',
			arrondissementCode: '323'
		},
		{
			code: '46042',
			name: 'Cahors',
			departementCode: '46',
			population: 20000,
			cantonCode: '4601',
			arrondissementCode: '462',
			geometry: square(1.4, 44.4)
		}
	]);
}

/** Four installed households, one open contact. */
const HOUSEHOLDS: TestHousehold[] = [
	{
		contact: '2024-01-10',
		stages: { qualified: '2024-01-20' },
		installedOn: '2024-06-01',
		commune: '32013',
		partners: 1,
		children: 2,
		status: 'freelancer',
		birthYear: 1985,
		sector: '=SOMME(A1)'
	},
	{
		contact: '2024-02-10',
		stages: { qualified: '2024-02-20' },
		installedOn: '2025-02-01',
		commune: '32013',
		status: 'freelancer',
		birthYear: 1990
	},
	{
		contact: '2024-03-10',
		installedOn: '2025-03-01',
		commune: '32107',
		partners: 1,
		status: 'founder',
		birthYear: 1978,
		leftOn: '2026-05-01'
	},
	{ contact: '2025-01-10', installedOn: '2025-09-01', commune: '46042', status: 'artist', birthYear: 1960 },
	{ contact: '2026-01-10', status: 'freelancer' }
];

const text = (body: Uint8Array) => decodeText(body).text;

async function codeOf(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (err) {
		if (isDomainError(err)) return err.code;
		throw err;
	}
	return null;
}

describeEachDb('observatory: exports', (ctx) => {
	test('a committee member downloads a section as CSV for French Excel, with what the figures are written first', async () => {
		await seedCommunes(ctx.db);
		// Hand-computed figures of a few households, read as a committee member or funder: the
		// minimum cell size is off here (disclosure.service.test.ts tests it).
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, { minCellSize: 1 });
		const file = await exportObservatorySection(
			{
				viewer: observatoryViewerOf(actors.committee),
				section: 'funnel',
				format: 'csv',
				input: { from: 2024, to: 2025, status: 'freelancer' },
				locale: 'fr'
			},
			{ db: ctx.db, now: NOW }
		);
		expect(file.fileName).toBe('observatoire-gers-funnel-2026-11-26.csv');
		expect(file.contentType).toBe('text/csv; charset=utf-8');
		expect([...file.body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const csv = text(file.body);
		expect(csv).toContain('\r\n');
		const lines = parseCsv(csv, ';');
		expect(lines.find((line) => line[0] === 'Programme')?.[1]).toBe('Programme gers');
		expect(lines.find((line) => line[0] === 'Période')?.[1]).toBe('2024–2025');
		expect(lines.find((line) => line[0] === 'Filtres')?.[1]).toMatch(/^Statut.* = Indépendant/);
		// No mention of demo data for a real programme.
		expect(csv).not.toMatch(/synthétiques/);
		// Proportions with a decimal comma (2 of the 2 freelancers' contacts qualified: 1; installed… ).
		expect(csv).toMatch(/;0,\d+/);
		expect(csv).not.toMatch(/;0\.\d+/);
	});

	test('the XLSX workbook has a sheet saying what it holds and a sheet per table with real numbers', async () => {
		await seedCommunes(ctx.db);
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const file = await exportObservatorySection(
			{ viewer: observatoryViewerOf(actors.advisor), section: 'flows', format: 'xlsx', locale: 'en' },
			{ db: ctx.db, now: NOW }
		);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
		const names = workbook.worksheets.map((sheet) => sheet.name);
		expect(names[0]).toBe('About');
		expect(names.length).toBeGreaterThan(2);
		const years = workbook.worksheets.find((sheet) => sheet.getRow(1).getCell(1).value === 'Year');
		expect(years).toBeDefined();
		expect(years?.getRow(2).getCell(1).value).toBe(2024);
	});

	test('every registered section exports in both formats', async () => {
		await seedCommunes(ctx.db);
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const viewer = observatoryViewerOf(actors.admin);
		for (const section of exportableSections()) {
			for (const format of ['csv', 'xlsx']) {
				const file = await exportObservatorySection(
					{ viewer, section, format, locale: 'fr' },
					{ db: ctx.db, now: NOW }
				);
				expect(file.body.length, `${section} ${format}`).toBeGreaterThan(100);
			}
		}
	});

	test('a spreadsheet never reads a typed value as a formula', async () => {
		await seedCommunes(ctx.db);
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const file = await exportObservatorySection(
			{ viewer: observatoryViewerOf(actors.advisor), section: 'profiles', format: 'csv', locale: 'fr' },
			{ db: ctx.db, now: NOW }
		);
		const csv = text(file.body);
		expect(csv).toContain("'=SOMME(A1)");
		expect(csv).not.toMatch(/(^|;)=SOMME/m);
	});

	test('installations by commune as GeoJSON: counts, persons and the rate per 1,000 inhabitants, zero where nobody settled', async () => {
		await seedCommunes(ctx.db);
		// Hand-computed figures of a few households, read as a committee member or funder: the
		// minimum cell size is off here (disclosure.service.test.ts tests it).
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, { minCellSize: 1 });
		const file = await exportInstallationsGeoJson(
			{ viewer: observatoryViewerOf(actors.committee), locale: 'fr' },
			{ db: ctx.db, now: NOW }
		);
		expect(file.contentType).toBe('application/geo+json; charset=utf-8');
		const collection = JSON.parse(text(file.body));
		expect(collection.type).toBe('FeatureCollection');
		expect(collection.metadata.isDemo).toBe(false);
		const byCode = Object.fromEntries(
			collection.features.map((f: { properties: { code: string } }) => [f.properties.code, f])
		);
		expect(Object.keys(byCode).sort()).toEqual(['32013', '32107', '32200', '46042']);
		expect(byCode['32013'].properties).toEqual({
			code: '32013',
			name: 'Auch',
			installations: 2,
			persons: 5,
			population: 2000,
			rate_per_1000: 1
		});
		expect(byCode['32013'].geometry.type).toBe('Polygon');
		// Left since, but installed in the period: an installation of Condom (2 per 1,000 inhabitants).
		expect(byCode['32107'].properties).toMatchObject({ installations: 1, persons: 2, rate_per_1000: 2 });
		expect(byCode['32200']).toMatchObject({
			geometry: null,
			properties: { installations: 0, rate_per_1000: null }
		});
		// Outside the programme's départements, listed because a household settled there.
		expect(byCode['46042'].properties).toMatchObject({ installations: 1, rate_per_1000: 0.05 });
		// The cohort filter applies.
		const cohort = await exportInstallationsGeoJson(
			{ viewer: observatoryViewerOf(actors.committee), input: { cohort: 2024 }, locale: 'fr' },
			{ db: ctx.db, now: NOW }
		);
		const total = cohort.features.reduce((sum, f) => sum + f.properties.installations, 0);
		expect(total).toBe(1);
	});

	test('the demo programme’s files say the data are synthetic', async () => {
		await seedCommunes(ctx.db);
		const { actors, programme } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		await ctx.db.update(programmesTable).set({ isDemo: true }).where(eq(programmesTable.id, programme.id));
		const csv = await exportObservatorySection(
			{ viewer: observatoryViewerOf(actors.admin), section: 'flows', format: 'csv', locale: 'fr' },
			{ db: ctx.db, now: NOW }
		);
		expect(parseCsv(text(csv.body), ';')[0][1]).toMatch(/synthétiques/);
		const geojson = await exportInstallationsGeoJson(
			{ viewer: observatoryViewerOf(actors.admin), locale: 'en' },
			{ db: ctx.db, now: NOW }
		);
		const collection = JSON.parse(text(geojson.body));
		expect(collection.metadata.isDemo).toBe(true);
		expect(collection.metadata.note).toMatch(/synthetic/i);
	});

	test('only staff and committee members export; unknown sections and formats are refused', async () => {
		const { actors, programme } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const funder: ObservatoryViewer = {
			programmeId: programme.id,
			kind: 'funder',
			userId: null,
			isAdmin: false
		};
		expect(
			await codeOf(
				exportObservatorySection(
					{ viewer: funder, section: 'flows', format: 'csv', locale: 'fr' },
					{ db: ctx.db, now: NOW }
				)
			)
		).toBe('observatory_exports.forbidden');
		expect(
			await codeOf(exportInstallationsGeoJson({ viewer: funder, locale: 'fr' }, { db: ctx.db, now: NOW }))
		).toBe('observatory_exports.forbidden');
		expect(await codeOf(Promise.resolve().then(() => observatoryViewerOf(actors.partner)))).toBe(
			'observatory.forbidden'
		);
		const viewer = observatoryViewerOf(actors.advisor);
		expect(
			await codeOf(
				exportObservatorySection(
					{ viewer, section: 'secrets', format: 'csv', locale: 'fr' },
					{ db: ctx.db, now: NOW }
				)
			)
		).toBe('observatory.unknown_section');
		expect(
			await codeOf(
				exportObservatorySection(
					{ viewer, section: 'flows', format: 'pdf', locale: 'fr' },
					{ db: ctx.db, now: NOW }
				)
			)
		).toBe('observatory_exports.invalid_format');
	});
});

/** Twelve consenting installed households in three communes, two that refused research, one still in contact. */
function researchHouseholds(): TestHousehold[] {
	const communes = [
		'32013',
		'32013',
		'32013',
		'32013',
		'32107',
		'32107',
		'32107',
		'32200',
		'32200',
		'32200',
		'32013',
		'32107'
	];
	return [
		...communes.map((commune, i): TestHousehold => ({
			contact: `2023-0${1 + (i % 9)}-15`,
			installedOn: `${2023 + (i % 3)}-0${1 + (i % 9)}-20`,
			commune,
			status: i % 2 ? 'freelancer' : 'employee_teleworking',
			birthYear: 1970 + i * 2,
			partners: i % 2,
			children: i % 4 === 0 ? 2 : 0,
			...(i === 5 ? { leftOn: '2026-03-01' } : {}),
			...(i === 2 ? { businessCreatedOn: '2024-01-01' } : {})
		})),
		{
			contact: '2023-04-01',
			installedOn: '2024-01-01',
			commune: '32013',
			researchConsent: false,
			birthYear: 1950
		},
		{
			contact: '2023-04-01',
			installedOn: '2024-01-01',
			commune: '32107',
			researchConsent: false,
			birthYear: 1951
		},
		{ contact: '2026-01-01', birthYear: 1990 }
	];
}

/** The data rows of an extract CSV: after the preamble, from the header line on. */
function extractTable(body: Uint8Array) {
	const lines = parseCsv(text(body), ';');
	const start = lines.findIndex((line) => line[0] === 'pseudonym');
	return { preamble: lines.slice(0, start), header: lines[start], rows: lines.slice(start + 1) };
}

describeEachDb('observatory: research extract', (ctx) => {
	test('an admin downloads a pseudonymised extract where no class of quasi-identifiers is smaller than k', async () => {
		await seedCommunes(ctx.db);
		const { actors } = await seedObservatoryProgramme(ctx.db, researchHouseholds());
		const viewer = observatoryViewerOf(actors.admin);
		for (const k of [2, 3, 5]) {
			const file = await exportResearchExtract(
				{ viewer, input: { k: String(k) }, locale: 'fr' },
				{ db: ctx.db, now: NOW }
			);
			expect(file.fileName).toBe(`observatoire-gers-recherche-k${k}-2026-11-26.csv`);
			const { preamble, header, rows } = extractTable(file.body);
			expect(header).toEqual([
				'pseudonym',
				'geography',
				'age',
				'status',
				'household_size',
				'installation_year',
				'years_in_territory',
				'still_present',
				'business_created',
				'business_active',
				'would_move_without_programme',
				'source'
			]);
			// Only the twelve consenting installed households, minus the suppressed ones.
			expect(file.report.records).toBe(12);
			expect(rows).toHaveLength(12 - file.report.suppressed);
			const classes = new Map<string, number>();
			for (const row of rows) {
				const key = row.slice(1, 7).join('|');
				classes.set(key, (classes.get(key) ?? 0) + 1);
			}
			for (const size of classes.values()) expect(size).toBeGreaterThanOrEqual(k);
			// No name, e-mail, phone or exact date in the rows.
			const body = rows.flat().join(' ');
			expect(body).not.toMatch(/Prénom|Nom\d|@|\d{4}-\d{2}-\d{2}/);
			expect(new Set(rows.map((row) => row[0])).size).toBe(rows.length);
			// The file says which level each attribute was published at and how many were suppressed.
			const said = Object.fromEntries(preamble.map((line) => [line[0], line[1]]));
			expect(said['k']).toBe(String(k));
			expect(said['Ménages supprimés']).toBe(String(file.report.suppressed));
			expect(Object.keys(said).filter((label) => label.startsWith('Niveau'))).toHaveLength(6);
		}
	});

	test('pseudonyms are new at every export: two extracts cannot be linked by id', async () => {
		await seedCommunes(ctx.db);
		const { actors } = await seedObservatoryProgramme(ctx.db, researchHouseholds());
		const viewer = observatoryViewerOf(actors.admin);
		const a = extractTable(
			(await exportResearchExtract({ viewer, input: { k: 2 }, locale: 'fr' }, { db: ctx.db, now: NOW })).body
		);
		const b = extractTable(
			(await exportResearchExtract({ viewer, input: { k: 2 }, locale: 'fr' }, { db: ctx.db, now: NOW })).body
		);
		const idsOfA = new Set(a.rows.map((row) => row[0]));
		expect(b.rows.some((row) => idsOfA.has(row[0]))).toBe(false);
	});

	test('k larger than the data suppresses everything: a clear refusal instead of an empty file', async () => {
		await seedCommunes(ctx.db);
		const { actors } = await seedObservatoryProgramme(ctx.db, researchHouseholds());
		const viewer = observatoryViewerOf(actors.admin);
		try {
			await exportResearchExtract({ viewer, input: { k: 50 }, locale: 'fr' }, { db: ctx.db, now: NOW });
			expect.unreachable();
		} catch (err) {
			expect(isDomainError(err, 'observatory_exports.research_all_suppressed')).toBe(true);
			expect((err as { details: unknown }).details).toEqual({ k: 50, households: 12 });
		}
		// A selection where nobody consented.
		expect(
			await codeOf(
				exportResearchExtract({ viewer, filters: { cohort: 2022 }, locale: 'fr' }, { db: ctx.db, now: NOW })
			)
		).toBe('observatory_exports.research_no_consent');
	});

	test('k must be a whole number from 2 to 100', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, researchHouseholds());
		const viewer = observatoryViewerOf(actors.admin);
		for (const k of ['abc', '1', '2.5', '101']) {
			try {
				await exportResearchExtract({ viewer, input: { k }, locale: 'fr' }, { db: ctx.db, now: NOW });
				expect.unreachable();
			} catch (err) {
				expect(err).toBeInstanceOf(ValidationError);
				expect((err as ValidationError).issues).toEqual([
					{ field: 'k', code: 'observatory_exports.invalid_k' }
				]);
			}
		}
	});

	test('advisors and committee members cannot download the research extract', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, researchHouseholds());
		for (const actor of [actors.advisor, actors.committee]) {
			expect(
				await codeOf(
					exportResearchExtract(
						{ viewer: observatoryViewerOf(actor), locale: 'fr' },
						{ db: ctx.db, now: NOW }
					)
				)
			).toBe('observatory_exports.research_forbidden');
		}
	});

	test('a programme name typed as a formula is defused in the extract, CSV and XLSX', async () => {
		await seedCommunes(ctx.db);
		const { actors, programme } = await seedObservatoryProgramme(ctx.db, researchHouseholds());
		await ctx.db
			.update(programmesTable)
			.set({ name: '@SUM(1+1)*cmd|calc' })
			.where(eq(programmesTable.id, programme.id));
		const viewer = observatoryViewerOf(actors.admin);
		const csv = await exportResearchExtract(
			{ viewer, input: { k: 2 }, locale: 'fr' },
			{ db: ctx.db, now: NOW }
		);
		expect(text(csv.body)).toContain(";'@SUM(1+1)*cmd|calc");
		expect(text(csv.body)).not.toMatch(/(^|;)@SUM/m);
		const xlsx = await exportResearchExtract(
			{ viewer, input: { k: 2, format: 'xlsx' }, locale: 'fr' },
			{ db: ctx.db, now: NOW }
		);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
		const values = workbook.worksheets[0].getColumn(2).values;
		expect(values).toContain("'@SUM(1+1)*cmd|calc");
	});

	test('the XLSX extract holds the same rows as a table sheet', async () => {
		await seedCommunes(ctx.db);
		const { actors } = await seedObservatoryProgramme(ctx.db, researchHouseholds());
		const file = await exportResearchExtract(
			{ viewer: observatoryViewerOf(actors.admin), input: { k: 2, format: 'xlsx' }, locale: 'en' },
			{ db: ctx.db, now: NOW }
		);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
		const sheet = workbook.worksheets[1];
		expect(sheet.getRow(1).getCell(1).value).toBe('pseudonym');
		expect(sheet.rowCount - 1).toBe(file.report.kept);
	});
});
