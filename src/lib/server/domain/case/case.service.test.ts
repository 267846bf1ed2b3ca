import { count, eq, sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	caseActivitiesTable,
	caseStageChangesTable,
	casesTable,
	caseTargetVillagesTable,
	communesTable,
	mailMessagesTable,
	offersTable,
	personsTable,
	tasksTable,
	usersTable,
	villageCommitteeMembersTable,
	villagesTable,
	type Role
} from '../../db/schema/index.ts';
import type { Db } from '../../db/index.ts';

import { toActor } from '../account/account.service.ts';
import { createProgramme } from '../programme/programme.service.ts';
import type { ApplicationInput } from './case.schemas.ts';
import { createCaseDemoSeedStep, DEMO_INSTALLATIONS_PER_YEAR, generateDemoCases } from './case.seed.ts';
import {
	addActivity,
	assignAdvisor,
	completeTask,
	createCase,
	createTask,
	getCase,
	getCaseBoard,
	getCaseDashboard,
	getCaseOptions,
	getOwnCase,
	getTimeline,
	listAllowedStages,
	listCases,
	listCaseTasks,
	listMyTasks,
	listStageMoves,
	moveCaseToStage,
	submitApplication
} from './case.service.ts';
import { insertTestUsers } from '../account/account.test-utils.ts';
import { expectDomainError, expectIssues } from '../../testing/expectations.ts';

const config = parseConfig({ NODE_ENV: 'test' });

const application = (overrides: Partial<ApplicationInput> = {}): ApplicationInput => ({
	firstName: 'Hélène',
	lastName: 'Garnier',
	email: 'helene.garnier@example.org',
	phone: '06 12 34 56 78',
	adultsCount: '2',
	hasPartner: 'on',
	partnerFirstName: 'Marc',
	partnerProfession: 'Infirmier',
	partnerNeedsJob: 'on',
	children: [{ age: '7' }, { age: '2' }],
	profession: 'Graphiste',
	status: 'freelancer',
	sector: 'communication',
	wishedArea: 'Près de Simorre, au calme',
	villages: ['simorre'],
	timeline: '6_to_12_months',
	howHeard: 'Article de presse',
	consentContact: 'on',
	consentShareWithCommittees: 'on',
	wouldMoveWithoutProgramme: 'unsure',
	...overrides
});

