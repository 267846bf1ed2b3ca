import { existsSync, readFileSync } from 'node:fs';
import { count, sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communeConnectivityTable } from '../../db/schema/index.ts';
import { initTerritory } from '../territory/territory.service.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import {
	findCommuneConnectivity,
	importConnectivity,
	overrideConnectivity,
	readConnectivityFile
} from './connectivity.service.ts';
import { createTestProgrammes, createTestUser } from '../../testing/factories.ts';

const ARCEP_FILE = new URL(
	'../../../../../../shared/data/arcep/observatoire-thd-ftth-2018T1/ftthCommunes.csv',
	import.meta.url
).pathname;
const hasArcepFile = existsSync(ARCEP_FILE);
if (!hasArcepFile) console.log(`Skipping the ARCEP import test: ${ARCEP_FILE} is absent.`);

describeEachDb('connectivity', (ctx) => {
	const countRows = async () => (await ctx.db.select({ n: count() }).from(communeConnectivityTable))[0].n;

	test.skipIf(!hasArcepFile)(
		"the ARCEP FttH observatory gives the Gers's 7 fibred communes a share, and a second import changes nothing",
		async () => {
			await initTerritory({ departements: ['32'] }, { db: ctx.db });
			const text = readFileSync(ARCEP_FILE, 'utf8');
			const first = await importConnectivity({ text, file: 'ftthCommunes.csv' }, { db: ctx.db });
			expect(first).toMatchObject({
				format: 'arcep-ftth',
				quarter: 'T1 2018',
				source: 'ARCEP FttH T1 2018',
				read: 35361,
				matched: 458,
				created: 458,
				updated: 0,
				unchanged: 0,
				unknown: 35361 - 458,
				// No Gers commune had 80 % of premises on FttH in early 2018.
				withLevel: 0
			});
			expect(first.unknownInTerritory.every((code) => code.startsWith('32'))).toBe(true);
			expect(await countRows()).toBe(458);
			const { connectivity: auch } = await findCommuneConnectivity({ communeCode: '32013' }, { db: ctx.db });
			expect(auch).toMatchObject({ fibreShare: 0.25, level: null, measuredAt: '2018-03-31' });
			const { connectivity: duran } = await findCommuneConnectivity({ communeCode: '32117' }, { db: ctx.db });
			expect(duran?.fibreShare).toBe(0.5);
			const fibred = await ctx.db
				.select({ code: communeConnectivityTable.communeCode })
				.from(communeConnectivityTable)
				.where(sql`${communeConnectivityTable.fibreShare} > 0`);
			expect(fibred.map((r) => r.code).sort()).toEqual([
				'32013',
				'32091',
				'32117',
				'32160',
				'32213',
				'32256',
				'32410'
			]);

			const second = await importConnectivity({ text, file: 'ftthCommunes.csv' }, { db: ctx.db });
			expect(second).toMatchObject({ matched: 458, created: 0, updated: 0, unchanged: 458 });

			const older = await importConnectivity(
				{ text, file: 'ftthCommunes.csv', format: 'arcep-ftth', quarter: 'T3 2017', isDryRun: true },
				{ db: ctx.db }
			);
			expect(older).toMatchObject({ isDryRun: true, created: 0, updated: 458 });
			expect(
				(await findCommuneConnectivity({ communeCode: '32013' }, { db: ctx.db })).connectivity?.measuredAt
			).toBe('2018-03-31');
		}
	);

	test('a levels file sets levels; a malformed one writes nothing', async () => {
		await createTestProgrammes(ctx.db);
		const result = await importConnectivity(
			{ text: 'code_insee;level\n32013;gbit\n32433;30\n99999;8\n', file: 'levels.csv' },
			{ db: ctx.db }
		);
		expect(result).toMatchObject({ format: 'levels', matched: 2, created: 2, unknown: 1, withLevel: 2 });

		await expectDomainError(
			importConnectivity(
				{ text: 'code_insee;level\n32410;100\n32160;100\n32107;very fast\n', file: 'bad.csv' },
				{ db: ctx.db }
			),
			'connectivity.invalid_row'
		);
		expect(await countRows()).toBe(2);
		expect((await findCommuneConnectivity({ communeCode: '32410' }, { db: ctx.db })).connectivity).toBeNull();
	});

	test('staff override a commune level; the override survives imports; others cannot override', async () => {
		const { programme, other } = await createTestProgrammes(ctx.db);
		const { actor: advisor } = await createTestUser(ctx.db, {
			role: 'advisor',
			programmeId: programme.id,
			email: 'advisor@example.org'
		});
		await importConnectivity({ text: '32433;below_8\n', file: 'levels.csv' }, { db: ctx.db });
		const { connectivity } = await overrideConnectivity(
			{ actor: advisor, communeCode: '32433', level: '100', note: 'Fibre network opened in the village' },
			{ db: ctx.db }
		);
		expect(connectivity).toMatchObject({ level: 'below_8', overrideLevel: '100', effectiveLevel: '100' });
		await importConnectivity({ text: '32433;8\n', file: 'levels.csv' }, { db: ctx.db });
		expect(
			(await findCommuneConnectivity({ communeCode: '32433' }, { db: ctx.db })).connectivity
		).toMatchObject({
			level: '8',
			effectiveLevel: '100'
		});
		const cleared = await overrideConnectivity(
			{ actor: advisor, communeCode: '32433', level: null },
			{ db: ctx.db }
		);
		expect(cleared.connectivity).toMatchObject({ effectiveLevel: '8', overrideNote: null });

		for (const role of ['committee', 'partner', 'member', 'candidate'] as const) {
			const { actor } = await createTestUser(ctx.db, {
				role,
				programmeId: programme.id,
				email: `${role}@example.org`
			});
			await expectDomainError(
				overrideConnectivity({ actor, communeCode: '32433', level: 'gbit' }, { db: ctx.db }),
				'connectivity.forbidden'
			);
		}
		// A commune outside the programme's départements, or not imported, does not exist for it.
		await expectDomainError(
			overrideConnectivity({ actor: advisor, communeCode: '46042', level: 'gbit' }, { db: ctx.db }),
			'connectivity.commune_not_found'
		);
		const { actor: lotAdvisor } = await createTestUser(ctx.db, {
			role: 'advisor',
			programmeId: other.id,
			email: 'lot@example.org'
		});
		await overrideConnectivity({ actor: lotAdvisor, communeCode: '32013', level: '30' }, { db: ctx.db });
	});

	test('a missing file is named in the error', () => {
		expect(() => readConnectivityFile({ file: '/nonexistent/levels.csv' })).toThrow(
			'connectivity.file_not_found'
		);
	});
});
