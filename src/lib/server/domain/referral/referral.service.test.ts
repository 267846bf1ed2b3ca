import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	caseActivitiesTable,
	casesTable,
	mailMessagesTable,
	personsTable,
	referralsTable,
	type CaseConsents,
	type Role
} from '../../db/schema/index.ts';

import { ValidationError } from '../../validation.ts';
import { toActor } from '../account/account.service.ts';

import { setOrganisationRetired } from '../organisation/organisation.service.ts';
import { addProgrammeHostBySlug } from '../programme/programme-host.service.ts';
import {
	acceptReferral,
	countOverdueReferralsByAdvisor,
	createReferral,
	declineReferral,
	getReferral,
	getReferralFormOptions,
	listReferralOrganisations,
	listReferrals,
	recordReferralOutcome
} from './referral.service.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createTestProgramme, insertTestUsers, createTestOrganisation } from '../../testing/factories.ts';

const config = parseConfig({ NODE_ENV: 'test', ORIGIN: 'https://soho.test' });
const DAY = 86_400_000;

describeEachDb('referrals', (ctx) => {
	/** Two programmes; an employment service and a bank with a partner account each; a household. */
	const setup = async ({ consents = {} }: { consents?: Partial<CaseConsents> } = {}) => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		const other = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		const employment = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Service de l’emploi',
			kind: 'employment_service',
			email: 'agence@emploi.example'
		});
		const bank = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Banque',
			kind: 'bank'
		});
		const otherOrganisation = await createTestOrganisation(db, {
			programmeId: other.id,
			name: 'Emploi Lot',
			kind: 'employment_service'
		});
		const user = async (
			role: Role,
			email: string,
			{
				programmeId = programme.id,
				organisationId = null as string | null,
				locale = 'fr' as 'fr' | 'en'
			} = {}
		) => {
			const [created] = await insertTestUsers(db, {
				name: email,
				email,
				role,
				programmeId,
				organisationId,
				locale
			});
			return toActor(created);
		};
		const actors = {
			admin: await user('admin', 'admin@gers.example'),
			advisor: await user('advisor', 'advisor@gers.example', { locale: 'en' }),
			committee: await user('committee', 'committee@gers.example'),
			member: await user('member', 'member@gers.example'),
			candidate: await user('candidate', 'candidate@gers.example'),
			employment: await user('partner', 'conseil@emploi.example', {
				organisationId: employment.id,
				locale: 'en'
			}),
			bank: await user('partner', 'pro@banque.example', { organisationId: bank.id }),
			otherAdvisor: await user('advisor', 'advisor@lot.example', { programmeId: other.id }),
			otherPartner: await user('partner', 'partner@lot.example', {
				programmeId: other.id,
				organisationId: otherOrganisation.id
			})
		};
		const [kase] = await db
			.insert(casesTable)
			.values({
				programmeId: programme.id,
				reference: 'GERS-2026-0001',
				source: 'phone',
				advisorId: actors.advisor.userId,
				consents: {
					contact: true,
					shareWithCommittees: false,
					shareWithPartners: true,
					research: false,
					at: null,
					...consents
				}
			})
			.returning();
		const [candidate, partner, child] = await db
			.insert(personsTable)
			.values([
				{
					programmeId: programme.id,
					caseId: kase.id,
					householdRole: 'candidate',
					firstName: 'Hélène',
					lastName: 'Garnier',
					email: 'helene@example.org',
					originCountry: 'NL',
					birthYear: 1984
				},
				{
					programmeId: programme.id,
					caseId: kase.id,
					householdRole: 'partner',
					firstName: 'Marc',
					lastName: 'Garnier',
					email: 'marc@example.org',
					phone: '+33611111111',
					profession: 'Infirmier',
					status: 'employee_teleworking',
					sector: 'health',
					languages: ['fr', 'nl'],
					originCountry: 'NL',
					birthYear: 1982
				},
				{ programmeId: programme.id, caseId: kase.id, householdRole: 'child', firstName: 'Zoé' }
			])
			.returning();
		return {
			db,
			programme,
			other,
			organisations: { employment, bank, otherOrganisation },
			actors,
			kase,
			persons: { candidate, partner, child }
		};
	};

	const refer = (
		s: Awaited<ReturnType<typeof setup>>,
		input: Partial<Parameters<typeof createReferral>[0]['input']> = {},
		now?: Date
	) =>
		createReferral(
			{
				actor: s.actors.advisor,
				caseId: s.kase.id,
				input: {
					organisationId: s.organisations.employment.id,
					personId: s.persons.partner.id,
					needKind: 'job_search',
					message: 'Marc cherche un poste d’infirmier à Auch.',
					...input
				}
			},
			{ db: ctx.db, config, now }
		);

	test('an advisor refers the partner to the employment service: referral, timeline entry and one mail per recipient', async () => {
		const s = await setup();
		const now = new Date('2026-03-10T09:00:00Z');
		const { referral } = await refer(s, {}, now);
		expect(referral).toMatchObject({
			status: 'proposed',
			caseId: s.kase.id,
			personId: s.persons.partner.id,
			organisationId: s.organisations.employment.id,
			needKind: 'job_search',
			expectedAnswerOn: '2026-03-17',
			createdBy: s.actors.advisor.userId
		});
		const activities = await s.db.select().from(caseActivitiesTable);
		expect(activities).toMatchObject([
			{ kind: 'referral', visibility: 'staff', data: { referralId: referral.id, status: 'proposed' } }
		]);
		const mails = await s.db.select().from(mailMessagesTable).orderBy(mailMessagesTable.toAddress);
		expect(mails.map((mail) => mail.toAddress)).toEqual(['agence@emploi.example', 'conseil@emploi.example']);
		expect(mails.every((mail) => mail.kind === 'referral.created')).toBe(true);
		expect(mails[0].subject).toBe('Nouvelle orientation — Gers');
		expect(mails[1].subject).toBe('New referral — Gers');
		expect(mails[1].textBody).toContain(`https://soho.test/backoffice/referrals/${referral.id}`);
		// The notification carries no personal details.
		for (const mail of mails) expect(mail.textBody).not.toContain('Garnier');
	});

	test("the mail links to the referral on the programme's own host once it has one", async () => {
		const s = await setup();
		await addProgrammeHostBySlug({ slug: 'gers', input: { host: 'accueil.gers.test' } }, { db: s.db });
		const { referral } = await refer(s);
		const mails = await s.db.select().from(mailMessagesTable);
		expect(mails.length).toBeGreaterThan(0);
		for (const mail of mails)
			expect(mail.textBody).toContain(`https://accueil.gers.test/backoffice/referrals/${referral.id}`);
	});

	test('the answer date can be set per referral, but not in the past', async () => {
		const s = await setup();
		const now = new Date('2026-03-10T09:00:00Z');
		const { referral } = await refer(s, { expectedAnswerOn: '2026-03-31' }, now);
		expect(referral.expectedAnswerOn).toBe('2026-03-31');
		const error = await refer(s, { expectedAnswerOn: '2026-03-01' }, now).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect((error as ValidationError).issues).toEqual([
			{ field: 'expectedAnswerOn', code: 'referral.invalid_expected_date' }
		]);
	});

	test('without the consent to share with partners the referral is refused and nothing is written', async () => {
		const s = await setup({ consents: { shareWithPartners: false } });
		await expectDomainError(refer(s), 'referral.no_partner_consent');
		expect(await s.db.select().from(referralsTable)).toHaveLength(0);
		expect(await s.db.select().from(caseActivitiesTable)).toHaveLength(0);
		expect(await s.db.select().from(mailMessagesTable)).toHaveLength(0);
	});

	test('the organisation must be a partner of the programme and the person a member of the household', async () => {
		const s = await setup();
		const error = await refer(s, {
			organisationId: s.organisations.otherOrganisation.id,
			personId: 'per_notinthehousehold'
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect((error as ValidationError).issues).toEqual([
			{ field: 'organisationId', code: 'referral.unknown_organisation' },
			{ field: 'personId', code: 'referral.unknown_person' }
		]);
		expect(await s.db.select().from(referralsTable)).toHaveLength(0);
	});

	test('without a person the referral is about the candidate', async () => {
		const s = await setup();
		const { referral } = await refer(s, { personId: '' });
		expect(referral.personId).toBe(s.persons.candidate.id);
	});

	test('only staff refer: committee, member, candidate and partners are refused, another programme does not find the case', async () => {
		const s = await setup();
		for (const actor of [s.actors.committee, s.actors.member, s.actors.candidate, s.actors.employment]) {
			await expectDomainError(
				createReferral(
					{
						actor,
						caseId: s.kase.id,
						input: { organisationId: s.organisations.employment.id, needKind: 'job_search' }
					},
					{ db: ctx.db, config }
				),
				'referral.forbidden'
			);
		}
		await expectDomainError(
			createReferral(
				{
					actor: s.actors.otherAdvisor,
					caseId: s.kase.id,
					input: { organisationId: s.organisations.otherOrganisation.id, needKind: 'job_search' }
				},
				{ db: ctx.db, config }
			),
			'case.not_found'
		);
		expect(await s.db.select().from(referralsTable)).toHaveLength(0);
	});

	test('the partner sees only what is shared: names, profession, status, sector, languages, need and message', async () => {
		const s = await setup();
		const { referral } = await refer(s);
		const { referrals, total } = await listReferrals({ actor: s.actors.employment }, { db: ctx.db });
		expect(total).toBe(1);
		expect(referrals[0]).toMatchObject({
			id: referral.id,
			personName: 'Marc Garnier',
			needKind: 'job_search',
			message: 'Marc cherche un poste d’infirmier à Auch.',
			caseId: null,
			caseReference: null,
			caseAdvisorId: null
		});
		const details = await getReferral(
			{ actor: s.actors.employment, referralId: referral.id },
			{ db: ctx.db }
		);
		expect(details.person).toEqual({
			firstName: 'Marc',
			lastName: 'Garnier',
			profession: 'Infirmier',
			status: 'employee_teleworking',
			sector: 'health',
			languages: ['fr', 'nl'],
			email: 'marc@example.org',
			phone: '+33611111111',
			isContactShared: true
		});
		const json = JSON.stringify(details);
		for (const hidden of ['NL', '1982', 'Hélène', 'helene@example.org', 'GERS-2026-0001', s.kase.id]) {
			expect(json).not.toContain(hidden);
		}
		expect(details).toMatchObject({ canAnswer: true, canRecordOutcome: false });
	});

	test('without the contact consent the partner gets no email or phone', async () => {
		const s = await setup({ consents: { contact: false } });
		const { referral } = await refer(s);
		const { person } = await getReferral(
			{ actor: s.actors.employment, referralId: referral.id },
			{ db: ctx.db }
		);
		expect(person).toMatchObject({ firstName: 'Marc', email: null, phone: null });
	});

	test('another organisation, another programme and roles without referrals do not find the referral', async () => {
		const s = await setup();
		const { referral } = await refer(s);
		for (const actor of [
			s.actors.bank,
			s.actors.otherPartner,
			s.actors.otherAdvisor,
			s.actors.committee,
			s.actors.member,
			s.actors.candidate
		]) {
			await expectDomainError(
				getReferral({ actor, referralId: referral.id }, { db: ctx.db }),
				'referral.not_found'
			);
			await expectDomainError(
				acceptReferral({ actor, referralId: referral.id }, { db: ctx.db, config }),
				'referral.not_found'
			);
		}
		expect((await listReferrals({ actor: s.actors.bank }, { db: ctx.db })).total).toBe(0);
		expect((await listReferrals({ actor: s.actors.otherAdvisor }, { db: ctx.db })).total).toBe(0);
		for (const actor of [s.actors.committee, s.actors.member, s.actors.candidate]) {
			await expectDomainError(listReferrals({ actor }, { db: ctx.db }), 'referral.forbidden');
		}
		await expectDomainError(
			getReferral({ actor: s.actors.advisor, referralId: 'ref_malformed!' }, { db: ctx.db }),
			'referral.not_found'
		);
		const [row] = await s.db.select().from(referralsTable);
		expect(row.status).toBe('proposed');
	});

	test('the partner accepts, then records the outcome; each step is on the timeline and the advisor is told', async () => {
		const s = await setup();
		const { referral } = await refer(s);
		await s.db.delete(mailMessagesTable);
		const { referral: accepted } = await acceptReferral(
			{ actor: s.actors.employment, referralId: referral.id },
			{ db: ctx.db, config }
		);
		expect(accepted).toMatchObject({ status: 'accepted', answeredBy: s.actors.employment.userId });
		expect(accepted.answeredAt).toBeInstanceOf(Date);
		await expectDomainError(
			acceptReferral({ actor: s.actors.employment, referralId: referral.id }, { db: ctx.db, config }),
			'referral.not_proposed'
		);
		const { referral: done } = await recordReferralOutcome(
			{
				actor: s.actors.employment,
				referralId: referral.id,
				input: { outcome: 'achieved', note: 'CDI signé au centre hospitalier.', outcomeOn: '2026-04-02' }
			},
			{ db: ctx.db, config }
		);
		expect(done).toMatchObject({
			status: 'outcome_recorded',
			outcome: 'achieved',
			outcomeNote: 'CDI signé au centre hospitalier.',
			outcomeOn: '2026-04-02',
			outcomeBy: s.actors.employment.userId
		});
		const activities = await s.db
			.select()
			.from(caseActivitiesTable)
			.orderBy(caseActivitiesTable.occurredAt, caseActivitiesTable.createdAt);
		expect(activities.map((activity) => activity.data)).toEqual([
			expect.objectContaining({ referralId: referral.id, status: 'proposed' }),
			expect.objectContaining({ referralId: referral.id, status: 'accepted' }),
			expect.objectContaining({ referralId: referral.id, status: 'outcome_recorded', outcome: 'achieved' })
		]);
		expect(
			activities.every((activity) => activity.kind === 'referral' && activity.visibility === 'staff')
		).toBe(true);
		const mails = await s.db.select().from(mailMessagesTable);
		expect(mails).toHaveLength(2);
		expect(mails.every((mail) => mail.toAddress === 'advisor@gers.example')).toBe(true);
		expect(mails.map((mail) => mail.subject)).toEqual([
			'Referral GERS-2026-0001: answer from Service de l’emploi',
			'Referral GERS-2026-0001: answer from Service de l’emploi'
		]);
	});

	test('the outcome can only be recorded once the referral is accepted', async () => {
		const s = await setup();
		const { referral } = await refer(s);
		await expectDomainError(
			recordReferralOutcome(
				{ actor: s.actors.employment, referralId: referral.id, input: { outcome: 'achieved' } },
				{ db: ctx.db, config }
			),
			'referral.not_accepted'
		);
		const [row] = await s.db.select().from(referralsTable);
		expect(row).toMatchObject({ status: 'proposed', outcome: null });
	});

	test('declining needs a reason; the staff may answer on the organisation’s behalf without mailing themselves', async () => {
		const s = await setup();
		const { referral } = await refer(s);
		await s.db.delete(mailMessagesTable);
		const error = await declineReferral(
			{ actor: s.actors.employment, referralId: referral.id, input: { reason: ' ' } },
			{ db: ctx.db, config }
		).catch((e: unknown) => e);
		expect((error as ValidationError).issues).toEqual([
			{ field: 'reason', code: 'referral.decline_reason_required' }
		]);
		const { referral: declined } = await declineReferral(
			{ actor: s.actors.advisor, referralId: referral.id, input: { reason: 'Hors de notre secteur.' } },
			{ db: ctx.db, config }
		);
		expect(declined).toMatchObject({ status: 'declined', declineReason: 'Hors de notre secteur.' });
		expect(await s.db.select().from(mailMessagesTable)).toHaveLength(0);
	});

	test('staff filter by status, overdue and organisation; overdue referrals are counted per advisor', async () => {
		const s = await setup();
		const created = new Date('2026-03-01T09:00:00Z');
		const late = (await refer(s, {}, created)).referral;
		const onTime = (await refer(s, { expectedAnswerOn: '2026-04-30' }, created)).referral;
		const acceptedLongAgo = (await refer(s, { organisationId: s.organisations.bank.id }, created)).referral;
		await acceptReferral(
			{ actor: s.actors.bank, referralId: acceptedLongAgo.id },
			{ db: ctx.db, config, now: new Date('2026-03-02T09:00:00Z') }
		);
		const now = new Date(created.getTime() + 40 * DAY);
		const overdue = await listReferrals({ actor: s.actors.advisor, isOverdue: true }, { db: ctx.db, now });
		expect(overdue.referrals.map((r) => r.id).sort()).toEqual([late.id, acceptedLongAgo.id].sort());
		expect(overdue.referrals.every((r) => r.isOverdue)).toBe(true);
		const proposed = await listReferrals(
			{ actor: s.actors.advisor, status: 'proposed' },
			{ db: ctx.db, now }
		);
		expect(proposed.referrals.map((r) => r.id).sort()).toEqual([late.id, onTime.id].sort());
		const bank = await listReferrals(
			{ actor: s.actors.admin, organisationId: s.organisations.bank.id },
			{ db: ctx.db, now }
		);
		expect(bank.referrals.map((r) => r.id)).toEqual([acceptedLongAgo.id]);
		const ofCase = await listReferrals({ actor: s.actors.admin, caseId: s.kase.id }, { db: ctx.db, now });
		expect(ofCase.total).toBe(3);
		expect(ofCase.referrals[0].caseReference).toBe('GERS-2026-0001');
		expect(await countOverdueReferralsByAdvisor({ actor: s.actors.admin }, { db: ctx.db, now })).toEqual([
			{ advisorId: s.actors.advisor.userId, overdue: 2 }
		]);
		await expectDomainError(
			countOverdueReferralsByAdvisor({ actor: s.actors.employment }, { db: ctx.db, now }),
			'referral.forbidden'
		);
		expect(
			await countOverdueReferralsByAdvisor({ actor: s.actors.otherAdvisor }, { db: ctx.db, now })
		).toEqual([]);
	});

	test('the form options list the organisations and the adults of the household', async () => {
		const s = await setup();
		const options = await getReferralFormOptions(
			{ actor: s.actors.advisor, caseId: s.kase.id },
			{ db: ctx.db }
		);
		expect(options.organisations.map((o) => o.name)).toEqual(['Banque', 'Service de l’emploi']);
		expect(options.persons.map((p) => p.firstName)).toEqual(['Hélène', 'Marc']);
		expect(options.isShared).toBe(true);
		const { organisations } = await listReferralOrganisations({ actor: s.actors.admin }, { db: ctx.db });
		expect(organisations.map((o) => o.name)).toEqual(['Banque', 'Service de l’emploi']);
		await expectDomainError(
			listReferralOrganisations({ actor: s.actors.committee }, { db: ctx.db }),
			'referral.forbidden'
		);
		await expectDomainError(
			getReferralFormOptions({ actor: s.actors.employment, caseId: s.kase.id }, { db: ctx.db }),
			'referral.forbidden'
		);
		const [row] = await s.db.select().from(casesTable).where(eq(casesTable.id, s.kase.id));
		expect(row.id).toBe(s.kase.id);
	});
	test('a retired organisation keeps its past referrals but is offered for no new one', async () => {
		const s = await setup();
		const { referral } = await refer(s, {}, new Date('2026-03-10T09:00:00Z'));
		await setOrganisationRetired(
			{ actor: s.actors.admin, organisationId: s.organisations.employment.id, isRetired: true },
			{ db: ctx.db }
		);
		const options = await getReferralFormOptions(
			{ actor: s.actors.advisor, caseId: s.kase.id },
			{ db: ctx.db }
		);
		expect(options.organisations.map((o) => o.name)).toEqual(['Banque']);
		// The referral list's filter still has it: past referrals point to it.
		const { organisations } = await listReferralOrganisations({ actor: s.actors.admin }, { db: ctx.db });
		expect(organisations.map((o) => o.name)).toEqual(['Banque', 'Service de l’emploi']);
		const error = await expectDomainError(refer(s), 'validation.invalid_input');
		expect((error as ValidationError).issues).toEqual([
			{ field: 'organisationId', code: 'referral.unknown_organisation' }
		]);
		const rows = await s.db.select().from(referralsTable);
		expect(rows.map((row) => row.id)).toEqual([referral.id]);
	});
});
