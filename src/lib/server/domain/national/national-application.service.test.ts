import { eq, inArray } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { CAHORS, GUERET } from './national.test-utils.ts';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	casesTable,
	mailMessagesTable,
	membershipsTable,
	personsTable,
	usersTable
} from '../../db/schema/index.ts';
import { actorOfUser } from '../account/account.service.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';
import {
	actorOfUserId,
	createTestProgramme,
	createTestUser,
	createTestVillage,
	insertTestCommunes
} from '../../testing/factories.ts';
import { getSpaceOverview } from '../candidate-space/candidate-space.service.ts';
import { getSuggestions } from '../matching/matching.service.ts';
import { submitNationalApplication } from '../case/case-intake.service.ts';
import { getCase, listCases } from '../case/case.service.ts';
import { application } from '../case/case.test-utils.ts';
import { suspendProgramme } from '../programme/programme-instance.service.ts';
import { setNationalPortalOptInBySlug } from '../programme-settings/programme-national.service.ts';

const config = parseConfig({ NODE_ENV: 'test' });

describeEachDb('national portal: one application to several programmes', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const gers = await createTestProgramme(db, { slug: 'gers', name: 'Gers', departements: ['32'] });
		const lot = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		const creuse = await createTestProgramme(db, { slug: 'creuse', name: 'Creuse', departements: ['23'] });
		const mayenne = await createTestProgramme(db, { slug: 'mayenne', name: 'Mayenne', departements: ['53'] });
		for (const slug of ['gers', 'lot', 'mayenne']) {
			await setNationalPortalOptInBySlug({ slug, input: { isInNationalPortal: 'on' } }, { db });
		}
		await suspendProgramme(
			{ by: 'operator', input: { programme: 'mayenne', reason: 'Fin de convention' } },
			{ db }
		);
		const staff = async (programmeId: string, slug: string) =>
			(await createTestUser(db, { role: 'advisor', programmeId, email: `conseil@${slug}.fr` })).actor;
		return {
			db,
			gers,
			lot,
			creuse,
			mayenne,
			gersAdvisor: await staff(gers.id, 'gers'),
			lotAdvisor: await staff(lot.id, 'lot')
		};
	};
	const applyTo = (programmeIds: string[], overrides = {}) =>
		submitNationalApplication(
			{ programmeIds, input: application({ villages: [], ...overrides }), locale: 'fr' },
			{ db: ctx.db, config }
		);

	test('one form to two programmes opens one case in each; each programme’s staff sees only its own', async () => {
		const s = await setup();
		const { applications, candidateUserId } = await applyTo([s.gers.id, s.lot.id]);
		expect(applications.map((a) => a.programmeId).sort()).toEqual([s.gers.id, s.lot.id].sort());
		expect(applications.map((a) => a.reference).sort()).toEqual([
			expect.stringMatching(/^GERS-\d{4}-0001$/),
			expect.stringMatching(/^LOT-\d{4}-0001$/)
		]);
		const gersCases = await listCases({ actor: s.gersAdvisor }, { db: s.db });
		const lotCases = await listCases({ actor: s.lotAdvisor }, { db: s.db });
		expect(gersCases.total).toBe(1);
		expect(lotCases.total).toBe(1);
		const gersCase = applications.find((a) => a.programmeId === s.gers.id)!.case;
		const lotCase = applications.find((a) => a.programmeId === s.lot.id)!.case;
		expect(gersCases.cases[0].id).toBe(gersCase.id);
		// The other programme's staff cannot open it.
		await expectDomainError(
			getCase({ actor: s.lotAdvisor, caseId: gersCase.id }, { db: s.db }),
			'case.not_found'
		);
		await expectDomainError(
			getCase({ actor: s.gersAdvisor, caseId: lotCase.id }, { db: s.db }),
			'case.not_found'
		);
		// Each case has its own household, consents and confirmation mail, in its programme.
		const persons = await s.db
			.select({ programmeId: personsTable.programmeId, caseId: personsTable.caseId })
			.from(personsTable)
			.where(eq(personsTable.householdRole, 'candidate'));
		expect(persons.map((p) => p.caseId).sort()).toEqual([gersCase.id, lotCase.id].sort());
		const mails = await s.db
			.select({ programmeId: mailMessagesTable.programmeId, subject: mailMessagesTable.subject })
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.kind, 'case.application_received'));
		expect(mails.map((m) => m.programmeId).sort()).toEqual([s.gers.id, s.lot.id].sort());
		expect(gersCase.consents).toMatchObject({ contact: true });
		// One account, a candidate of both programmes.
		const memberships = await s.db
			.select({ programmeId: membershipsTable.programmeId, role: membershipsTable.role })
			.from(membershipsTable)
			.where(eq(membershipsTable.userId, candidateUserId!));
		expect(memberships.map((m) => `${m.programmeId}:${m.role}`).sort()).toEqual(
			[`${s.gers.id}:candidate`, `${s.lot.id}:candidate`].sort()
		);
	});

	test('no programme, a programme that did not opt in, a suspended one or a forged id: the field is named and nothing is written', async () => {
		const s = await setup();
		const cases = async () => (await s.db.select().from(casesTable)).length;
		expect(await expectIssuesByField(applyTo([]))).toMatchObject({ programmes: 'national.no_programme' });
		for (const refused of [s.creuse.id, s.mayenne.id, 'prg_forged000000000', "'; drop table cases; --"]) {
			expect(await expectIssuesByField(applyTo([s.gers.id, refused]))).toMatchObject({
				programmes: 'national.programme_not_participating'
			});
		}
		// A bad field of the form is reported with the programmes' issue, and nothing is written.
		expect(await expectIssuesByField(applyTo([], { email: 'not-an-email' }))).toMatchObject({
			programmes: 'national.no_programme',
			email: expect.any(String)
		});
		expect(await cases()).toBe(0);
		expect((await s.db.select().from(mailMessagesTable)).length).toBe(0);
	});

	test('the candidate’s space shows both applications with their programme, and only theirs', async () => {
		const s = await setup();
		const { candidateUserId } = await applyTo([s.gers.id, s.lot.id]);
		const other = await applyTo([s.lot.id], { email: 'autre@example.org', firstName: 'Paul' });
		// A candidate of two programmes acts in the one they chose (/choose-programme); both show.
		const [user] = await s.db.select().from(usersTable).where(eq(usersTable.id, candidateUserId!));
		for (const programmeId of [s.gers.id, s.lot.id]) {
			const actor = (await actorOfUser({ user, programmeId }, { db: s.db }))!;
			expect(actor.programmeId).toBe(programmeId);
			const overview = await getSpaceOverview({ actor }, { db: s.db });
			expect(overview.case.reference.startsWith(programmeId === s.gers.id ? 'GERS' : 'LOT')).toBe(true);
			expect(
				overview.applications.map((a) => [a.programmeName, a.reference.split('-')[0], a.isCurrent])
			).toEqual([
				['Gers', 'GERS', programmeId === s.gers.id],
				['Lot', 'LOT', programmeId === s.lot.id]
			]);
		}
		const otherActor = await actorOfUserId(s.db, other.candidateUserId!);
		const theirs = await getSpaceOverview({ actor: otherActor }, { db: s.db });
		expect(theirs.applications).toHaveLength(1);
		expect(theirs.applications[0].reference).toBe(other.applications[0].reference);
		// A suspended programme's case leaves the list.
		await suspendProgramme(
			{ by: 'operator', input: { programme: 'lot', reason: 'Pause estivale' } },
			{ db: s.db }
		);
		const gersActor = (await actorOfUser({ user, programmeId: s.gers.id }, { db: s.db }))!;
		const after = await getSpaceOverview({ actor: gersActor }, { db: s.db });
		expect(after.applications.map((a) => a.programmeName)).toEqual(['Gers']);
		expect(
			(
				await s.db
					.select()
					.from(casesTable)
					.where(inArray(casesTable.candidateUserId, [candidateUserId!]))
			).length
		).toBe(2);
	});

	test('the candidate’s suggestions also rank the villages of the other programme they applied to', async () => {
		const s = await setup();
		await insertTestCommunes(s.db);
		await insertTestCommunes(s.db, [CAHORS, GUERET]);
		await createTestVillage(s.db, { programmeId: s.gers.id, communeCode: '32013' });
		await createTestVillage(s.db, { programmeId: s.lot.id, communeCode: '46042' });
		await createTestVillage(s.db, { programmeId: s.creuse.id, communeCode: '23096' });
		const { candidateUserId } = await applyTo([s.gers.id, s.lot.id]);
		const [user] = await s.db.select().from(usersTable).where(eq(usersTable.id, candidateUserId!));
		const actor = (await actorOfUser({ user, programmeId: s.gers.id }, { db: s.db }))!;
		const suggestions = await getSuggestions({ actor }, { db: s.db });
		if (suggestions.status !== 'ok') throw new Error(suggestions.status);
		expect(suggestions.villages.map((village) => village.name)).toEqual(['Auch']);
		// The Lot (applied to, taking part) is ranked too; the Creuse (not applied to) never is.
		expect(
			suggestions.otherProgrammes.map((other) => [other.programmeName, other.villages.map((v) => v.name)])
		).toEqual([['Lot', ['Cahors']]]);
		// Staff reading the case see their own programme only.
		const gersCase = (await listCases({ actor: s.gersAdvisor }, { db: s.db })).cases[0];
		const staffView = await getSuggestions({ actor: s.gersAdvisor, caseId: gersCase.id }, { db: s.db });
		expect(staffView.status === 'ok' && staffView.otherProgrammes).toEqual([]);
	});
});
