import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { casesTable } from '../../db/schema/index.ts';
import { createTestOrganisation, insertTestUsers } from '../../testing/factories.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { toActor } from '../account/account.service.ts';
import { applyOn, householdApplication, setupCommitteeProgrammes } from '../case/case.test-utils.ts';
import { planStay } from '../discovery-stay/discovery-stay.service.ts';
import { createOffer } from '../offer/offer.service.ts';
import { createReferral } from '../referral/referral.service.ts';
import { getCommitteeDashboard, getPartnerDashboard, getStaffDashboard } from './dashboard.service.ts';

const config = parseConfig({ NODE_ENV: 'test', ORIGIN: 'https://soho.test' });
const now = new Date('2026-06-10T10:00:00Z');
const DAY = 86_400_000;

describeEachDb('dashboards: each role its own', (ctx) => {
	const apply = applyOn(ctx, householdApplication);

	async function setup() {
		const base = await setupCommitteeProgrammes(ctx.db);
		const { db, programme, villages, actors } = base;
		const household = (email: string, firstName: string, village: string) =>
			apply(programme.id, householdApplication({ email, firstName, villages: [village] }));
		const simorreNew = (await household('a@example.org', 'Anne', 'simorre')).case;
		const simorreQualified = (await household('b@example.org', 'Bruno', 'simorre')).case;
		const simorreInstalled = (await household('c@example.org', 'Chloé', 'simorre')).case;
		const samatanOnly = (await household('d@example.org', 'Denis', 'samatan')).case;
		await db.update(casesTable).set({ stage: 'qualified' }).where(eq(casesTable.id, simorreQualified.id));
		await db
			.update(casesTable)
			.set({ stage: 'installed', updatedAt: new Date('2007-05-01T00:00:00Z') })
			.where(eq(casesTable.id, simorreInstalled.id));
		return {
			...base,
			db,
			cases: { simorreNew, simorreQualified, simorreInstalled, samatanOnly },
			villages,
			actors
		};
	}

	test('a mayor sees their village, its households by stage (settled ones apart), its visits and offers; never another village', async () => {
		const { db, programme, villages, actors, cases } = await setup();
		const meeting = (hostUserId: string, villageId: string, place: string, day: string) => ({
			startsAt: `2026-06-${day}T08:00:00Z`,
			endsAt: `2026-06-${day}T09:30:00Z`,
			place,
			topic: null,
			hostKind: 'committee' as const,
			hostUserId,
			villageId
		});
		await planStay(
			{
				actor: actors.advisor,
				input: {
					kind: 'stay',
					title: 'Découverte du Savès',
					startsOn: '2026-06-20',
					endsOn: '2026-06-22',
					caseIds: [cases.simorreNew.id],
					meetings: [
						meeting(actors.committee.userId, villages.simorre.id, 'Mairie de Simorre', '21'),
						meeting(actors.samatanMayor.userId, villages.samatan.id, 'Mairie de Samatan', '20')
					]
				}
			},
			{ db, config, now }
		);
		const offer = (villageId: string, communeCode: string, titleFr: string, expiresAt: Date) =>
			createOffer(
				{
					actor: actors.advisor,
					input: {
						programmeId: programme.id,
						kind: 'house_rent',
						titleFr,
						communeCode,
						villageId,
						expiresAt
					} as never
				},
				{ db, now }
			);
		await offer(villages.simorre.id, '32435', 'Maison du bourg', new Date(now.getTime() + 60 * DAY));
		await offer(villages.samatan.id, '32412', 'Grange à Samatan', new Date(now.getTime() + 60 * DAY));

		const dashboard = await getCommitteeDashboard({ actor: actors.committee }, { db, now });
		expect(dashboard.villages.map((v) => v.id)).toEqual([villages.simorre.id]);
		expect(dashboard.activeTotal).toBe(2);
		expect(dashboard.activeByStage.map((g) => [g.stage, g.households.map((h) => h.id)])).toEqual([
			['contact', [cases.simorreNew.id]],
			['qualified', [cases.simorreQualified.id]]
		]);
		expect(dashboard.closed.map((h) => h.id)).toEqual([cases.simorreInstalled.id]);
		const everyHousehold = [...dashboard.activeByStage.flatMap((g) => g.households), ...dashboard.closed];
		expect(everyHousehold.map((h) => h.id)).not.toContain(cases.samatanOnly.id);
		expect(dashboard.nextMeetings.map((m) => [m.place, m.isHost])).toEqual([['Mairie de Simorre', true]]);
		expect(dashboard.offers.map((o) => o.titleFr)).toEqual(['Maison du bourg']);

		// Samatan's mayor: Samatan's household and meeting, none of Simorre's.
		const samatan = await getCommitteeDashboard({ actor: actors.samatanMayor }, { db, now });
		expect(samatan.villages.map((v) => v.id)).toEqual([villages.samatan.id]);
		expect(samatan.activeByStage.flatMap((g) => g.households.map((h) => h.id))).toEqual([
			cases.samatanOnly.id
		]);
		expect(samatan.closed).toEqual([]);
		expect(samatan.nextMeetings.map((m) => m.place)).toEqual(['Mairie de Samatan']);
		expect(samatan.offers.map((o) => o.titleFr)).toEqual(['Grange à Samatan']);

		// Past meetings leave the list.
		const later = await getCommitteeDashboard(
			{ actor: actors.committee },
			{ db, now: new Date('2026-07-01T00:00:00Z') }
		);
		expect(later.nextMeetings).toEqual([]);
	});

	test('only committee members get a committee dashboard, only staff the staff one', async () => {
		const { db, actors } = await setup();
		await expectDomainError(
			getCommitteeDashboard({ actor: actors.advisor }, { db, now }),
			'dashboard.forbidden'
		);
		await expectDomainError(
			getStaffDashboard({ actor: actors.committee }, { db, now }),
			'dashboard.forbidden'
		);
		await expectDomainError(
			getPartnerDashboard({ actor: actors.committee }, { db, now }),
			'dashboard.forbidden'
		);
		const staff = await getStaffDashboard({ actor: actors.admin }, { db, now });
		expect(staff.cases.openTotal).toBe(3);
		expect(Array.isArray(staff.checklist)).toBe(true);
		expect((await getStaffDashboard({ actor: actors.advisor }, { db, now })).checklist).toBeNull();
	});

	test('a partner sees their organisation, its waiting referrals first, its listings; nothing of another organisation', async () => {
		const { db, programme, villages, actors, cases } = await setup();
		const employment = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Service de l’emploi',
			kind: 'employment_service'
		});
		const bank = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Banque',
			kind: 'bank'
		});
		const partner = async (email: string, organisationId: string) => {
			const [user] = await insertTestUsers(db, {
				name: email,
				email,
				role: 'partner',
				programmeId: programme.id,
				organisationId,
				locale: 'fr'
			});
			return toActor(user);
		};
		const employmentPartner = await partner('conseil@emploi.example', employment.id);
		const bankPartner = await partner('pro@banque.example', bank.id);
		for (const kase of Object.values(cases))
			await db
				.update(casesTable)
				.set({ consents: { ...kase.consents, shareWithPartners: true } })
				.where(eq(casesTable.id, kase.id));
		const refer = (caseId: string, organisationId: string, needKind: 'job_search' | 'financing') =>
			createReferral(
				{ actor: actors.advisor, caseId, input: { organisationId, needKind } },
				{ db, config, now }
			);
		const first = (await refer(cases.simorreNew.id, employment.id, 'job_search')).referral;
		const second = (await refer(cases.samatanOnly.id, employment.id, 'job_search')).referral;
		const toBank = (await refer(cases.simorreQualified.id, bank.id, 'financing')).referral;
		await createOffer(
			{
				actor: employmentPartner,
				input: {
					programmeId: programme.id,
					kind: 'premises_rent',
					titleFr: 'Poste d’infirmier',
					communeCode: '32435',
					villageId: villages.simorre.id,
					expiresAt: new Date(now.getTime() + 30 * DAY)
				} as never
			},
			{ db, now }
		);

		const dashboard = await getPartnerDashboard({ actor: employmentPartner }, { db, now });
		expect(dashboard.organisation).toEqual({ id: employment.id, name: 'Service de l’emploi' });
		expect(dashboard.waitingTotal).toBe(2);
		expect(dashboard.waitingReferrals.map((r) => r.id).sort()).toEqual([first.id, second.id].sort());
		expect(dashboard.offers.map((o) => o.titleFr)).toEqual(['Poste d’infirmier']);

		const bankDashboard = await getPartnerDashboard({ actor: bankPartner }, { db, now });
		expect(bankDashboard.organisation.name).toBe('Banque');
		expect(bankDashboard.waitingReferrals.map((r) => r.id)).toEqual([toBank.id]);
		expect(bankDashboard.offers).toEqual([]);
		await expectDomainError(
			getPartnerDashboard({ actor: actors.advisor }, { db, now }),
			'dashboard.forbidden'
		);
	});
});
