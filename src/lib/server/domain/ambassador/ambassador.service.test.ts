import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { caseActivitiesTable, casesTable, personsTable, type Role } from '../../db/schema/index.ts';

import { toActor } from '../account/account.service.ts';
import { inviteMember, updateOwnAmbassadorOffer } from '../member/member.service.ts';

import {
	activatePairing,
	endPairing,
	listOwnPairings,
	listPairingsOfCase,
	pairAmbassador,
	suggestAmbassadors
} from './ambassador.service.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createTestProgramme, insertTestUsers, insertTestCommunes } from '../../testing/factories.ts';

const config = parseConfig({ NODE_ENV: 'test' });

describeEachDb('ambassadors', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		const other = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		await insertTestCommunes(db, [
			{ code: '32208', name: 'Lectoure', departementCode: '32', centroidLat: 43.934, centroidLon: 0.622 },
			{ code: '32132', name: 'Fleurance', departementCode: '32', centroidLat: 43.848, centroidLon: 0.663 },
			{ code: '32013', name: 'Auch', departementCode: '32', centroidLat: 43.646, centroidLon: 0.586 }
		]);
		const user = async (role: Role, email: string, programmeId = programme.id) => {
			const [created] = await insertTestUsers(db, { name: email, email, role, programmeId });
			return toActor(created);
		};
		const actors = {
			advisor: await user('advisor', 'advisor@gers.example'),
			committee: await user('committee', 'committee@gers.example'),
			otherAdvisor: await user('advisor', 'advisor@lot.example', other.id)
		};
		let sequence = 0;
		const household = async ({
			stage,
			commune = null,
			wished = [],
			languages,
			profession,
			firstName
		}: {
			stage: string;
			commune?: string | null;
			wished?: string[];
			languages: string[];
			profession: string;
			firstName: string;
		}) => {
			const [kase] = await db
				.insert(casesTable)
				.values({
					programmeId: programme.id,
					reference: `GERS-2026-${String(++sequence).padStart(4, '0')}`,
					source: 'phone',
					stage,
					installedCommuneCode: commune,
					wishedCommuneCodes: wished
				})
				.returning();
			await db.insert(personsTable).values({
				programmeId: programme.id,
				caseId: kase.id,
				householdRole: 'candidate',
				firstName,
				lastName: 'Test',
				email: `${firstName.toLowerCase()}@example.org`,
				profession,
				languages
			});
			return kase;
		};
		/** An installed member who volunteers as an ambassador. */
		const ambassador = async (
			options: { firstName: string; commune: string; languages: string[]; profession: string },
			availability = 'Le mercredi'
		) => {
			const kase = await household({ stage: 'installed', ...options });
			const { user, profile } = await inviteMember(
				{ actor: actors.advisor, input: { caseId: kase.id } },
				{ db, config }
			);
			const actor = toActor(user);
			await updateOwnAmbassadorOffer(
				{
					actor,
					input: { isAmbassador: 'on', ambassadorAvailability: availability, ambassadorLanguages: 'nl' }
				},
				{ db }
			);
			return { actor, profile, kase };
		};
		return { db, actors, household, ambassador };
	};

	test('suggestions rank the Dutch-speaking translator nearby first, with the reasons', async () => {
		const { db, actors, household, ambassador } = await setup();
		const bram = await ambassador({
			firstName: 'Bram',
			commune: '32132',
			languages: ['nl', 'fr'],
			profession: 'Traducteur'
		});
		const yves = await ambassador(
			{ firstName: 'Yves', commune: '32013', languages: ['fr'], profession: 'Menuisier' },
			''
		);
		await updateOwnAmbassadorOffer(
			{ actor: yves.actor, input: { isAmbassador: 'on', ambassadorLanguages: '' } },
			{ db }
		);
		const newcomer = await household({
			stage: 'qualified',
			wished: ['32208'],
			languages: ['nl'],
			profession: 'Translator',
			firstName: 'Femke'
		});
		const { ambassadors } = await suggestAmbassadors({ actor: actors.advisor, caseId: newcomer.id }, { db });
		expect(ambassadors.map((a) => a.profileId)).toEqual([bram.profile.id, yves.profile.id]);
		expect(ambassadors[0].reasons.map((r) => r.code)).toEqual(['language', 'trade', 'distance', 'available']);
		// An ambassador is never suggested for their own household.
		const own = await suggestAmbassadors({ actor: actors.advisor, caseId: bram.kase.id }, { db });
		expect(own.ambassadors.map((a) => a.profileId)).not.toContain(bram.profile.id);
	});

	test('a pairing is written on the case timeline and shows in the ambassador space; ending it too', async () => {
		const { db, actors, household, ambassador } = await setup();
		const bram = await ambassador({
			firstName: 'Bram',
			commune: '32132',
			languages: ['nl', 'fr'],
			profession: 'Traducteur'
		});
		const newcomer = await household({
			stage: 'qualified',
			wished: ['32208'],
			languages: ['nl'],
			profession: 'Designer',
			firstName: 'Femke'
		});
		const { pairing } = await pairAmbassador(
			{
				actor: actors.advisor,
				input: { caseId: newcomer.id, ambassadorProfileId: bram.profile.id, note: 'Café à Lectoure' }
			},
			{ db }
		);
		expect(pairing).toMatchObject({
			status: 'active',
			caseId: newcomer.id,
			createdBy: actors.advisor.userId
		});
		await expectDomainError(
			pairAmbassador(
				{ actor: actors.advisor, input: { caseId: newcomer.id, ambassadorProfileId: bram.profile.id } },
				{ db }
			),
			'ambassador.already_paired'
		);
		const timeline = () =>
			db.select().from(caseActivitiesTable).where(eq(caseActivitiesTable.caseId, newcomer.id));
		expect(await timeline()).toMatchObject([
			{ kind: 'ambassador', body: 'Café à Lectoure', data: { pairingId: pairing.id } }
		]);
		const own = await listOwnPairings({ actor: bram.actor }, { db });
		expect(own.pairings).toMatchObject([{ id: pairing.id, status: 'active', newcomerFirstName: 'Femke' }]);
		expect(
			(await listPairingsOfCase({ actor: actors.advisor, caseId: newcomer.id }, { db })).pairings
		).toMatchObject([{ ambassadorName: bram.profile.displayName, ambassadorCommuneName: 'Fleurance' }]);

		await endPairing(
			{ actor: actors.advisor, input: { pairingId: pairing.id, note: 'Bien installés' } },
			{ db }
		);
		expect((await timeline()).map((a) => a.data.status)).toEqual(['active', 'ended']);
		expect((await listOwnPairings({ actor: bram.actor }, { db })).pairings[0]).toMatchObject({
			status: 'ended',
			endedReason: 'Bien installés'
		});
		await expectDomainError(
			endPairing({ actor: actors.advisor, input: { pairingId: pairing.id } }, { db }),
			'ambassador.pairing_ended'
		);
	});

	test('a proposed pairing is confirmed once, then active on both timelines', async () => {
		const { db, actors, household, ambassador } = await setup();
		const bram = await ambassador({
			firstName: 'Bram',
			commune: '32132',
			languages: ['nl'],
			profession: 'Traducteur'
		});
		const newcomer = await household({
			stage: 'qualified',
			languages: ['nl'],
			profession: 'Designer',
			firstName: 'Femke'
		});
		const { pairing } = await pairAmbassador(
			{
				actor: actors.advisor,
				input: { caseId: newcomer.id, ambassadorProfileId: bram.profile.id, status: 'proposed' }
			},
			{ db }
		);
		expect((await listOwnPairings({ actor: bram.actor }, { db })).pairings[0].status).toBe('proposed');
		await expectDomainError(
			activatePairing({ actor: bram.actor, input: { pairingId: pairing.id } }, { db }),
			'ambassador.forbidden'
		);
		await activatePairing({ actor: actors.advisor, input: { pairingId: pairing.id } }, { db });
		expect((await listOwnPairings({ actor: bram.actor }, { db })).pairings[0].status).toBe('active');
		await expectDomainError(
			activatePairing({ actor: actors.advisor, input: { pairingId: pairing.id } }, { db }),
			'ambassador.not_proposed'
		);
		const activities = await db
			.select()
			.from(caseActivitiesTable)
			.where(eq(caseActivitiesTable.caseId, newcomer.id));
		expect(activities.map((a) => a.data.status)).toEqual(['proposed', 'active']);
	});

	test('only staff of the programme pair; members who do not volunteer cannot be paired', async () => {
		const { db, actors, household, ambassador } = await setup();
		const bram = await ambassador({
			firstName: 'Bram',
			commune: '32132',
			languages: ['nl'],
			profession: 'Traducteur'
		});
		const newcomer = await household({
			stage: 'contact',
			languages: ['nl'],
			profession: 'Designer',
			firstName: 'Femke'
		});
		const input = { caseId: newcomer.id, ambassadorProfileId: bram.profile.id };
		await expectDomainError(
			pairAmbassador({ actor: actors.committee, input }, { db }),
			'ambassador.forbidden'
		);
		await expectDomainError(pairAmbassador({ actor: bram.actor, input }, { db }), 'ambassador.forbidden');
		await expectDomainError(
			suggestAmbassadors({ actor: bram.actor, caseId: newcomer.id }, { db }),
			'ambassador.forbidden'
		);
		await expectDomainError(pairAmbassador({ actor: actors.otherAdvisor, input }, { db }), 'case.not_found');
		await expectDomainError(listOwnPairings({ actor: actors.advisor }, { db }), 'member.forbidden');
		await updateOwnAmbassadorOffer({ actor: bram.actor, input: { isAmbassador: '' } }, { db });
		await expectDomainError(pairAmbassador({ actor: actors.advisor, input }, { db }), 'ambassador.not_found');
	});
});
