import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { offersTable } from '../../db/schema/index.ts';
import { expectIssues } from '../../testing/expectations.ts';
import { setTargetVillages } from './case-committee.service.ts';
import { addActivity, getTimeline, listCases } from './case.service.ts';
import {
	application,
	applyOn,
	auditOf,
	committeeMails,
	householdApplication,
	setupCommitteeProgrammes
} from './case.test-utils.ts';

const config = parseConfig({ NODE_ENV: 'test' });

describeEachDb('case committees: target villages, notifications and proposals', (ctx) => {
	const setup = () => setupCommitteeProgrammes(ctx.db);
	const apply = applyOn(ctx, householdApplication);

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
});
