import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import {
	caseActivitiesTable,
	casesTable,
	caseStageChangesTable,
	caseTargetVillagesTable,
	mailMessagesTable,
	offersTable
} from '../../db/schema/index.ts';
import { expectDomainError, expectIssues } from '../../testing/expectations.ts';
import { createCase, submitApplication } from './case-intake.service.ts';
import { getTimeline } from './case.service.ts';
import { application, applyOn, rowCounts, setupCaseProgrammes } from './case.test-utils.ts';

const config = parseConfig({ NODE_ENV: 'test' });

describeEachDb('case intake: the public application and the staff entry', (ctx) => {
	const setup = () => setupCaseProgrammes(ctx.db);
	const apply = applyOn(ctx);

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

	test('from one address at most SOHO_LIMIT_APPLICATIONS_PER_HOUR applications pass, even sent together; nothing of the others is kept', async () => {
		const { db, programme } = await setup();
		const fromAddress = (index: number) =>
			submitApplication(
				{
					programmeId: programme.id,
					input: application({ email: `bot${index}@example.org`, phone: '' }),
					locale: 'fr',
					clientAddress: '203.0.113.66'
				},
				{ db, config }
			);
		const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => fromAddress(i)));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(config.limitApplicationsPerHour);
		for (const refused of results.filter((r) => r.status === 'rejected')) {
			expect((refused.reason as { code?: string }).code).toBe('rate_limit.exceeded');
		}
		expect(await db.select().from(casesTable)).toHaveLength(config.limitApplicationsPerHour);
		expect(
			await db.select().from(mailMessagesTable).where(eq(mailMessagesTable.kind, 'case.application_received'))
		).toHaveLength(config.limitApplicationsPerHour);
	});

	test('applications naming the same email from several addresses mail it at most three times an hour', async () => {
		const { db, programme } = await setup();
		const naming = (address: string) =>
			submitApplication(
				{
					programmeId: programme.id,
					input: application({ email: 'victim@example.net', phone: '' }),
					locale: 'fr',
					clientAddress: address
				},
				{ db, config }
			);
		for (let i = 0; i < config.limitMailsPerRecipientPerHour; i++) await naming(`198.51.100.${i}`);
		const before = await rowCounts(db);
		const error = await expectDomainError(naming('198.51.100.99'), 'rate_limit.exceeded');
		expect(error.details).toMatchObject({ retryAfterMinutes: 60 });
		expect(await rowCounts(db)).toEqual(before);
		const mails = await db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.toAddress, 'victim@example.net'));
		expect(mails).toHaveLength(config.limitMailsPerRecipientPerHour);
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
});
