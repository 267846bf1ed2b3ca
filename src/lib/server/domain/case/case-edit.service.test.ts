import { count, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	auditEntriesTable,
	caseActivitiesTable,
	caseMergesTable,
	caseStageChangesTable,
	casesTable,
	caseTargetVillagesTable,
	communesTable,
	mailMessagesTable,
	offersTable,
	personsTable,
	tasksTable,
	villageCommitteeMembersTable,
	villagesTable,
	type Role
} from '../../db/schema/index.ts';
import type { Db } from '../../db/index.ts';

import { toActor } from '../account/account.service.ts';
import { listCaseAudit } from '../audit/audit.service.ts';
import { createProgramme } from '../programme/programme.service.ts';
import type { ApplicationInput } from './case.schemas.ts';
import {
	addActivity,
	addPerson,
	assignAdvisor,
	createCase,
	createTask,
	dismissDuplicate,
	getCase,
	getMergePreview,
	getTimeline,
	listCases,
	listDuplicates,
	mergeCases,
	mergePersons,
	moveCaseToStage,
	removePerson,
	resolveMergedCase,
	setTargetVillages,
	submitApplication,
	updateCase,
	updatePerson
} from './case.service.ts';
import { insertTestUsers } from '../account/account.test-utils.ts';
import { expectDomainError, expectIssues } from '../../testing/expectations.ts';

const config = parseConfig({ NODE_ENV: 'test' });

const application = (overrides: Partial<ApplicationInput> = {}): ApplicationInput => ({
	firstName: 'Hélène',
	lastName: 'Garnier',
	email: 'helene.garnier@example.org',
	phone: '06 12 34 56 78',
	birthYear: '1988',
	adultsCount: '2',
	hasPartner: 'on',
	partnerFirstName: 'Marc',
	children: [{ age: '7' }],
	profession: 'Graphiste',
	villages: ['simorre'],
	timeline: '6_to_12_months',
	consentContact: 'on',
	consentShareWithCommittees: 'on',
	wouldMoveWithoutProgramme: 'unsure',
	...overrides
});

