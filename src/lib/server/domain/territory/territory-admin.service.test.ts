import { readFileSync } from 'node:fs';
import { count, isNotNull } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable } from '../../db/schema/index.ts';
import { findBundledReference } from '../../geo/reference.ts';
import { createProgramme } from '../programme/programme.service.ts';
import { setProgrammeMetropolePosition } from '../village/village.service.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import {
	getTerritoryOverview,
	importBundledReference,
	uploadCommuneOutlines,
	uploadInseeTable
} from './territory-admin.service.ts';
import { findSettingsAuditEntries } from '../programme-settings/programme-settings.repository.ts';
import { initTerritory } from './territory.service.ts';
import { createTestProgramme, createTestUser } from '../../testing/factories.ts';

const [GERS] = findBundledReference(['32'])!;
const file = (path: string, name = path.split('/').pop()!) => ({
	name,
	bytes: new Uint8Array(readFileSync(path))
});
const text = (name: string, content: string) => ({ name, bytes: new TextEncoder().encode(content) });

/** A square outline for Toulouse (31555): a valid commune file of another département. */
const TOULOUSE = JSON.stringify({
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			properties: { code: '31555', nom: 'Toulouse' },
			geometry: {
				type: 'Polygon',
				coordinates: [
					[
						[1.35, 43.55],
						[1.5, 43.55],
						[1.5, 43.67],
						[1.35, 43.67],
						[1.35, 43.55]
					]
				]
			}
		}
	]
});