describeEachDb('cases', (ctx) => {
	const rowCounts = async (db: Db) => {
		const n = async (
			table: Parameters<Db['select']>[0] extends never
				? never
				: | typeof casesTable
					| typeof personsTable
					| typeof caseActivitiesTable
					| typeof caseStageChangesTable
					| typeof caseTargetVillagesTable
					| typeof mailMessagesTable
		) => Number((await db.select({ n: count() }).from(table))[0].n);
		return {
			cases: await n(casesTable),
			persons: await n(personsTable),
			activities: await n(caseActivitiesTable),
			stageChanges: await n(caseStageChangesTable),
			targets: await n(caseTargetVillagesTable),
			mails: await n(mailMessagesTable)
		};
	};

	/** Two programmes, three villages, one user per role (two committee members, an advisor elsewhere). */
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
			{ code: '46042', name: 'Cahors', departementCode: '46' }
		]);
		const [simorre, samatan, cahors] = await db
			.insert(villagesTable)
			.values([
				{ programmeId: programme.id, communeCode: '32435', slug: 'simorre' },
				{ programmeId: programme.id, communeCode: '32412', slug: 'samatan' },
				{ programmeId: other.id, communeCode: '46042', slug: 'cahors' }
			])
			.returning();
		const user = async (role: Role, email: string, programmeId = programme.id) => {
			const [created] = await insertTestUsers(db, { name: email, email, role, programmeId });
			return toActor(created);
		};
		const actors = {
			admin: await user('admin', 'admin@gers.example'),
			advisor: await user('advisor', 'advisor@gers.example'),
			committee: await user('committee', 'simorre@gers.example'),
			otherCommittee: await user('committee', 'samatan@gers.example'),
			partner: await user('partner', 'partner@gers.example'),
			candidate: await user('candidate', 'helene.garnier@example.org'),
			otherAdvisor: await user('advisor', 'advisor@lot.example', other.id)
		};
		await db.insert(villageCommitteeMembersTable).values([
			{ villageId: simorre.id, userId: actors.committee.userId },
			{ villageId: samatan.id, userId: actors.otherCommittee.userId }
		]);
		return { db, programme, other, villages: { simorre, samatan, cahors }, actors };
	};

	const apply = (programmeId: string, input: ApplicationInput = application(), locale: 'fr' | 'en' = 'fr') =>
		submitApplication({ programmeId, input, locale }, { db: ctx.db, config });

	test('an application creates the case, its household, target villages, a timeline entry and one confirmation mail', async () => {
		const { db, programme, villages } = await setup();
		const { case: kase, reference, persons } = await apply(programme.id, application(), 'en');
		expect(reference).toMatch(new RegExp(`^GERS-${new Date().getUTCFullYear()}-0001$`));
		expect(kase).toMatchObject({
			stage: 'contact',
			source: 'web_form',
			timeline: '6_to_12_months',
			wouldMoveWithoutProgramme: 'unsure',
			wishedCommuneCodes: ['32435'],
			needs: { schools: true, childcare: true },
			possibleDuplicateOf: null
		});
		expect(kase.consents).toMatchObject({
			contact: true,
			shareWithCommittees: true,
			shareWithPartners: false,
			research: false
		});
		expect(persons.map((p) => p.householdRole)).toEqual(['candidate', 'partner', 'child', 'child']);
		expect(persons[0]).toMatchObject({
			email: 'helene.garnier@example.org',
			phone: '+33612345678',
			status: 'freelancer'
		});
		expect(persons[1].needs).toEqual({ job: true });
		expect(persons[3].needs).toEqual({ schoolLevel: 'childcare', childcare: true });
		expect(await db.select().from(caseTargetVillagesTable)).toMatchObject([
			{ caseId: kase.id, villageId: villages.simorre.id }
		]);
		// The application, then the notice that Simorre's committee was told.
		expect(await db.select().from(caseActivitiesTable)).toMatchObject([
			{ kind: 'application', caseId: kase.id },
			{
				kind: 'note',
				caseId: kase.id,
				visibility: 'staff',
				summary: 'Comité de Simorre prévenu (1 membre(s))'
			}
		]);
		expect(await db.select().from(caseStageChangesTable)).toMatchObject([
			{ fromStage: null, toStage: 'contact' }
		]);
		const mails = (await db.select().from(mailMessagesTable)).filter(
			(mail) => mail.kind === 'case.application_received'
		);
		expect(mails).toHaveLength(1);
		expect(mails[0]).toMatchObject({
			kind: 'case.application_received',
			toAddress: 'helene.garnier@example.org',
			programmeId: programme.id
		});
		expect(mails[0].subject).toBe(`Your application ${reference} — Gers`);
		expect(mails[0].textBody).toContain(reference);
		expect(mails[0].textBody).toContain('Hello Hélène');

		const second = await apply(
			programme.id,
			application({ email: 'autre@example.org', phone: '', villages: [] })
		);
		expect(second.reference).toMatch(/-0002$/);
	});

	test('an invalid application lists every bad field and writes nothing', async () => {
		const { db, programme } = await setup();
		const before = await rowCounts(db);
		const issues = await expectIssues(
			apply(
				programme.id,
				application({
					firstName: ' ',
					email: 'not-an-email',
					phone: '12',
					adultsCount: '1',
					children: [{ age: '7' }, { age: '40' }],
					timeline: '',
					wouldMoveWithoutProgramme: undefined,
					consentContact: undefined,
					status: 'astronaut' as never,
					villages: ['simorre', 'atlantis']
				})
			)
		);
		expect(issues).toEqual(
			expect.arrayContaining([
				{ field: 'firstName', code: 'case.first_name_required' },
				{ field: 'email', code: 'case.invalid_email' },
				{ field: 'phone', code: 'case.invalid_phone' },
				{ field: 'children.1.age', code: 'case.invalid_child_age' },
				{ field: 'status', code: 'case.invalid_status' },
				{ field: 'timeline', code: 'case.invalid_timeline' },
				{ field: 'wouldMoveWithoutProgramme', code: 'case.invalid_would_move' },
				{ field: 'consentContact', code: 'case.consent_contact_required' },
				{ field: 'villages.1', code: 'case.unknown_village' }
			])
		);
		expect(await rowCounts(db)).toEqual(before);

		// With every field right but the partner counted as no adult, only that is reported.
		expect(await expectIssues(apply(programme.id, application({ adultsCount: '1' })))).toEqual([
			{ field: 'adultsCount', code: 'case.invalid_adults_count' }
		]);
		await expectDomainError(
			apply('prg_doesnotexist0', application({ villages: [] })),
			'case.unknown_programme'
		);
		expect(await rowCounts(db)).toEqual(before);
	});

	test('an application from an offer targets the offer’s village and names the offer on the timeline', async () => {
		const { db, programme, other, villages } = await setup();
		const day = 86_400_000;
		const offer = (values: Partial<typeof offersTable.$inferInsert>) => ({
			programmeId: programme.id,
			kind: 'house_rent' as const,
			titleFr: 'Maison de bourg avec jardin',
			communeCode: '32412',
			villageId: villages.samatan.id,
			publishedAt: new Date(Date.now() - day),
			expiresAt: new Date(Date.now() + 30 * day),
			...values
		});
		const [house, takeover, lapsed, elsewhere] = await db
			.insert(offersTable)
			.values([
				offer({}),
				offer({ kind: 'business_takeover', titleFr: 'Boulangerie', isAnonymised: true }),
				offer({ titleFr: 'Loué', expiresAt: new Date(Date.now() - day) }),
				offer({ programmeId: other.id, communeCode: '46042', villageId: villages.cahors.id })
			])
			.returning();
		const applyFrom = (offerId: string, email: string) =>
			submitApplication(
				{ programmeId: programme.id, input: application({ email, phone: '' }), locale: 'en', offerId },
				{ db, config }
			);
		const targetsOf = async (caseId: string) =>
			(await db.select().from(caseTargetVillagesTable).where(eq(caseTargetVillagesTable.caseId, caseId)))
				.map((row) => row.villageId)
				.sort();
		const activityOf = async (caseId: string) =>
			(await db.select().from(caseActivitiesTable).where(eq(caseActivitiesTable.caseId, caseId)))[0];

		const fromHouse = await applyFrom(house.id, 'a@example.org');
		expect(await targetsOf(fromHouse.case.id)).toEqual([villages.simorre.id, villages.samatan.id].sort());
		expect(fromHouse.case.wishedCommuneCodes.sort()).toEqual(['32412', '32435']);
		const activity = await activityOf(fromHouse.case.id);
		expect(activity.body).toBe(
			`Candidature envoyée depuis l’offre « Maison de bourg avec jardin » (${house.id}).`
		);
		expect(activity.data).toMatchObject({ offerId: house.id, offerKind: 'house_rent' });

		// An anonymised takeover keeps its place confidential: named for the advisor, no village added.
		const fromTakeover = await applyFrom(takeover.id, 'b@example.org');
		expect(await targetsOf(fromTakeover.case.id)).toEqual([villages.simorre.id]);
		expect((await activityOf(fromTakeover.case.id)).data).toMatchObject({ offerId: takeover.id });

		// A lapsed offer, another programme's offer or a made-up id never blocks the application.
		for (const [index, offerId] of [lapsed.id, elsewhere.id, 'off_doesnotexist', '<script>'].entries()) {
			const result = await applyFrom(offerId, `c${index}@example.org`);
			expect(await targetsOf(result.case.id)).toEqual([villages.simorre.id]);
			const entry = await activityOf(result.case.id);
			expect(entry.body).toBeNull();
			expect(entry.data).not.toHaveProperty('offerId');
		}
	});

	test('when the confirmation mail cannot be queued, nothing of the application is kept', async () => {
		const { db, programme } = await setup();
		const before = await rowCounts(db);
		// A database whose outbox insert fails inside the application's transaction.
		const bind = <T extends object>(target: T, prop: string | symbol) => {
			const value = Reflect.get(target, prop);
			return typeof value === 'function' ? value.bind(target) : value;
		};
		const failingDb = new Proxy(db, {
			get(target, prop) {
				if (prop !== 'transaction') return bind(target, prop);
				return (run: (tx: Db) => Promise<unknown>) =>
					target.transaction((tx) =>
						run(
							new Proxy(tx, {
								get(inner, innerProp) {
									if (innerProp !== 'insert') return bind(inner, innerProp);
									return (table: unknown) => {
										if (table === mailMessagesTable) throw new Error('outbox unavailable');
										return inner.insert(table as typeof casesTable);
									};
								}
							}) as unknown as Db
						)
					);
			}
		});
		await expect(
			submitApplication(
				{ programmeId: programme.id, input: application(), locale: 'fr' },
				{ db: failingDb, config }
			)
		).rejects.toThrow('outbox unavailable');
		expect(await rowCounts(db)).toEqual(before);
	});

	test('a household already known by email or phone is flagged as a possible duplicate, not refused', async () => {
		const { programme, other } = await setup();
		const first = await apply(programme.id);
		const byEmail = await apply(
			programme.id,
			application({ email: 'HELENE.garnier@example.org', phone: '' })
		);
		expect(byEmail.case.possibleDuplicateOf).toBe(first.case.id);
		const byPhone = await apply(
			programme.id,
			application({ email: 'h.g@example.org', phone: '+33 6 12 34 56 78' })
		);
		expect(byPhone.case.possibleDuplicateOf).not.toBeNull();
		// Another programme's households are not compared.
		const elsewhere = await apply(other.id, application({ villages: [] }));
		expect(elsewhere.case.possibleDuplicateOf).toBeNull();
	});

	test('an advisor enters a phone call as a case assigned to them, with the call on the timeline', async () => {
		const { actors } = await setup();
		const { case: kase, persons } = await createCase(
			{
				actor: actors.advisor,
				input: {
					firstName: 'Pieter',
					lastName: 'de Vries',
					phone: '0031 6 1234 5678',
					originCountry: 'nl',
					note: 'Appel au numéro vert.'
				}
			},
			{ db: ctx.db }
		);
		expect(kase).toMatchObject({
			source: 'phone',
			advisorId: actors.advisor.userId,
			createdBy: actors.advisor.userId
		});
		expect(persons).toMatchObject([
			{ householdRole: 'candidate', phone: '+31612345678', originCountry: 'NL', email: null }
		]);
		const { activities } = await getTimeline({ actor: actors.advisor, caseId: kase.id }, { db: ctx.db });
		expect(activities).toMatchObject([
			{ kind: 'call', body: 'Appel au numéro vert.', authorId: actors.advisor.userId }
		]);
		await expectDomainError(
			createCase({ actor: actors.committee, input: { firstName: 'A', lastName: 'B' } }, { db: ctx.db }),
			'case.forbidden'
		);
		await expectDomainError(
			createCase(
				{
					actor: actors.advisor,
					input: { firstName: 'A', lastName: 'B', advisorId: actors.otherAdvisor.userId }
				},
				{ db: ctx.db }
			),
			'case.invalid_advisor'
		);
	});

	test('illegal stage moves are refused with a clear code, and installed needs the commune and date', async () => {
		const { actors, programme } = await setup();
		const { case: kase } = await apply(programme.id);
		const move = (input: Omit<Parameters<typeof moveCaseToStage>[0], 'actor' | 'caseId'>) =>
			moveCaseToStage({ actor: actors.advisor, caseId: kase.id, ...input }, { db: ctx.db });
		await expectDomainError(
			move({ stage: 'left_territory', leftOn: '2026-01-01', reason: 'x' }),
			'case.illegal_transition'
		);
		await expectDomainError(move({ stage: 'nowhere' }), 'case.unknown_stage');
		await move({ stage: 'installing' });
		await expectDomainError(move({ stage: 'contact', reason: 'x' }), 'case.illegal_transition');
		expect(await expectIssues(move({ stage: 'installed' }))).toEqual([
			{ field: 'installedCommuneCode', code: 'case.installed_commune_required' },
			{ field: 'installedOn', code: 'case.installed_on_required' }
		]);
		expect(
			await expectIssues(
				move({ stage: 'installed', installedCommuneCode: '99999', installedOn: '2026-02-01' })
			)
		).toEqual([{ field: 'installedCommuneCode', code: 'case.unknown_commune' }]);
		const { case: installed } = await move({
			stage: 'installed',
			installedCommuneCode: '32435',
			installedOn: '2026-02-01'
		});
		expect(installed).toMatchObject({
			stage: 'installed',
			installedCommuneCode: '32435',
			installedOn: '2026-02-01'
		});
		await expectDomainError(move({ stage: 'abandoned', reason: 'x' }), 'case.illegal_transition');
		const { case: left } = await move({ stage: 'left_territory', leftOn: '2026-09-01', reason: 'Isolement' });
		expect(left).toMatchObject({ stage: 'left_territory', leftOn: '2026-09-01', leftReason: 'Isolement' });
		const changes = await ctx.db
			.select()
			.from(caseStageChangesTable)
			.where(eq(caseStageChangesTable.caseId, kase.id))
			.orderBy(caseStageChangesTable.changedAt);
		expect(changes.map((c) => `${c.fromStage}>${c.toStage}`)).toEqual([
			'null>contact',
			'contact>installing',
			'installing>installed',
			'installed>left_territory'
		]);
	});

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
		const { case: kase } = await apply(programme.id);
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

	test("tasks appear on the assignee's day until they are done", async () => {
		const { actors, programme, db } = await setup();
		const { case: kase } = await apply(programme.id);
		const { task } = await createTask(
			{ actor: actors.advisor, input: { caseId: kase.id, title: 'Rappeler', dueOn: '2030-03-01' } },
			{ db }
		);
		await createTask(
			{ actor: actors.advisor, input: { title: 'Préparer le salon', dueOn: '2030-03-09' } },
			{ db }
		);
		await createTask({ actor: actors.admin, input: { title: 'Pour l’admin', dueOn: '2030-03-01' } }, { db });
		const day = await listMyTasks({ actor: actors.advisor, on: '2030-03-02' }, { db });
		expect(day.tasks.map((t) => [t.title, t.caseReference])).toEqual([['Rappeler', kase.reference]]);
		await completeTask({ actor: actors.advisor, taskId: task.id }, { db });
		expect((await listMyTasks({ actor: actors.advisor, on: '2030-03-02' }, { db })).tasks).toEqual([]);
		await expectDomainError(
			completeTask({ actor: actors.otherAdvisor, taskId: task.id }, { db }),
			'case.task_not_found'
		);
		await expectDomainError(
			createTask({ actor: actors.committee, input: { title: 'x' } }, { db }),
			'case.forbidden'
		);
		expect(
			await expectIssues(
				createTask({ actor: actors.advisor, input: { title: ' ', dueOn: '2030-13-45' } }, { db })
			)
		).toEqual([
			{ field: 'title', code: 'case.task_title_required' },
			{ field: 'dueOn', code: 'case.invalid_date' }
		]);
		expect(Number((await db.select({ n: count() }).from(tasksTable))[0].n)).toBe(3);
	});

	test('the demo seed is reproducible and its installations per year follow the published shape', async () => {
		const { programme, villages, actors, db } = await setup();
		await db
			.update(usersTable)
			.set({ email: 'advisor@demo.soho.example' })
			.where(eq(usersTable.id, actors.advisor.userId));
		await db
			.update(usersTable)
			.set({ email: 'committee@demo.soho.example' })
			.where(eq(usersTable.id, actors.committee.userId));
		const now = new Date('2026-05-15T12:00:00Z');
		const step = createCaseDemoSeedStep({ now: () => now });
		const lines: string[] = [];
		// Its speed is measured by `npm run bench`, never asserted here.
		await step.run({ db, config, programme, log: (line) => lines.push(line) });
		expect(lines[0]).toMatch(/^Demo cases: \d+ households/);

		const first = await rowCounts(db);
		// A second generation from the same seed gives the same data (ids aside).
		const context = {
			programmeId: programme.id,
			programmeSlug: 'gers',
			installCommunes: [
				{ code: '32435', villageId: villages.simorre.id },
				{ code: '32412', villageId: villages.samatan.id }
			],
			villageIds: [villages.simorre.id, villages.samatan.id],
			committeeVillageIds: [villages.simorre.id],
			advisorId: actors.advisor.userId,
			candidateUserId: null,
			now
		};
		const strip = (data: ReturnType<typeof generateDemoCases>) => ({
			cases: data.cases.map((c) => [c.reference, c.stage, c.installedOn, c.source, c.leftOn]),
			persons: data.persons.map((p) => [p.firstName, p.lastName, p.birthYear, p.originCountry]),
			counts: [data.stageChanges.length, data.activities.length, data.tasks.length, data.targets.length]
		});
		expect(strip(generateDemoCases(context))).toEqual(strip(generateDemoCases(context)));
		expect(first.cases).toBe(generateDemoCases(context).cases.length);
		expect(first.stageChanges).toBe(generateDemoCases(context).stageChanges.length);

		const perYear = await db
			.select({ year: sql<number>`extract(year from ${casesTable.installedOn})`.mapWith(Number), n: count() })
			.from(casesTable)
			.where(sql`${casesTable.installedOn} is not null`)
			.groupBy(sql`1`)
			.orderBy(sql`1`);
		const installs = Object.fromEntries(perYear.map((row) => [row.year, Number(row.n)]));
		expect([installs[2008], installs[2009], installs[2010]]).toEqual([19, 32, 41]);
		expect(installs[2017]).toBe(11);
		expect(installs).toEqual(DEMO_INSTALLATIONS_PER_YEAR);

		const [{ people, households }] = await db
			.select({
				people: count(),
				households: sql<number>`count(distinct ${personsTable.caseId})`.mapWith(Number)
			})
			.from(personsTable)
			.innerJoin(casesTable, eq(casesTable.id, personsTable.caseId))
			.where(sql`${casesTable.installedOn} is not null`);
		expect(Number(people) / households).toBeGreaterThan(2.2);
		expect(Number(people) / households).toBeLessThan(2.7);
		const [{ abroad, all }] = await db
			.select({
				abroad: sql<number>`count(*) filter (where ${personsTable.originCountry} <> 'FR')`.mapWith(Number),
				all: count()
			})
			.from(personsTable)
			.where(eq(personsTable.householdRole, 'candidate'));
		expect(abroad / Number(all)).toBeGreaterThan(0.12);
		expect(abroad / Number(all)).toBeLessThan(0.28);
		const stages = await db
			.select({ stage: casesTable.stage, n: count() })
			.from(casesTable)
			.groupBy(casesTable.stage);
		const byStage = Object.fromEntries(stages.map((s) => [s.stage, Number(s.n)]));
		expect(byStage.abandoned).toBeGreaterThan(300);
		expect(byStage.left_territory).toBeGreaterThan(5);
		expect(byStage.contact + byStage.qualified + byStage.discovery_visit + byStage.installing).toBe(15);
		// Open cases shared with the committee member's village are visible to them.
		const committeeCases = await listCases({ actor: actors.committee }, { db });
		expect(committeeCases.total).toBeGreaterThan(0);
		const { tasks } = await listMyTasks({ actor: actors.advisor, on: '2026-05-15' }, { db: ctx.db });
		expect(tasks.length).toBeGreaterThan(0);
	});
	test('the dashboard counts the open pipeline by stage, overdue tasks and the cases of the last 7 days', async () => {
		const { actors, programme, db } = await setup();
		const now = new Date('2030-03-10T09:00:00Z');
		const old = await submitApplication(
			{ programmeId: programme.id, input: application(), locale: 'fr' },
			{ db, config, now: new Date('2030-02-01T09:00:00Z') }
		);
		await submitApplication(
			{ programmeId: programme.id, input: application({ email: 'b@example.org', phone: '' }), locale: 'fr' },
			{ db, config, now: new Date('2030-03-08T09:00:00Z') }
		);
		await createCase(
			{ actor: actors.advisor, input: { firstName: 'Anaïs', lastName: 'Noguès' } },
			{ db, now: new Date('2030-03-09T09:00:00Z') }
		);
		await moveCaseToStage({ actor: actors.advisor, caseId: old.case.id, stage: 'qualified' }, { db, now });
		await createTask({ actor: actors.advisor, input: { title: 'En retard', dueOn: '2030-03-01' } }, { db });
		await createTask({ actor: actors.admin, input: { title: 'Aussi', dueOn: '2030-03-09' } }, { db });
		await createTask({ actor: actors.advisor, input: { title: 'Aujourd’hui', dueOn: '2030-03-10' } }, { db });
		const done = await createTask(
			{ actor: actors.advisor, input: { title: 'Fait', dueOn: '2030-03-02' } },
			{ db }
		);
		await completeTask({ actor: actors.advisor, taskId: done.task.id }, { db });

		const dashboard = await getCaseDashboard({ actor: actors.advisor }, { db, now });
		expect(dashboard.open).toEqual([
			{ stage: 'contact', count: 2 },
			{ stage: 'qualified', count: 1 },
			{ stage: 'discovery_visit', count: 0 },
			{ stage: 'installing', count: 0 }
		]);
		expect(dashboard.openTotal).toBe(3);
		expect(dashboard.closed.map((c) => c.stage)).toEqual([
			'installed',
			'integrated',
			'abandoned',
			'left_territory'
		]);
		expect(dashboard.overdueTasks).toEqual({ all: 2, mine: 1 });
		expect(dashboard.newCases).toMatchObject({ all: 2, webForm: 1 });
		// Another programme's advisor sees none of it; committee members have no dashboard.
		const elsewhere = await getCaseDashboard({ actor: actors.otherAdvisor }, { db, now });
		expect(elsewhere.openTotal).toBe(0);
		expect(elsewhere.overdueTasks).toEqual({ all: 0, mine: 0 });
		await expectDomainError(getCaseDashboard({ actor: actors.committee }, { db, now }), 'case.forbidden');
	});

	test('the back office gets the pipeline, staff, villages, allowed moves, a board and the tasks of a case', async () => {
		const { actors, programme, villages, db } = await setup();
		const a = await apply(programme.id);
		const b = await apply(
			programme.id,
			application({ email: 'b@example.org', phone: '', villages: ['samatan'] })
		);
		await moveCaseToStage({ actor: actors.advisor, caseId: b.case.id, stage: 'qualified' }, { db });
		await addActivity(
			{ actor: actors.advisor, caseId: a.case.id, kind: 'call', summary: 'Appel', occurredAt: '2030-01-01' },
			{ db }
		);
		await createTask(
			{ actor: actors.advisor, input: { caseId: a.case.id, title: 'Plus tard', dueOn: '2030-05-01' } },
			{ db }
		);
		const first = await createTask(
			{ actor: actors.advisor, input: { caseId: a.case.id, title: 'D’abord', dueOn: '2030-04-01' } },
			{ db }
		);
		await createTask({ actor: actors.admin, input: { caseId: a.case.id, title: 'Sans date' } }, { db });

		const options = await getCaseOptions({ actor: actors.advisor }, { db });
		expect(options.pipeline.stages).toContain('installed');
		expect(options.advisors.map((u) => u.name).sort()).toEqual([
			'admin@gers.example',
			'advisor@gers.example'
		]);
		expect(options.villages.map((v) => [v.slug, v.name])).toEqual([
			['samatan', 'Samatan'],
			['simorre', 'Simorre']
		]);
		expect(options.departements).toEqual(['32']);
		const committeeOptions = await getCaseOptions({ actor: actors.committee }, { db });
		expect(committeeOptions.villages.map((v) => v.id)).toEqual([villages.simorre.id]);
		expect(committeeOptions.advisors).toEqual([]);
		await expectDomainError(getCaseOptions({ actor: actors.partner }, { db }), 'case.forbidden');

		const allowed = await listAllowedStages(
			{ actor: actors.advisor, stages: ['contact', 'installed'] },
			{ db }
		);
		expect(allowed.contact).toEqual([
			'qualified',
			'discovery_visit',
			'installing',
			'installed',
			'integrated',
			'abandoned'
		]);
		expect(allowed.installed).toEqual(['installing', 'integrated', 'left_territory']);
		expect(await listAllowedStages({ actor: actors.committee, stages: ['contact'] }, { db })).toEqual({});

		const { columns } = await getCaseBoard({ actor: actors.advisor }, { db });
		expect(columns.map((c) => [c.stage, c.total])).toEqual([
			['contact', 1],
			['qualified', 1],
			['discovery_visit', 0],
			['installing', 0],
			['installed', 0],
			['integrated', 0],
			['abandoned', 0],
			['left_territory', 0]
		]);
		// The list shows each case's next task (earliest due date first).
		const { cases } = await listCases({ actor: actors.advisor, filters: { q: 'helene' } }, { db });
		expect(cases.find((c) => c.id === a.case.id)).toMatchObject({
			nextTaskTitle: 'D’abord',
			nextTaskDueOn: '2030-04-01'
		});
		const oldest = await listCases({ actor: actors.advisor, sort: 'oldest' }, { db });
		const recent = await listCases({ actor: actors.advisor }, { db });
		expect(oldest.cases.map((c) => c.id)).toEqual(recent.cases.map((c) => c.id).reverse());
		// Committee members see no staff task in the list.
		const committeeList = await listCases({ actor: actors.committee }, { db });
		expect(committeeList.cases.map((c) => [c.id, c.nextTaskTitle])).toEqual([[a.case.id, null]]);

		const { tasks, assignees } = await listCaseTasks({ actor: actors.advisor, caseId: a.case.id }, { db });
		expect(tasks.map((t) => t.title)).toEqual(['D’abord', 'Plus tard', 'Sans date']);
		expect(assignees[actors.admin.userId]).toBe('admin@gers.example');
		await completeTask({ actor: actors.advisor, taskId: first.task.id }, { db });
		const after = await listCaseTasks({ actor: actors.advisor, caseId: a.case.id }, { db });
		expect(after.tasks.map((t) => [t.title, t.doneAt !== null])).toEqual([
			['Plus tard', false],
			['Sans date', false],
			['D’abord', true]
		]);
		await expectDomainError(
			listCaseTasks({ actor: actors.committee, caseId: a.case.id }, { db }),
			'case.forbidden'
		);
		await expectDomainError(
			listCaseTasks({ actor: actors.otherAdvisor, caseId: a.case.id }, { db }),
			'case.not_found'
		);

		const { moves } = await listStageMoves({ actor: actors.advisor, caseId: b.case.id }, { db });
		expect(moves).toEqual([
			{ stage: 'contact', needs: ['reason'] },
			{ stage: 'discovery_visit', needs: [] },
			{ stage: 'installing', needs: [] },
			{ stage: 'installed', needs: ['installedCommuneCode', 'installedOn'] },
			{ stage: 'integrated', needs: ['installedCommuneCode', 'installedOn'] },
			{ stage: 'abandoned', needs: ['reason'] }
		]);
		await expectDomainError(
			listStageMoves({ actor: actors.committee, caseId: a.case.id }, { db }),
			'case.forbidden'
		);

		const timeline = await getTimeline({ actor: actors.advisor, caseId: a.case.id }, { db });
		expect(timeline.authors).toEqual({ [actors.advisor.userId]: 'advisor@gers.example' });
	});
});