describeEachDb('case editing, audit, committees and merge', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme } = await createProgramme(
			{ input: { slug: 'gers', name: 'Gers', departements: ['32'] } },
			{ db }
		);
		const { programme: other } = await createProgramme(
			{ input: { slug: 'lot', name: 'Lot', departements: ['46'] } },
			{ db }
		);
		await db.insert(communesTable).values([
			{ code: '32013', name: 'Auch', departementCode: '32' },
			{ code: '32435', name: 'Simorre', departementCode: '32' },
			{ code: '32412', name: 'Samatan', departementCode: '32' },
			{ code: '32107', name: 'Fleurance', departementCode: '32' },
			{ code: '46042', name: 'Cahors', departementCode: '46' }
		]);
		const [simorre, samatan, prospect, cahors] = await db
			.insert(villagesTable)
			.values([
				{ programmeId: programme.id, communeCode: '32435', slug: 'simorre' },
				{ programmeId: programme.id, communeCode: '32412', slug: 'samatan' },
				{ programmeId: programme.id, communeCode: '32107', slug: 'fleurance', status: 'prospect' },
				{ programmeId: other.id, communeCode: '46042', slug: 'cahors' }
			])
			.returning();
		const user = async (
			role: Role,
			email: string,
			programmeId = programme.id,
			locale: 'fr' | 'en' = 'fr'
		) => {
			const [created] = await insertTestUsers(db, {
				name: email.split('@')[0],
				email,
				role,
				programmeId,
				locale
			});
			return toActor(created);
		};
		const actors = {
			admin: await user('admin', 'admin@gers.example'),
			advisor: await user('advisor', 'advisor@gers.example'),
			committee: await user('committee', 'simorre@gers.example'),
			samatanMayor: await user('committee', 'maire@samatan.example'),
			samatanVolunteer: await user('committee', 'benevole@samatan.example', programme.id, 'en'),
			prospectMember: await user('committee', 'fleurance@gers.example'),
			otherAdvisor: await user('advisor', 'advisor@lot.example', other.id)
		};
		await db.insert(villageCommitteeMembersTable).values([
			{ villageId: simorre.id, userId: actors.committee.userId },
			{ villageId: samatan.id, userId: actors.samatanMayor.userId },
			{ villageId: samatan.id, userId: actors.samatanVolunteer.userId },
			{ villageId: prospect.id, userId: actors.prospectMember.userId }
		]);
		return { db, programme, other, villages: { simorre, samatan, prospect, cahors }, actors };
	};

	const apply = (programmeId: string, input: ApplicationInput = application()) =>
		submitApplication({ programmeId, input, locale: 'fr' }, { db: ctx.db, config });

	const auditOf = async (db: Db, caseId: string) =>
		(await db.select().from(auditEntriesTable).where(eq(auditEntriesTable.caseId, caseId))).sort(
			(a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id)
		);

	const committeeMails = async (db: Db) =>
		(await db.select().from(mailMessagesTable)).filter((mail) => mail.kind === 'case.committee_notified');

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

	test('targeting a partner village mails each committee member once, with details only when shared', async () => {
		const { db, programme, actors, villages } = await setup();
		const { case: kase } = await apply(programme.id);
		// The application told Simorre's only member.
		expect((await committeeMails(db)).map((m) => m.toAddress)).toEqual(['simorre@gers.example']);
		const result = await setTargetVillages(
			{ actor: actors.advisor, caseId: kase.id, villages: ['simorre', 'samatan', villages.prospect.id] },
			{ db, config }
		);
		expect(result.added.sort()).toEqual([villages.samatan.id, villages.prospect.id].sort());
		// Samatan's two members, none again for Simorre, none for a prospect village.
		const mails = await committeeMails(db);
		expect(mails.map((m) => m.toAddress).sort()).toEqual(
			['benevole@samatan.example', 'maire@samatan.example', 'simorre@gers.example'].sort()
		);
		const mayor = mails.find((m) => m.toAddress === 'maire@samatan.example')!;
		expect(mayor.subject).toBe('Un foyer s’intéresse à Samatan — Gers');
		expect(mayor.textBody).toContain(kase.reference);
		expect(mayor.textBody).toContain('Hélène Garnier');
		const volunteer = mails.find((m) => m.toAddress === 'benevole@samatan.example')!;
		expect(volunteer.subject).toBe('A household is interested in Samatan — Gers');
		const timeline = await getTimeline({ actor: actors.advisor, caseId: kase.id }, { db });
		expect(
			timeline.activities.filter((a) => a.kind === 'note').map((a) => [a.summary, a.visibility])
		).toEqual([
			['Comité de Simorre prévenu (1 membre(s))', 'staff'],
			['Comité de Samatan prévenu (2 membre(s))', 'staff']
		]);
		// The same villages again: nobody is told twice.
		await setTargetVillages(
			{ actor: actors.advisor, caseId: kase.id, villages: ['samatan', 'simorre'] },
			{ db, config }
		);
		expect(await committeeMails(db)).toHaveLength(3);
		// The newly targeted committee sees the case in its list.
		const { cases } = await listCases({ actor: actors.samatanMayor }, { db });
		expect(cases.map((c) => c.id)).toEqual([kase.id]);
		const audit = (await auditOf(db, kase.id)).filter((e) => e.action === 'target_villages');
		expect(audit[0].before).toMatchObject({ targetVillages: ['simorre'] });
		expect(audit[0].after).toMatchObject({ targetVillages: ['fleurance', 'samatan', 'simorre'] });

		// Without the household's consent, the notice names nobody.
		const privateCase = await apply(
			programme.id,
			application({
				email: 'discret@example.org',
				phone: '',
				birthYear: '',
				villages: [],
				consentShareWithCommittees: undefined
			})
		);
		await setTargetVillages(
			{ actor: actors.advisor, caseId: privateCase.case.id, villages: ['simorre'] },
			{ db, config }
		);
		const notice = (await committeeMails(db)).find((m) => m.textBody.includes('pas (encore) accepté'))!;
		expect(notice.toAddress).toBe('simorre@gers.example');
		expect(notice.textBody).not.toContain('Hélène');
		expect(notice.textBody).not.toContain(privateCase.case.reference);
		expect(
			await expectIssues(
				setTargetVillages({ actor: actors.advisor, caseId: kase.id, villages: ['simorre', 'cahors'] }, { db })
			)
		).toEqual([{ field: 'villages.1', code: 'case.unknown_village' }]);
	});

	test('a committee member records a visit with an offer of their village; other offers are refused', async () => {
		const { db, programme, actors, villages } = await setup();
		const { case: kase } = await apply(programme.id);
		const [house, elsewhere] = await db
			.insert(offersTable)
			.values([
				{
					programmeId: programme.id,
					kind: 'house_rent',
					titleFr: 'Maison du bourg',
					communeCode: '32435',
					villageId: villages.simorre.id,
					expiresAt: new Date(Date.now() + 86_400_000)
				},
				{
					programmeId: programme.id,
					kind: 'house_rent',
					titleFr: 'Ailleurs',
					communeCode: '32412',
					villageId: villages.samatan.id,
					expiresAt: new Date(Date.now() + 86_400_000)
				}
			])
			.returning();
		const { activity } = await addActivity(
			{
				actor: actors.committee,
				caseId: kase.id,
				kind: 'visit',
				summary: 'Visite de la maison',
				offerId: house.id
			},
			{ db }
		);
		expect(activity).toMatchObject({
			visibility: 'committee',
			data: { offerId: house.id, offerTitle: 'Maison du bourg' }
		});
		expect(
			await expectIssues(
				addActivity(
					{ actor: actors.committee, caseId: kase.id, kind: 'visit', summary: 'x', offerId: elsewhere.id },
					{ db }
				)
			)
		).toEqual([{ field: 'offerId', code: 'case.unknown_offer' }]);
		// An offer standing in the village's commune, even an agency's, is the village's to propose.
		const [agency] = await db
			.insert(offersTable)
			.values({
				programmeId: programme.id,
				kind: 'house_sale',
				titleFr: 'Ferme à vendre',
				communeCode: '32435',
				expiresAt: new Date(Date.now() + 86_400_000)
			})
			.returning();
		await addActivity(
			{ actor: actors.committee, caseId: kase.id, kind: 'meeting', summary: 'RDV', offerId: agency.id },
			{ db }
		);
		// Staff may attach any offer of the programme.
		await addActivity(
			{ actor: actors.advisor, caseId: kase.id, kind: 'meeting', summary: 'RDV', offerId: elsewhere.id },
			{ db }
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

	test('merging two cases keeps all their history, merges the same person and leads the old link to the kept case', async () => {
		const { db, programme, actors, villages } = await setup();
		const keep = await apply(programme.id);
		const { case: absorb } = await createCase(
			{
				actor: actors.advisor,
				input: {
					firstName: 'Helene',
					lastName: 'Garnier',
					birthYear: '1988',
					phone: '0699999999',
					profession: 'Illustratrice',
					originCountry: 'BE',
					languages: ['fr', 'nl'],
					children: [{ age: '3' }],
					villages: ['samatan'],
					howHeard: 'Salon',
					note: 'Rencontrée au salon'
				}
			},
			{ db, config }
		);
		expect(absorb.possibleDuplicateOf).toBe(keep.case.id);
		await moveCaseToStage({ actor: actors.advisor, caseId: absorb.id, stage: 'qualified' }, { db });
		await createTask({ actor: actors.advisor, input: { caseId: absorb.id, title: 'Rappeler' } }, { db });
		const tableCounts = async () => ({
			activities: Number((await db.select({ n: count() }).from(caseActivitiesTable))[0].n),
			stageChanges: Number((await db.select({ n: count() }).from(caseStageChangesTable))[0].n),
			tasks: Number((await db.select({ n: count() }).from(tasksTable))[0].n),
			audit: Number((await db.select({ n: count() }).from(auditEntriesTable))[0].n),
			persons: Number((await db.select({ n: count() }).from(personsTable))[0].n)
		});
		const before = await tableCounts();
		const preview = await getMergePreview(
			{ actor: actors.advisor, keepCaseId: keep.case.id, absorbCaseId: absorb.id },
			{ db }
		);
		expect(preview.pairs).toEqual([
			{ keepPersonId: keep.persons[0].id, absorbPersonId: preview.absorb.persons[0].id }
		]);

		const { case: merged, moved } = await mergeCases(
			{ actor: actors.advisor, keepCaseId: keep.case.id, absorbCaseId: absorb.id },
			{ db }
		);
		// Samatan's committee was told about the absorbed case: that mail follows it too.
		expect(moved).toMatchObject({ case_activities: 3, case_stage_changes: 2, tasks: 1, mail_messages: 2 });
		const after = await tableCounts();
		// One more timeline entry (the merge), the same stage changes and tasks, one person fewer (merged).
		expect(after.activities).toBe(before.activities + 1);
		expect(after.stageChanges).toBe(before.stageChanges);
		expect(after.tasks).toBe(before.tasks);
		expect(after.persons).toBe(before.persons - 1);
		expect(after.audit).toBeGreaterThan(before.audit);
		expect(await db.select().from(casesTable).where(eq(casesTable.id, absorb.id))).toEqual([]);
		// The kept case keeps its values and fills its blanks.
		expect(merged).toMatchObject({ stage: 'contact', howHeard: 'Salon', possibleDuplicateOf: null });
		const { persons } = await getCase({ actor: actors.advisor, caseId: keep.case.id }, { db });
		const candidate = persons.find((p) => p.householdRole === 'candidate')!;
		expect(candidate).toMatchObject({
			firstName: 'Hélène',
			email: 'helene.garnier@example.org',
			phone: '+33612345678',
			profession: 'Graphiste',
			originCountry: 'BE'
		});
		expect(candidate.languages.sort()).toEqual(['fr', 'nl']);
		expect(persons.filter((p) => p.householdRole === 'child')).toHaveLength(2);
		const targets = await db
			.select()
			.from(caseTargetVillagesTable)
			.where(eq(caseTargetVillagesTable.caseId, keep.case.id));
		expect(targets.map((t) => t.villageId).sort()).toEqual([villages.simorre.id, villages.samatan.id].sort());
		const timeline = await getTimeline({ actor: actors.advisor, caseId: keep.case.id }, { db });
		expect(timeline.activities.map((a) => a.summary)).toContain(`Fusionné avec ${absorb.reference}`);
		expect(timeline.activities.map((a) => a.body)).toContain('Rencontrée au salon');
		// The absorbed case's history now hangs off the kept case, with what it held.
		const { entries } = await listCaseAudit({ actor: actors.admin, caseId: keep.case.id }, { db });
		expect(
			entries
				.filter((e) => e.entityId === absorb.id)
				.map((e) => e.action)
				.sort()
		).toEqual(['create', 'merge', 'stage_change'].sort());
		expect(entries.find((e) => e.entityId === absorb.id && e.action === 'merge')!.before).toMatchObject({
			reference: absorb.reference,
			howHeard: 'Salon'
		});
		expect(await resolveMergedCase({ actor: actors.advisor, key: absorb.id }, { db })).toEqual({
			caseId: keep.case.id
		});
		expect(await resolveMergedCase({ actor: actors.advisor, key: absorb.reference }, { db })).toEqual({
			caseId: keep.case.id
		});
		expect(await resolveMergedCase({ actor: actors.otherAdvisor, key: absorb.id }, { db })).toBeNull();
		expect(await db.select().from(caseMergesTable)).toHaveLength(1);
		// No row of any table still points at the absorbed case.
		const result = await db.execute(
			`select cl.relname as t, a.attname as c from pg_constraint k join pg_class cl on cl.oid = k.conrelid join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey) where k.contype = 'f' and k.confrelid = 'cases'::regclass` as never
		);
		for (const row of (result as unknown as { rows: { t: string; c: string }[] }).rows) {
			const found = await db.execute(
				`select count(*)::int as n from "${row.t}" where "${row.c}" = '${absorb.id}'` as never
			);
			expect((found as unknown as { rows: { n: number }[] }).rows[0].n, `${row.t}.${row.c}`).toBe(0);
		}
	});

	test('a merge across programmes, with itself or by a committee member is refused and writes nothing', async () => {
		const { db, programme, other, actors } = await setup();
		const mine = await apply(programme.id);
		const theirs = await apply(other.id, application({ villages: [] }));
		await expectDomainError(
			mergeCases({ actor: actors.advisor, keepCaseId: mine.case.id, absorbCaseId: theirs.case.id }, { db }),
			'case.not_found'
		);
		await expectDomainError(
			mergeCases(
				{ actor: actors.otherAdvisor, keepCaseId: theirs.case.id, absorbCaseId: mine.case.id },
				{ db }
			),
			'case.not_found'
		);
		await expectDomainError(
			mergeCases({ actor: actors.advisor, keepCaseId: mine.case.id, absorbCaseId: mine.case.id }, { db }),
			'case.merge_same'
		);
		const second = await apply(programme.id, application({ email: 'x@example.org', phone: '' }));
		await expectDomainError(
			mergeCases({ actor: actors.committee, keepCaseId: mine.case.id, absorbCaseId: second.case.id }, { db }),
			'case.forbidden'
		);
		expect(await db.select().from(caseMergesTable)).toEqual([]);
		expect(await db.select({ id: casesTable.id }).from(casesTable)).toHaveLength(3);
	});

	test('two persons of one household merge into one, the candidate role and blanks kept', async () => {
		const { db, programme, actors } = await setup();
		const { case: kase, persons } = await apply(programme.id);
		const { person: copy } = await addPerson(
			{
				actor: actors.advisor,
				caseId: kase.id,
				input: { householdRole: 'other', firstName: 'Hélène', lastName: 'Garnier', sector: 'design' }
			},
			{ db }
		);
		const { person } = await mergePersons(
			{ actor: actors.advisor, caseId: kase.id, keepPersonId: copy.id, absorbPersonId: persons[0].id },
			{ db }
		);
		expect(person).toMatchObject({
			householdRole: 'candidate',
			sector: 'design',
			email: 'helene.garnier@example.org'
		});
		const other = await apply(programme.id, application({ email: 'y@example.org', phone: '' }));
		await expectDomainError(
			mergePersons(
				{
					actor: actors.advisor,
					caseId: kase.id,
					keepPersonId: copy.id,
					absorbPersonId: other.persons[0].id
				},
				{ db }
			),
			'case.merge_persons_other_case'
		);
	});
});
