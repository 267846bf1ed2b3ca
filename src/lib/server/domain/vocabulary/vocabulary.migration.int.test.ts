import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { personsTable } from '../../db/schema/index.ts';
import { createTestCase, createTestProgrammes, createTestUser } from '../../testing/factories.ts';
import { originValues, resolveVocabularyValue } from './vocabulary.rules.ts';

const MIGRATION = new URL('../../db/migrations/0034_person_vocabulary_keys.sql', import.meta.url);
const ORIGIN_MIGRATION = new URL('../../db/migrations/0039_person_origin_keys.sql', import.meta.url);

describeEachDb('migration 0034: sectors typed before the vocabulary', (ctx) => {
	test('typed sectors become keys where their words match, the rest "other" with the text kept', async () => {
		const db = ctx.db;
		const { programme } = await createTestProgrammes(db);
		const { actor } = await createTestUser(db, {
			role: 'advisor',
			programmeId: programme.id,
			email: 'a@gers.example'
		});
		// Sectors as older versions stored them: free text, written here past the services.
		const typed = [
			'Numérique',
			'ARTS ET CULTURE',
			' btp ',
			'Astrophysique',
			'autre',
			'',
			'digital',
			'Conseil en stratégie'
		];
		const ids: string[] = [];
		for (const [i, sector] of typed.entries()) {
			const { candidate } = await createTestCase(db, { actor, input: { lastName: `Legacy ${i}` } });
			await db
				.update(personsTable)
				.set({ sector: sector as 'other' })
				.where(eq(personsTable.id, candidate.id));
			ids.push(candidate.id);
		}
		for (const statement of readFileSync(MIGRATION, 'utf8').split('--> statement-breakpoint')) {
			await db.execute(sql.raw(statement));
		}
		const rows = await Promise.all(
			ids.map(async (id) => {
				const [person] = await db
					.select({ sector: personsTable.sector, sectorOther: personsTable.sectorOther })
					.from(personsTable)
					.where(eq(personsTable.id, id));
				return person;
			})
		);
		expect(rows).toEqual([
			{ sector: 'digital', sectorOther: null },
			{ sector: 'arts', sectorOther: null },
			{ sector: 'construction', sectorOther: null },
			{ sector: 'other', sectorOther: 'Astrophysique' },
			{ sector: 'other', sectorOther: null },
			{ sector: null, sectorOther: null },
			{ sector: 'digital', sectorOther: null },
			// The migration matches whole texts only; the forms and imports also read words inside a
			// text, so an advisor maps what the migration left (or it is typed again).
			{ sector: 'other', sectorOther: 'Conseil en stratégie' }
		]);
		// Every whole text the migration converts, the rules read the same way.
		for (const [i, sector] of typed.entries()) {
			if (rows[i].sector !== 'other' && rows[i].sector !== null) {
				expect(resolveVocabularyValue('sector', sector).key).toBe(rows[i].sector);
			}
		}
	});
});

describeEachDb('migration 0039: origins typed before the vocabulary', (ctx) => {
	test('typed origins become regions, overseas or abroad with the country, the rest "other" with the text kept', async () => {
		const db = ctx.db;
		const { programme } = await createTestProgrammes(db);
		const { actor } = await createTestUser(db, {
			role: 'advisor',
			programmeId: programme.id,
			email: 'a@gers.example'
		});
		// Origins as older versions stored them: free text, written here past the services.
		const typed: [country: string | null, area: string | null][] = [
			['FR', 'Île-de-France'],
			[null, 'ILE DE FRANCE'],
			['FR', 'Haute-Garonne'],
			[null, '75'],
			[null, 'Paris'],
			[null, '31000'],
			[null, 'Provence-Alpes-Côte d’Azur'],
			[null, 'La Réunion'],
			[null, 'Belgique'],
			[null, 'UK'],
			['NL', 'Noord-Holland'],
			['DE', null],
			[null, 'France'],
			[null, 'Polynésie'],
			[null, 'Haute-Garonne (Toulouse)'],
			[null, 'autre'],
			[null, ' '],
			['FR', null],
			[null, 'occitanie']
		];
		const ids: string[] = [];
		for (const [i, [country, area]] of typed.entries()) {
			const { candidate } = await createTestCase(db, { actor, input: { lastName: `Legacy ${i}` } });
			await db
				.update(personsTable)
				.set({ originCountry: country, originArea: area as 'other', originAreaOther: null })
				.where(eq(personsTable.id, candidate.id));
			ids.push(candidate.id);
		}
		for (const statement of readFileSync(ORIGIN_MIGRATION, 'utf8').split('--> statement-breakpoint')) {
			await db.execute(sql.raw(statement));
		}
		const rows = await Promise.all(
			ids.map(async (id) => {
				const [person] = await db
					.select({
						country: personsTable.originCountry,
						area: personsTable.originArea,
						other: personsTable.originAreaOther
					})
					.from(personsTable)
					.where(eq(personsTable.id, id));
				return [person.country, person.area, person.other];
			})
		);
		expect(rows).toEqual([
			['FR', 'ile_de_france', null],
			[null, 'ile_de_france', null],
			['FR', 'occitanie', null],
			[null, 'ile_de_france', null],
			[null, 'ile_de_france', null],
			[null, 'occitanie', null],
			[null, 'provence_alpes_cote_d_azur', null],
			[null, 'overseas', null],
			['BE', 'abroad', null],
			['GB', 'abroad', null],
			// A region abroad is not kept: the country is what the observatory counts.
			['NL', 'abroad', null],
			['DE', 'abroad', null],
			['FR', null, null],
			[null, 'other', 'Polynésie'],
			// The migration matches whole texts only; the vocabularies page suggests Occitanie for it.
			[null, 'other', 'Haute-Garonne (Toulouse)'],
			[null, 'other', null],
			[null, null, null],
			['FR', null, null],
			[null, 'occitanie', null]
		]);
		// Every whole text the migration converts, the rules read the same way.
		for (const [i, [country, area]] of typed.entries()) {
			if (rows[i][1] !== 'other' && area?.trim()) {
				const expected = originValues({ originCountry: country, originArea: area });
				expect([expected.originCountry, expected.originArea]).toEqual([rows[i][0], rows[i][1]]);
			}
		}
	});
});
