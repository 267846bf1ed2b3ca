import { and, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { auditEntriesTable, personsTable, type Role } from '../../db/schema/index.ts';
import { updatePerson } from '../case/case-household.service.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';
import { createTestCase, createTestProgrammes, createTestUser } from '../../testing/factories.ts';
import { listOtherTexts, mapOtherTextToKey } from './vocabulary.service.ts';

describeEachDb('vocabularies: texts typed as "other" and their mapping', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme, other } = await createTestProgrammes(db);
		const actorOf = async (role: Role, email: string, programmeId = programme.id) =>
			(await createTestUser(db, { role, programmeId, email })).actor;
		const advisor = await actorOf('advisor', 'advisor@gers.example');
		const otherAdvisor = await actorOf('advisor', 'advisor@lot.example', other.id);
		/** A case whose candidate typed a sector, and with `isStatusOther` the status "other: Retraité". */
		const kase = (actor: typeof advisor, lastName: string, sector: string, isStatusOther = false) =>
			createTestCase(db, {
				actor,
				input: { lastName, sector, ...(isStatusOther ? { status: 'other', statusOther: 'Retraité' } : {}) }
			});
		return { db, programme, other, advisor, otherAdvisor, actorOf, kase };
	};

	test('a sector typed by hand is stored as a key when its words are known, else as "other" with the text', async () => {
		const { db, advisor, kase } = await setup();
		const known = await kase(advisor, 'Aubert', 'Numérique');
		const unknown = await kase(advisor, 'Brun', 'Œnologie');
		expect(known.candidate).toMatchObject({ sector: 'digital', sectorOther: null });
		expect(unknown.candidate).toMatchObject({ sector: 'other', sectorOther: 'Œnologie' });
		// Editing the person with a key of the list drops the text.
		await updatePerson(
			{
				actor: advisor,
				caseId: unknown.case.id,
				personId: unknown.candidate.id,
				input: { sector: 'agriculture' }
			},
			{ db }
		);
		const [edited] = await db.select().from(personsTable).where(eq(personsTable.id, unknown.candidate.id));
		expect(edited).toMatchObject({ sector: 'agriculture', sectorOther: null });
	});

	test('staff see the texts typed as "other" with counts, spellings folded together, their programme only', async () => {
		const { db, advisor, otherAdvisor, kase } = await setup();
		await kase(advisor, 'Aubert', 'Œnologie');
		await kase(advisor, 'Brun', 'oenologie');
		await kase(advisor, 'Colin', 'Astrophysique', true);
		await kase(advisor, 'Dumas', 'Numérique');
		await kase(otherAdvisor, 'Lot', 'Spéléologie');

		const { vocabularies } = await listOtherTexts({ actor: advisor }, { db });
		const sector = vocabularies.find((v) => v.vocabulary === 'sector')!;
		// "Œnologie" and "oenologie" are one text, shown as first typed; "Numérique" is a known sector.
		expect(sector.texts.map(({ text, persons }) => [text, persons])).toEqual([
			['Œnologie', 2],
			['Astrophysique', 1]
		]);
		expect(sector.keys).not.toContain('other');
		const status = vocabularies.find((v) => v.vocabulary === 'status')!;
		expect(status.texts).toEqual([{ text: 'Retraité', persons: 1, cases: 1, suggestedKey: null }]);

		const lot = await listOtherTexts({ actor: otherAdvisor }, { db });
		expect(lot.vocabularies.find((v) => v.vocabulary === 'sector')!.texts.map((t) => t.text)).toEqual([
			'Spéléologie'
		]);
	});

	test('an advisor maps a text to a sector: every person of the programme with it, audited, in one go', async () => {
		const { db, advisor, otherAdvisor, kase } = await setup();
		const a = await kase(advisor, 'Aubert', 'Sommellerie');
		const b = await kase(advisor, 'Brun', 'SOMMELLERIE ');
		const c = await kase(advisor, 'Colin', 'Astrophysique');
		const lot = await kase(otherAdvisor, 'Lot', 'Sommellerie');

		const result = await mapOtherTextToKey(
			{ actor: advisor, input: { vocabulary: 'sector', text: 'Sommellerie', key: 'commerce' } },
			{ db }
		);
		expect(result).toEqual({ vocabulary: 'sector', key: 'commerce', persons: 2 });
		const sectorOf = async (id: string) =>
			(await db.select().from(personsTable).where(eq(personsTable.id, id)))[0];
		expect(await sectorOf(a.candidate.id)).toMatchObject({ sector: 'commerce', sectorOther: null });
		expect(await sectorOf(b.candidate.id)).toMatchObject({ sector: 'commerce', sectorOther: null });
		expect(await sectorOf(c.candidate.id)).toMatchObject({ sector: 'other', sectorOther: 'Astrophysique' });
		// Another programme's persons with the same text are untouched.
		expect(await sectorOf(lot.candidate.id)).toMatchObject({ sector: 'other', sectorOther: 'Sommellerie' });

		const audit = await db
			.select()
			.from(auditEntriesTable)
			.where(and(eq(auditEntriesTable.entityId, b.candidate.id), eq(auditEntriesTable.action, 'update')));
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			caseId: b.case.id,
			actorId: advisor.userId,
			before: { sector: 'other', sectorOther: 'SOMMELLERIE' },
			after: { sector: 'commerce', sectorOther: null }
		});

		// Mapped once, the text is gone from the list; mapping it again finds no one.
		const { vocabularies } = await listOtherTexts({ actor: advisor }, { db });
		expect(vocabularies.find((v) => v.vocabulary === 'sector')!.texts.map((t) => t.text)).toEqual([
			'Astrophysique'
		]);
		await expectDomainError(
			mapOtherTextToKey(
				{ actor: advisor, input: { vocabulary: 'sector', text: 'Sommellerie', key: 'commerce' } },
				{ db }
			),
			'vocabulary.text_not_found'
		);
	});

	test('a status typed as "other" is mapped to a status; a key of another vocabulary is refused', async () => {
		const { db, advisor, kase } = await setup();
		const a = await kase(advisor, 'Aubert', 'Numérique', true);
		await expect(
			expectIssuesByField(
				mapOtherTextToKey(
					{ actor: advisor, input: { vocabulary: 'status', text: 'Retraité', key: 'digital' } },
					{ db }
				)
			)
		).resolves.toEqual({ key: 'vocabulary.invalid_key' });
		await expect(
			expectIssuesByField(
				mapOtherTextToKey(
					{ actor: advisor, input: { vocabulary: 'sector', text: ' ', key: 'nowhere' as 'digital' } },
					{ db }
				)
			)
		).resolves.toEqual({ text: 'vocabulary.text_required', key: 'vocabulary.invalid_key' });
		await mapOtherTextToKey(
			{ actor: advisor, input: { vocabulary: 'status', text: 'retraite', key: 'founder' } },
			{ db }
		);
		const [person] = await db.select().from(personsTable).where(eq(personsTable.id, a.candidate.id));
		expect(person).toMatchObject({ status: 'founder', statusOther: null });
	});

	test('committee members, partners, members and candidates can neither see nor map the texts', async () => {
		const { db, advisor, actorOf, kase } = await setup();
		const a = await kase(advisor, 'Aubert', 'Œnologie');
		const admin = await actorOf('admin', 'admin@gers.example');
		expect((await listOtherTexts({ actor: admin }, { db })).vocabularies[0].texts).toHaveLength(1);
		for (const role of ['committee', 'partner', 'member', 'candidate'] as const) {
			const actor = await actorOf(role, `${role}@gers.example`);
			await expectDomainError(listOtherTexts({ actor }, { db }), 'vocabulary.forbidden');
			await expectDomainError(
				mapOtherTextToKey(
					{ actor, input: { vocabulary: 'sector', text: 'Œnologie', key: 'agriculture' } },
					{ db }
				),
				'vocabulary.forbidden'
			);
		}
		const [person] = await db.select().from(personsTable).where(eq(personsTable.id, a.candidate.id));
		expect(person).toMatchObject({ sector: 'other', sectorOther: 'Œnologie' });
	});

	test('an origin typed by hand is stored as its region, abroad with its country, or "other" with the text', async () => {
		const { db, advisor } = await setup();
		const withOrigin = (lastName: string, input: Record<string, string>) =>
			createTestCase(db, { actor: advisor, input: { lastName, ...input } });
		const region = await withOrigin('Aubert', { originArea: 'Haute-Garonne' });
		const country = await withOrigin('Brun', { originArea: 'Belgique' });
		const other = await withOrigin('Colin', { originArea: 'other', originAreaOther: 'Polynésie' });
		const withCountry = await withOrigin('Dumas', { originCountry: 'nl', originArea: 'Noord-Holland' });
		expect(region.candidate).toMatchObject({ originArea: 'occitanie', originAreaOther: null });
		expect(country.candidate).toMatchObject({
			originCountry: 'BE',
			originArea: 'abroad',
			originAreaOther: null
		});
		expect(other.candidate).toMatchObject({ originArea: 'other', originAreaOther: 'Polynésie' });
		expect(withCountry.candidate).toMatchObject({ originCountry: 'NL', originArea: 'abroad' });
		// Editing the person with a key of the list drops the text and keeps the country.
		await updatePerson(
			{
				actor: advisor,
				caseId: other.case.id,
				personId: other.candidate.id,
				input: { originArea: 'overseas', originAreaOther: 'Polynésie' }
			},
			{ db }
		);
		const [edited] = await db.select().from(personsTable).where(eq(personsTable.id, other.candidate.id));
		expect(edited).toMatchObject({ originArea: 'overseas', originAreaOther: null });
	});

	test('an advisor maps an origin typed as "other" to a region for the whole programme, audited; other programmes untouched', async () => {
		const { db, advisor, otherAdvisor } = await setup();
		const withOrigin = (actor: typeof advisor, lastName: string, text: string) =>
			createTestCase(db, { actor, input: { lastName, originArea: 'other', originAreaOther: text } });
		const a = await withOrigin(advisor, 'Aubert', 'Polynésie');
		const b = await withOrigin(advisor, 'Brun', 'POLYNESIE');
		await withOrigin(advisor, 'Colin', 'Sud-Ouest');
		const lot = await withOrigin(otherAdvisor, 'Lot', 'Polynésie');

		const listed = await listOtherTexts({ actor: advisor }, { db });
		const origin = listed.vocabularies.find((v) => v.vocabulary === 'origin')!;
		expect(origin.texts.map(({ text, persons, cases }) => [text, persons, cases])).toEqual([
			['Polynésie', 2, 2],
			['Sud-Ouest', 1, 1]
		]);
		expect(origin.keys).toContain('overseas');
		expect(origin.keys).not.toContain('other');
		const lotListed = await listOtherTexts({ actor: otherAdvisor }, { db });
		expect(lotListed.vocabularies.find((v) => v.vocabulary === 'origin')!.texts.map((t) => t.text)).toEqual([
			'Polynésie'
		]);

		// A sector key is no origin.
		await expect(
			expectIssuesByField(
				mapOtherTextToKey(
					{ actor: advisor, input: { vocabulary: 'origin', text: 'Polynésie', key: 'digital' } },
					{ db }
				)
			)
		).resolves.toEqual({ key: 'vocabulary.invalid_key' });
		const result = await mapOtherTextToKey(
			{ actor: advisor, input: { vocabulary: 'origin', text: 'polynésie', key: 'overseas' } },
			{ db }
		);
		expect(result).toEqual({ vocabulary: 'origin', key: 'overseas', persons: 2 });
		const originOf = async (id: string) =>
			(await db.select().from(personsTable).where(eq(personsTable.id, id)))[0];
		expect(await originOf(a.candidate.id)).toMatchObject({ originArea: 'overseas', originAreaOther: null });
		expect(await originOf(b.candidate.id)).toMatchObject({ originArea: 'overseas', originAreaOther: null });
		expect(await originOf(lot.candidate.id)).toMatchObject({
			originArea: 'other',
			originAreaOther: 'Polynésie'
		});
		const audit = await db
			.select()
			.from(auditEntriesTable)
			.where(and(eq(auditEntriesTable.entityId, b.candidate.id), eq(auditEntriesTable.action, 'update')));
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			caseId: b.case.id,
			actorId: advisor.userId,
			before: { originArea: 'other', originAreaOther: 'POLYNESIE' },
			after: { originArea: 'overseas', originAreaOther: null }
		});
		// Another programme's advisor cannot map this programme's texts: theirs only.
		await expectDomainError(
			mapOtherTextToKey(
				{ actor: otherAdvisor, input: { vocabulary: 'origin', text: 'Sud-Ouest', key: 'occitanie' } },
				{ db }
			),
			'vocabulary.text_not_found'
		);
		expect(
			(await listOtherTexts({ actor: advisor }, { db })).vocabularies.at(-1)!.texts.map((t) => t.text)
		).toEqual(['Sud-Ouest']);
	});

	test('committee members, partners and candidates can neither see nor map the origins typed', async () => {
		const { db, advisor, actorOf } = await setup();
		const a = await createTestCase(db, {
			actor: advisor,
			input: { lastName: 'Aubert', originArea: 'other', originAreaOther: 'Polynésie' }
		});
		for (const role of ['committee', 'partner', 'candidate'] as const) {
			const actor = await actorOf(role, `${role}@gers.example`);
			await expectDomainError(listOtherTexts({ actor }, { db }), 'vocabulary.forbidden');
			await expectDomainError(
				mapOtherTextToKey(
					{ actor, input: { vocabulary: 'origin', text: 'Polynésie', key: 'overseas' } },
					{ db }
				),
				'vocabulary.forbidden'
			);
		}
		const [person] = await db.select().from(personsTable).where(eq(personsTable.id, a.candidate.id));
		expect(person).toMatchObject({ originArea: 'other', originAreaOther: 'Polynésie' });
	});
});
