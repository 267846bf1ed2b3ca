import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { removePerson, updatePerson } from './case-household.service.ts';
import { createCase } from './case-intake.service.ts';
import { dismissDuplicate, listDuplicates } from './case-merge.service.ts';
import { getCase } from './case.service.ts';
import { application, applyOn, householdApplication, setupCommitteeProgrammes } from './case.test-utils.ts';

describeEachDb('case household', (ctx) => {
	const setup = () => setupCommitteeProgrammes(ctx.db);
	const apply = applyOn(ctx, householdApplication);

	test('the only adult cannot be removed; with a partner, the partner becomes the candidate', async () => {
		const { db, programme, actors } = await setup();
		const alone = await apply(
			programme.id,
			application({
				email: 'seul@example.org',
				phone: '',
				birthYear: '',
				hasPartner: undefined,
				adultsCount: '1'
			})
		);
		await expectDomainError(
			removePerson({ actor: actors.advisor, caseId: alone.case.id, personId: alone.persons[0].id }, { db }),
			'case.last_adult'
		);
		const couple = await apply(
			programme.id,
			application({ email: 'couple@example.org', phone: '', birthYear: '' })
		);
		const { promoted } = await removePerson(
			{ actor: actors.advisor, caseId: couple.case.id, personId: couple.persons[0].id },
			{ db }
		);
		expect(promoted).toMatchObject({ firstName: 'Marc', householdRole: 'candidate' });
		await expectDomainError(
			removePerson({ actor: actors.advisor, caseId: alone.case.id, personId: couple.persons[1].id }, { db }),
			'case.person_not_found'
		);
	});

	test('a household entered twice with the same name and birth year is flagged, accents and case aside', async () => {
		const { db, programme, actors } = await setup();
		const first = await apply(programme.id);
		const { case: second } = await createCase(
			{
				actor: actors.advisor,
				input: { firstName: 'helene', lastName: 'GARNIER', birthYear: '1988', source: 'fair' }
			},
			{ db }
		);
		expect(second.possibleDuplicateOf).toBe(first.case.id);
		const { case: otherYear } = await createCase(
			{ actor: actors.advisor, input: { firstName: 'Hélène', lastName: 'Garnier', birthYear: '1990' } },
			{ db }
		);
		expect(otherYear.possibleDuplicateOf).toBeNull();
		// Editing a person so they match another case flags it too.
		await updatePerson(
			{
				actor: actors.advisor,
				caseId: otherYear.id,
				personId: (await getCase({ actor: actors.advisor, caseId: otherYear.id }, { db })).persons[0].id,
				input: { email: 'helene.garnier@example.org' }
			},
			{ db }
		);
		const { pairs } = await listDuplicates({ actor: actors.advisor }, { db });
		expect(pairs.map((p) => [p.caseId, p.duplicateOfId]).sort()).toEqual(
			[
				[second.id, first.case.id],
				[otherYear.id, first.case.id]
			].sort()
		);
		await dismissDuplicate({ actor: actors.advisor, caseId: otherYear.id }, { db });
		expect((await listDuplicates({ actor: actors.advisor }, { db })).pairs).toHaveLength(1);
		await expectDomainError(listDuplicates({ actor: actors.committee }, { db }), 'case.forbidden');
	});
});
