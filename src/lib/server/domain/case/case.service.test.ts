import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { casesTable } from '../../db/schema/index.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createCase } from './case-intake.service.ts';
import { moveCaseToStage } from './case-pipeline.service.ts';
import {
	addActivity,
	assignAdvisor,
	getCase,
	getOwnCase,
	getTimeline,
	listCases,
	readingCaseFile
} from './case.service.ts';
import { loadVisibleCase } from './case.shared.ts';
import { application, applyOn, setupCaseProgrammes } from './case.test-utils.ts';

describeEachDb('cases: reading, timeline and access', (ctx) => {
	const setup = () => setupCaseProgrammes(ctx.db);
	const apply = applyOn(ctx);

	test('the timeline shows stage changes and notes in the order they happened', async () => {
		const { actors, programme } = await setup();
		const { case: kase } = await apply(programme.id, application(), 'fr');
		const at = (iso: string) => ({ db: ctx.db, now: new Date(iso) });
		await addActivity(
			{
				actor: actors.advisor,
				caseId: kase.id,
				kind: 'call',
				occurredAt: '2030-01-02T09:00:00Z',
				summary: 'Premier appel'
			},
			at('2030-01-02T09:05:00Z')
		);
		await moveCaseToStage(
			{ actor: actors.advisor, caseId: kase.id, stage: 'qualified' },
			at('2030-01-03T10:00:00Z')
		);
		await addActivity(
			{
				actor: actors.advisor,
				caseId: kase.id,
				kind: 'note',
				occurredAt: '2030-01-04T10:00:00Z',
				summary: 'Budget confirmé'
			},
			at('2030-01-04T10:00:00Z')
		);
		await moveCaseToStage(
			{ actor: actors.advisor, caseId: kase.id, stage: 'contact', reason: 'Projet à retravailler' },
			at('2030-01-05T10:00:00Z')
		);
		const { activities } = await getTimeline({ actor: actors.advisor, caseId: kase.id }, { db: ctx.db });
		expect(activities.map((a) => [a.kind, a.summary])).toEqual([
			['application', 'Candidature reçue par le formulaire du site'],
			['note', 'Comité de Simorre prévenu (1 membre(s))'],
			['call', 'Premier appel'],
			['stage_change', 'Étape : Premier contact → Qualifié'],
			['note', 'Budget confirmé'],
			['stage_change', 'Étape : Qualifié → Premier contact']
		]);
		expect(activities[5]).toMatchObject({
			body: 'Projet à retravailler',
			data: { from: 'qualified', to: 'contact', transition: 'back' }
		});
	});

	test('the reads of one case page load the case once per reader; writes and other readers load their own', async () => {
		const { actors, programme } = await setup();
		const { case: kase } = await apply(programme.id, application(), 'fr');
		const deps = { db: ctx.db };
		const load = (actor = actors.advisor, forUpdate = false) =>
			loadVisibleCase({ actor, caseId: kase.id, forUpdate }, deps);
		// Outside a page's reads, every call reads the database again.
		expect(await load()).not.toBe(await load());
		await readingCaseFile(async () => {
			const [first, second] = await Promise.all([load(), load()]);
			expect(second).toBe(first);
			expect(await load()).toBe(first);
			// Another reader, or a load for update, is never answered from the shared one.
			expect(await load(actors.admin)).not.toBe(first);
			expect(await load(actors.advisor, true)).not.toBe(first);
			// A case the reader may not see is refused each time, shared or not.
			for (let i = 0; i < 2; i++)
				await expectDomainError(
					loadVisibleCase(
						{ actor: actors.advisor, caseId: 'cas_000000000000000000000', forUpdate: false },
						deps
					),
					'case.not_found'
				);
		});
		// A new page reads the case afresh: what was written in between is seen.
		await moveCaseToStage({ actor: actors.advisor, caseId: kase.id, stage: 'qualified' }, deps);
		const stage = await readingCaseFile(async () => (await load()).kase.stage);
		expect(stage).toBe('qualified');
	});

	test('a committee member sees only consenting cases that target their village, and cannot move stages', async () => {
		const { actors, programme } = await setup();
		const shared = await apply(programme.id);
		const notShared = await apply(
			programme.id,
			application({ email: 'b@example.org', consentShareWithCommittees: undefined })
		);
		const elsewhere = await apply(
			programme.id,
			application({ email: 'c@example.org', villages: ['samatan'] })
		);
		const untargeted = await apply(programme.id, application({ email: 'd@example.org', villages: [] }));
		const db = { db: ctx.db };

		const list = await listCases({ actor: actors.committee }, db);
		expect(list.cases.map((c) => c.id)).toEqual([shared.case.id]);
		expect(list.total).toBe(1);
		expect((await listCases({ actor: actors.advisor }, db)).total).toBe(4);

		const details = await getCase({ actor: actors.committee, caseId: shared.case.id }, db);
		expect(details.access).toBe('committee');
		expect(details.case).not.toHaveProperty('howHeard');
		expect(details.case).not.toHaveProperty('wouldMoveWithoutProgramme');
		expect(details.case).not.toHaveProperty('consents');
		const [candidate, partner, child] = details.persons;
		expect(candidate).toMatchObject({
			firstName: 'Hélène',
			email: 'helene.garnier@example.org',
			phone: '+33612345678',
			age: null
		});
		expect(candidate).not.toHaveProperty('originCountry');
		expect(candidate).not.toHaveProperty('birthYear');
		expect(partner).toMatchObject({ householdRole: 'partner', profession: 'Infirmier' });
		expect(child).toMatchObject({ householdRole: 'child', age: 7 });

		for (const caseId of [notShared.case.id, elsewhere.case.id, untargeted.case.id, 'cas_nonsense']) {
			await expectDomainError(getCase({ actor: actors.committee, caseId }, db), 'case.not_found');
			await expectDomainError(getTimeline({ actor: actors.committee, caseId }, db), 'case.not_found');
			await expectDomainError(
				addActivity({ actor: actors.committee, caseId, kind: 'visit', summary: 'Visite' }, db),
				'case.not_found'
			);
		}
		await expectDomainError(
			moveCaseToStage({ actor: actors.committee, caseId: shared.case.id, stage: 'qualified' }, db),
			'case.forbidden'
		);
		await expectDomainError(
			moveCaseToStage({ actor: actors.committee, caseId: elsewhere.case.id, stage: 'qualified' }, db),
			'case.not_found'
		);
		await expectDomainError(
			addActivity({ actor: actors.committee, caseId: shared.case.id, kind: 'call', summary: 'Appel' }, db),
			'case.forbidden'
		);
		await expectDomainError(
			assignAdvisor({ actor: actors.committee, caseId: shared.case.id, advisorId: null }, db),
			'case.forbidden'
		);

		await addActivity(
			{ actor: actors.advisor, caseId: shared.case.id, kind: 'note', summary: 'Note interne' },
			db
		);
		const { activity } = await addActivity(
			{
				actor: actors.committee,
				caseId: shared.case.id,
				kind: 'visit',
				summary: 'Visite de la maison du bourg',
				visibility: 'staff'
			},
			db
		);
		expect(activity.visibility).toBe('committee');
		const committeeTimeline = await getTimeline({ actor: actors.committee, caseId: shared.case.id }, db);
		expect(committeeTimeline.activities.map((a) => a.summary)).toEqual(['Visite de la maison du bourg']);
		const staffTimeline = await getTimeline({ actor: actors.advisor, caseId: shared.case.id }, db);
		expect(staffTimeline.activities.map((a) => a.kind)).toEqual(['application', 'note', 'note', 'visit']);
	});

	test('other programmes, partners and members get not_found; a candidate sees only their own file', async () => {
		const { actors, programme, db } = await setup();
		// Another household's address: applying links the case to that household's own account, not to this candidate.
		const { case: kase } = await apply(programme.id, application({ email: 'another.household@example.org' }));
		for (const actor of [actors.otherAdvisor, actors.partner, actors.candidate]) {
			await expectDomainError(getCase({ actor, caseId: kase.id }, { db }), 'case.not_found');
			await expectDomainError(
				moveCaseToStage({ actor, caseId: kase.id, stage: 'qualified' }, { db }),
				'case.not_found'
			);
		}
		expect((await listCases({ actor: actors.otherAdvisor }, { db })).total).toBe(0);
		await expectDomainError(listCases({ actor: actors.partner }, { db }), 'case.forbidden');

		await expectDomainError(getOwnCase({ actor: actors.candidate }, { db }), 'case.not_found');
		await db
			.update(casesTable)
			.set({ candidateUserId: actors.candidate.userId })
			.where(eq(casesTable.id, kase.id));
		const own = await getOwnCase({ actor: actors.candidate }, { db });
		expect(own.case.reference).toBe(kase.reference);
		expect(own.case).not.toHaveProperty('possibleDuplicateOf');
		expect(own.persons).toHaveLength(4);
		await expectDomainError(getOwnCase({ actor: actors.advisor }, { db }), 'case.not_found');
	});

	test('the list filters by stage, advisor, source and village, and finds names without accents', async () => {
		const { actors, programme, villages, db } = await setup();
		const a = await apply(programme.id);
		const b = await apply(
			programme.id,
			application({
				firstName: 'Joris',
				lastName: 'Peeters',
				email: 'joris@example.org',
				phone: '',
				villages: ['samatan']
			})
		);
		await createCase(
			{ actor: actors.advisor, input: { firstName: 'Anaïs', lastName: 'Noguès', source: 'fair' } },
			{ db }
		);
		await moveCaseToStage({ actor: actors.advisor, caseId: b.case.id, stage: 'qualified' }, { db });
		await assignAdvisor({ actor: actors.admin, caseId: a.case.id, advisorId: actors.advisor.userId }, { db });
		const ids = async (filters: Parameters<typeof listCases>[0]['filters']) =>
			(await listCases({ actor: actors.advisor, filters }, { db })).cases.map((c) => c.reference).sort();
		expect(await ids({ q: 'helene' })).toEqual([a.reference]);
		expect(await ids({ q: 'NOGUES' })).toHaveLength(1);
		expect(await ids({ q: 'peeters joris' })).toEqual([b.reference]);
		expect(await ids({ q: a.reference.toLowerCase() })).toEqual([a.reference]);
		expect(await ids({ q: 'joris@' })).toEqual([b.reference]);
		expect(await ids({ stages: ['qualified'] })).toEqual([b.reference]);
		expect(await ids({ source: 'fair' })).toHaveLength(1);
		expect(await ids({ villageId: villages.samatan.id })).toEqual([b.reference]);
		expect(await ids({ advisorId: actors.advisor.userId })).toHaveLength(2);
		const { cases } = await listCases({ actor: actors.advisor, filters: { q: 'helene' } }, { db });
		expect(cases[0]).toMatchObject({
			firstName: 'Hélène',
			lastName: 'Garnier',
			householdSize: 4,
			email: 'helene.garnier@example.org'
		});
		await expectDomainError(
			assignAdvisor({ actor: actors.advisor, caseId: a.case.id, advisorId: actors.committee.userId }, { db }),
			'case.invalid_advisor'
		);
	});

	test('a search counts every match, pages through them by last change, and lists a case once when its name and email both match', async () => {
		const { actors, db } = await setup();
		const references: string[] = [];
		for (let i = 0; i < 5; i++) {
			const { case: kase } = await createCase(
				{
					actor: actors.advisor,
					input: {
						firstName: 'Inès',
						lastName: `Lacoste ${i}`,
						email: `lacoste${i}@example.org`,
						source: 'fair'
					}
				},
				{ db, now: new Date(Date.UTC(2030, 0, 1 + i)) }
			);
			references.push(kase.reference);
		}
		await createCase(
			{ actor: actors.advisor, input: { firstName: 'Marc', lastName: 'Durand', source: 'fair' } },
			{ db, now: new Date(Date.UTC(2030, 0, 9)) }
		);
		const page = async (offset: number, sort?: 'recent' | 'oldest') => {
			const { cases, total } = await listCases(
				{ actor: actors.advisor, filters: { q: 'lacoste' }, limit: 2, offset, sort },
				{ db }
			);
			return { references: cases.map((kase) => kase.reference), total };
		};
		const newestFirst = [...references].reverse();
		expect(await page(0)).toEqual({ references: newestFirst.slice(0, 2), total: 5 });
		expect(await page(2)).toEqual({ references: newestFirst.slice(2, 4), total: 5 });
		expect(await page(4)).toEqual({ references: newestFirst.slice(4), total: 5 });
		expect(await page(6)).toEqual({ references: [], total: 5 });
		expect(await page(0, 'oldest')).toEqual({ references: references.slice(0, 2), total: 5 });
		const { cases } = await listCases({ actor: actors.advisor, filters: { q: 'LACOSTE 3' } }, { db });
		expect(cases).toMatchObject([{ reference: references[3], firstName: 'Inès', lastName: 'Lacoste 3' }]);
		expect((await listCases({ actor: actors.advisor, filters: { q: 'zzz' }, offset: 0 }, { db })).total).toBe(
			0
		);
		expect(
			(await listCases({ actor: actors.advisor, filters: { q: 'lacoste', stages: ['qualified'] } }, { db }))
				.total
		).toBe(0);
	});
});
