import { count } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { auditEntriesTable } from '../../db/schema/index.ts';
import { expectDomainError, expectIssues } from '../../testing/expectations.ts';
import { listCaseAudit } from '../audit/audit.service.ts';
import { setTargetVillages } from './case-committee.service.ts';
import { updateCase } from './case-edit.service.ts';
import { addPerson, removePerson, updatePerson } from './case-household.service.ts';
import { moveCaseToStage } from './case-pipeline.service.ts';
import { assignAdvisor, getCase } from './case.service.ts';
import { applyOn, auditOf, householdApplication, setupCommitteeProgrammes } from './case.test-utils.ts';

describeEachDb('case editing and audit', (ctx) => {
	const setup = () => setupCommitteeProgrammes(ctx.db);
	const apply = applyOn(ctx, householdApplication);

	test('an advisor edits the case file; the audit keeps who, when and only the changed fields', async () => {
		const { db, programme, actors } = await setup();
		const { case: kase } = await apply(programme.id);
		const at = new Date('2030-03-01T10:00:00Z');
		const { case: updated } = await updateCase(
			{
				actor: actors.advisor,
				caseId: kase.id,
				input: {
					wishedArea: 'Astarac, au calme',
					timeline: 'within_6_months',
					needs: { housingKind: 'rent', maxRent: '750', schools: 'on' },
					consentResearch: 'on',
					businessSiret: '732 829 320 00074',
					howHeard: ''
				}
			},
			{ db, now: at }
		);
		expect(updated).toMatchObject({
			wishedArea: 'Astarac, au calme',
			timeline: 'within_6_months',
			needs: { housingKind: 'rent', maxRent: 750, schools: true },
			businessSiret: '73282932000074',
			// Left out of the input: unchanged.
			wouldMoveWithoutProgramme: 'unsure'
		});
		expect(updated.consents).toMatchObject({
			contact: true,
			shareWithCommittees: true,
			research: true,
			at: at.toISOString()
		});
		const entries = await auditOf(db, kase.id);
		expect(entries.map((e) => `${e.entityType} ${e.action}`).sort()).toEqual([
			'case create',
			'case update',
			'person create',
			'person create',
			'person create'
		]);
		const created = entries.find((e) => e.entityType === 'case' && e.action === 'create')!;
		expect(created).toMatchObject({ actorId: null, actorLabel: 'web_form' });
		expect(created.after).toMatchObject({ reference: kase.reference, targetVillages: ['simorre'] });
		const update = entries[4];
		expect(update).toMatchObject({ actorId: actors.advisor.userId, actorLabel: 'advisor', at });
		expect(update.before).toEqual({
			wishedArea: null,
			timeline: '6_to_12_months',
			needs: { schools: true },
			businessSiret: null,
			consents: kase.consents
		});
		expect(update.after).toMatchObject({
			wishedArea: 'Astarac, au calme',
			timeline: 'within_6_months',
			needs: { housingKind: 'rent', maxRent: 750, schools: true },
			businessSiret: '73282932000074'
		});
	});

	test('stage moves, assignment and person changes are audited with their before and after', async () => {
		const { db, programme, actors } = await setup();
		const { case: kase, persons } = await apply(programme.id);
		await moveCaseToStage({ actor: actors.advisor, caseId: kase.id, stage: 'qualified' }, { db });
		await assignAdvisor({ actor: actors.admin, caseId: kase.id, advisorId: actors.advisor.userId }, { db });
		const partner = persons.find((p) => p.householdRole === 'partner')!;
		await updatePerson(
			{
				actor: actors.advisor,
				caseId: kase.id,
				personId: partner.id,
				input: { profession: 'Infirmier', needs: { job: 'on', jobSought: 'Infirmier en EHPAD' } }
			},
			{ db }
		);
		const { person: grandma } = await addPerson(
			{
				actor: actors.advisor,
				caseId: kase.id,
				input: { householdRole: 'other', firstName: 'Josette', birthYear: '1950', languages: 'fr, oc' }
			},
			{ db }
		);
		expect(grandma.languages).toEqual(['fr', 'oc']);
		await removePerson({ actor: actors.advisor, caseId: kase.id, personId: grandma.id }, { db });
		const entries = (await auditOf(db, kase.id)).slice(4);
		expect(entries.map((e) => [e.entityType, e.action, e.before, e.after])).toEqual([
			['case', 'stage_change', { stage: 'contact' }, { stage: 'qualified' }],
			['case', 'assign', { advisorId: null }, { advisorId: actors.advisor.userId }],
			[
				'person',
				'update',
				{ profession: null, needs: null },
				{ profession: 'Infirmier', needs: { job: true, jobSought: 'Infirmier en EHPAD' } }
			],
			[
				'person',
				'create',
				{},
				{ householdRole: 'other', firstName: 'Josette', birthYear: 1950, languages: ['fr', 'oc'] }
			],
			[
				'person',
				'delete',
				{ householdRole: 'other', firstName: 'Josette', birthYear: 1950, languages: ['fr', 'oc'] },
				{}
			]
		]);
		// The deleted person is still named in the history.
		const { persons: labels } = await listCaseAudit({ actor: actors.admin, caseId: kase.id }, { db });
		expect(labels[grandma.id]).toMatchObject({ firstName: 'Josette', householdRole: 'other' });
	});

	test('the history is for admins: advisors are refused, committees and other programmes do not find it', async () => {
		const { db, programme, actors } = await setup();
		const { case: kase } = await apply(programme.id);
		const { entries } = await listCaseAudit({ actor: actors.admin, caseId: kase.id }, { db });
		expect(entries.length).toBeGreaterThan(0);
		await expectDomainError(
			listCaseAudit({ actor: actors.advisor, caseId: kase.id }, { db }),
			'audit.forbidden'
		);
		await expectDomainError(
			listCaseAudit({ actor: actors.committee, caseId: kase.id }, { db }),
			'case.not_found'
		);
		await expectDomainError(
			listCaseAudit({ actor: actors.otherAdvisor, caseId: kase.id }, { db }),
			'case.not_found'
		);
		await expectDomainError(
			listCaseAudit({ actor: actors.admin, caseId: 'nonsense' }, { db }),
			'case.not_found'
		);
	});

	test('a committee member cannot edit the case, its persons or its villages, and nothing is written', async () => {
		const { db, programme, actors } = await setup();
		const { case: kase, persons } = await apply(programme.id);
		const before = (await db.select({ n: count() }).from(auditEntriesTable))[0].n;
		const committee = actors.committee;
		await expectDomainError(
			updateCase({ actor: committee, caseId: kase.id, input: { wishedArea: 'x' } }, { db }),
			'case.edit_forbidden'
		);
		await expectDomainError(
			addPerson({ actor: committee, caseId: kase.id, input: { householdRole: 'child' } }, { db }),
			'case.edit_forbidden'
		);
		await expectDomainError(
			updatePerson(
				{ actor: committee, caseId: kase.id, personId: persons[0].id, input: { profession: 'x' } },
				{ db }
			),
			'case.edit_forbidden'
		);
		await expectDomainError(
			removePerson({ actor: committee, caseId: kase.id, personId: persons[1].id }, { db }),
			'case.edit_forbidden'
		);
		await expectDomainError(
			setTargetVillages({ actor: committee, caseId: kase.id, villages: [] }, { db }),
			'case.edit_forbidden'
		);
		// The refusal comes first, whatever was typed.
		await expectDomainError(
			updateCase({ actor: committee, caseId: kase.id, input: { businessSiret: 'nope' } }, { db }),
			'case.edit_forbidden'
		);
		// Another village's member does not even find it.
		await expectDomainError(
			updateCase({ actor: actors.samatanMayor, caseId: kase.id, input: {} }, { db }),
			'case.not_found'
		);
		expect((await db.select({ n: count() }).from(auditEntriesTable))[0].n).toBe(before);
	});

	test('bad edits get one code per field and change nothing', async () => {
		const { db, programme, actors } = await setup();
		const { case: kase, persons } = await apply(programme.id);
		const issues = await expectIssues(
			updateCase(
				{
					actor: actors.advisor,
					caseId: kase.id,
					input: {
						businessSiret: '73282932000075',
						installedOn: '2030-02-30',
						timeline: 'someday' as never,
						businessCreatedOn: '2030-05-01',
						businessClosedOn: '2030-04-01'
					}
				},
				{ db }
			)
		);
		expect(issues).toEqual(
			expect.arrayContaining([
				{ field: 'businessSiret', code: 'case.invalid_siret' },
				{ field: 'installedOn', code: 'case.invalid_date' },
				{ field: 'timeline', code: 'case.invalid_timeline' }
			])
		);
		// Stage-specific fields must fit the stage: no installation nor departure before installing.
		expect(
			await expectIssues(
				updateCase(
					{
						actor: actors.advisor,
						caseId: kase.id,
						input: {
							installedCommuneCode: '32435',
							leftOn: '2030-01-01',
							abandonedReason: 'x',
							businessCreatedOn: '2030-05-01',
							businessClosedOn: '2030-04-01'
						}
					},
					{ db }
				)
			)
		).toEqual([
			{ field: 'installedCommuneCode', code: 'case.not_installed_yet' },
			{ field: 'leftOn', code: 'case.not_left' },
			{ field: 'abandonedReason', code: 'case.not_abandoned' },
			{ field: 'businessClosedOn', code: 'case.business_closed_before_created' }
		]);
		await moveCaseToStage(
			{
				actor: actors.advisor,
				caseId: kase.id,
				stage: 'installed',
				installedCommuneCode: '32435',
				installedOn: '2030-06-01'
			},
			{ db }
		);
		expect(
			await expectIssues(
				updateCase({ actor: actors.advisor, caseId: kase.id, input: { installedOn: '' } }, { db })
			)
		).toEqual([{ field: 'installedOn', code: 'case.installed_on_required' }]);
		const candidate = persons[0];
		expect(
			await expectIssues(
				updatePerson(
					{
						actor: actors.advisor,
						caseId: kase.id,
						personId: candidate.id,
						input: { firstName: '', email: 'nope', householdRole: 'partner' }
					},
					{ db }
				)
			)
		).toEqual(expect.arrayContaining([{ field: 'email', code: 'case.invalid_email' }]));
		expect(
			await expectIssues(
				updatePerson(
					{
						actor: actors.advisor,
						caseId: kase.id,
						personId: candidate.id,
						input: { firstName: '', householdRole: 'partner' }
					},
					{ db }
				)
			)
		).toEqual([{ field: 'householdRole', code: 'case.one_candidate' }]);
		expect(
			await expectIssues(
				updatePerson(
					{ actor: actors.advisor, caseId: kase.id, personId: candidate.id, input: { lastName: ' ' } },
					{ db }
				)
			)
		).toEqual([{ field: 'lastName', code: 'case.last_name_required' }]);
		expect(
			await expectIssues(
				addPerson(
					{
						actor: actors.advisor,
						caseId: kase.id,
						input: { householdRole: 'candidate', firstName: 'A', lastName: 'B' }
					},
					{ db }
				)
			)
		).toEqual([{ field: 'householdRole', code: 'case.one_candidate' }]);
		const reloaded = await getCase({ actor: actors.advisor, caseId: kase.id }, { db });
		expect(reloaded.persons[0]).toMatchObject({ firstName: 'Hélène', householdRole: 'candidate' });
		expect(reloaded.case).toMatchObject({ installedOn: '2030-06-01', businessSiret: null });
	});
});
