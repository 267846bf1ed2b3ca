import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { personsTable } from '../../db/schema/index.ts';
import { createTestCase, createTestProgrammes, createTestUser } from '../../testing/factories.ts';
import { resolveVocabularyValue } from './vocabulary.rules.ts';

const MIGRATION = new URL('../../db/migrations/0034_person_vocabulary_keys.sql', import.meta.url);

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