describeEachDb('reference data in the back office', (ctx) => {
	async function setUp() {
		const { programme } = await createProgramme(
			{ input: { slug: 'gers', name: 'Gers', departements: ['32'], metropoleCode: '31555' } },
			{ db: ctx.db }
		);
		await initTerritory({ departements: ['32'] }, { db: ctx.db });
		const user = (role: 'admin' | 'advisor' | 'committee' | 'member', email: string) =>
			createTestUser(ctx.db, { role, programmeId: programme.id, email }).then((u) => u.actor);
		return {
			programme,
			admin: await user('admin', 'admin@x.org'),
			advisor: await user('advisor', 'advisor@x.org'),
			committee: await user('committee', 'maire@x.org'),
			member: await user('member', 'm@x.org')
		};
	}
	const withOutline = async () =>
		(await ctx.db.select({ n: count() }).from(communesTable).where(isNotNull(communesTable.geometry)))[0].n;
	const withAav = async () =>
		(await ctx.db.select({ n: count() }).from(communesTable).where(isNotNull(communesTable.aavCategory)))[0]
			.n;

	test('the territory status says what is missing, to admins only', async () => {
		const { programme, admin, advisor, committee, member } = await setUp();
		const overview = await getTerritoryOverview({ actor: admin }, { db: ctx.db });
		expect(overview.departements).toMatchObject([
			{
				departement: '32',
				name: 'Gers',
				communes: 458,
				withOutline: 0,
				withAavCategory: 0,
				hasBundledData: true
			}
		]);
		expect(overview.metropole).toEqual({ code: '31555', name: 'Toulouse', hasPosition: false });
		expect(overview.gaps).toEqual([
			'outlines',
			'insee',
			'canton_seats',
			'metropole_position',
			'connectivity'
		]);

		await setProgrammeMetropolePosition(
			{ programmeId: programme.id, lat: 43.6045, lon: 1.4442 },
			{ db: ctx.db }
		);
		expect((await getTerritoryOverview({ actor: admin }, { db: ctx.db })).gaps).not.toContain(
			'metropole_position'
		);
		for (const actor of [advisor, committee, member, null]) {
			await expectDomainError(getTerritoryOverview({ actor }, { db: ctx.db }), 'territory.forbidden');
		}
	});

	test('an admin uploads the Gers outlines: 458 communes outlined, former communes merged, the same report as the CLI', async () => {
		const { admin, advisor } = await setUp();
		await expectDomainError(
			uploadCommuneOutlines({ actor: advisor, input: { file: file(GERS.outlines) } }, { db: ctx.db }),
			'territory.forbidden'
		);
		expect(await withOutline()).toBe(0);

		const progress: number[] = [];
		const report = await uploadCommuneOutlines(
			{ actor: admin, input: { file: file(GERS.outlines) } },
			{ db: ctx.db, onProgress: (p) => progress.push(p.done) }
		);
		expect(report).toMatchObject({
			source: 'communes-32-gers.geojson',
			features: 462,
			matched: 458,
			updated: 458,
			unmatched: [],
			stillWithoutOutline: 0
		});
		expect(report.merged.length).toBe(4);
		expect(report.merged).toContainEqual(expect.objectContaining({ code: '32074', into: '32344' }));
		expect(progress.at(-1)).toBe(458);
		expect(await withOutline()).toBe(458);
		const [audited] = await findSettingsAuditEntries({
			db: ctx.db,
			programmeId: admin.programmeId,
			limit: 5
		});
		expect(audited).toMatchObject({
			actorId: admin.userId,
			before: { section: 'reference_outlines' },
			after: { section: 'reference_outlines', file: 'communes-32-gers.geojson', matched: 458, updated: 458 }
		});
		const overview = await getTerritoryOverview({ actor: admin }, { db: ctx.db });
		expect(overview.gaps).not.toContain('outlines');
		expect(overview.departements[0]).toMatchObject({
			withOutline: 458,
			outlineSource: 'communes-32-gers.geojson'
		});
	});

	test('an outline file of another département, malformed or missing is refused, naming the field, and nothing is written', async () => {
		const { admin } = await setUp();
		const refused = await expectDomainError(
			uploadCommuneOutlines(
				{ actor: admin, input: { file: text('toulouse.geojson', TOULOUSE) } },
				{ db: ctx.db }
			),
			'territory.outlines_other_departement'
		);
		expect(refused).toMatchObject({ details: { field: 'file', found: '31', expected: '32' } });
		await expectDomainError(
			uploadCommuneOutlines(
				{ actor: admin, input: { file: text('x.geojson', '{"type": "Feat') } },
				{ db: ctx.db }
			),
			'territory.invalid_json'
		);
		await expectDomainError(
			uploadCommuneOutlines(
				{ actor: admin, input: { file: text('x.geojson', '{"type":"Feature","properties":{}}') } },
				{ db: ctx.db }
			),
			'territory.invalid_geojson'
		);
		await expectDomainError(
			uploadCommuneOutlines({ actor: admin, input: { file: text('x.geojson', '') } }, { db: ctx.db }),
			'territory.file_required'
		);
		await expectDomainError(
			uploadCommuneOutlines({ actor: admin, input: { file: null } }, { db: ctx.db }),
			'territory.file_required'
		);
		expect(await withOutline()).toBe(0);
		expect(await findSettingsAuditEntries({ db: ctx.db, programmeId: admin.programmeId, limit: 5 })).toEqual(
			[]
		);
	});

	test('an admin uploads the INSEE table and the cantons file; other files are refused and nothing is written', async () => {
		const { admin, committee } = await setUp();
		const input = { communes: file(GERS.inseeCommunes), cantons: file(GERS.inseeCantons) };
		await expectDomainError(
			uploadInseeTable({ actor: committee, input }, { db: ctx.db }),
			'territory.forbidden'
		);
		const lot = text('table-lot.csv', 'CODGEO;LIBGEO;CV;AAV2020;CATEAAV2020\n46042;Cahors;4699;115;11\n');
		const refused = await expectDomainError(
			uploadInseeTable({ actor: admin, input: { communes: lot } }, { db: ctx.db }),
			'territory.insee_no_match'
		);
		expect(refused).toMatchObject({ details: { field: 'communes', expected: '32' } });
		await expectDomainError(
			uploadInseeTable({ actor: admin, input: { communes: text('t.csv', 'a;b\n1;2\n') } }, { db: ctx.db }),
			'territory.insee_missing_columns'
		);
		await expectDomainError(
			uploadInseeTable({ actor: admin, input: { communes: null } }, { db: ctx.db }),
			'territory.file_required'
		);
		expect(await withAav()).toBe(0);

		const report = await uploadInseeTable({ actor: admin, input }, { db: ctx.db });
		// 461 rows (COG 2022) for 458 current communes: former codes go to their successor or are superseded.
		expect(report).toMatchObject({ rows: 461, cantonSeats: 15, missing: [] });
		expect(report.matched + report.mappedFromFormer.length).toBe(458);
		expect(await withAav()).toBe(458);
		// Only the accepted upload is in the settings history.
		const history = await findSettingsAuditEntries({ db: ctx.db, programmeId: admin.programmeId, limit: 5 });
		expect(history.map((entry) => entry.after)).toEqual([
			{
				section: 'reference_insee',
				file: GERS.inseeCommunes.split('/').at(-1),
				cantons: GERS.inseeCantons.split('/').at(-1),
				matched: report.matched,
				updated: report.updated
			}
		]);
		expect((await getTerritoryOverview({ actor: admin }, { db: ctx.db })).gaps).toEqual([
			'outlines',
			'metropole_position',
			'connectivity'
		]);
	});

	test('an admin imports the reference data shipped with soho, offline; a programme without any gets a clear refusal', async () => {
		const { admin, advisor } = await setUp();
		await expectDomainError(
			importBundledReference({ actor: advisor }, { db: ctx.db }),
			'territory.forbidden'
		);
		expect(await withOutline()).toBe(0);
		const result = await importBundledReference({ actor: admin }, { db: ctx.db });
		expect(result.departements).toEqual(['32']);
		expect(result.outlines[0]).toMatchObject({ matched: 458, stillWithoutOutline: 0 });
		expect(await withOutline()).toBe(458);
		expect(await withAav()).toBe(458);

		const lot = await createTestProgramme(ctx.db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		const { actor: lotAdmin } = await createTestUser(ctx.db, {
			role: 'admin',
			programmeId: lot.id,
			email: 'admin@lot.org'
		});
		const refused = await expectDomainError(
			importBundledReference({ actor: lotAdmin }, { db: ctx.db }),
			'territory.no_bundled_data'
		);
		expect(refused).toMatchObject({ details: { departements: '46' } });
	});
});
