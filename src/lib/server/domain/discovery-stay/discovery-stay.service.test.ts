import { and, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { casesTable, mailMessagesTable, workspacesTable } from '../../db/schema/index.ts';
import { actorOfUserId, createTestOrganisation, createTestUser } from '../../testing/factories.ts';
import { expectDomainError, expectIssues } from '../../testing/expectations.ts';
import { getTimeline } from '../case/case.service.ts';
import { applyOn, householdApplication, setupCommitteeProgrammes } from '../case/case.test-utils.ts';
import { createTestProgramme } from '../../testing/factories.ts';
import {
	addMeeting,
	cancelStay,
	getStay,
	getStayConversion,
	listHostInvitations,
	listOwnStays,
	listStays,
	planStay,
	recordOutcome,
	removeMeeting,
	renderOwnStaysCalendar,
	respondToInvitation,
	updateStay
} from './discovery-stay.service.ts';

const config = parseConfig({ NODE_ENV: 'test' });
const now = new Date('2026-06-10T10:00:00Z');
const meeting = (hostUserId: string, overrides: Record<string, unknown> = {}) => ({
	startsAt: '2026-06-21T08:00:00Z',
	endsAt: '2026-06-21T09:30:00Z',
	place: 'Mairie de Samatan',
	topic: 'Rencontre avec le maire',
	hostKind: 'committee' as const,
	hostUserId,
	...overrides
});

describeEachDb('discovery stays: planning, hosts, the candidate, outcomes', (ctx) => {
	const apply = applyOn(ctx, householdApplication);

	/** The Gers programme with two households, each linked to its own candidate account, and a member. */
	async function setup() {
		const base = await setupCommitteeProgrammes(ctx.db);
		const { db, programme } = base;
		const { case: first } = await apply(programme.id);
		const { case: second } = await apply(
			programme.id,
			householdApplication({
				firstName: 'Youssef',
				lastName: 'Benali',
				email: 'youssef@example.org',
				phone: '06 98 76 54 32',
				birthYear: '1990',
				hasPartner: undefined,
				partnerFirstName: undefined,
				adultsCount: '1',
				children: []
			})
		);
		// Applying created each household's candidate account and linked it to the case.
		const candidate = { actor: await actorOfUserId(db, first.candidateUserId!) };
		const otherCandidate = {
			actor: await actorOfUserId(db, second.candidateUserId!)
		};
		const member = await createTestUser(db, {
			role: 'member',
			programmeId: programme.id,
			email: 'solo@example.org',
			name: 'Camille Solo'
		});
		return {
			...base,
			cases: { first, second },
			candidate: candidate.actor,
			otherCandidate: otherCandidate.actor,
			member: member.actor
		};
	}

	const hostMails = (db: typeof ctx.db, to: string) =>
		db
			.select()
			.from(mailMessagesTable)
			.where(and(eq(mailMessagesTable.toAddress, to)));

	test('an advisor plans a stay with a mayor as host: the mayor is invited, sees only what they need, and confirms', async () => {
		const { db, actors, cases, villages, candidate, otherCandidate } = await setup();
		const { stay } = await planStay(
			{
				actor: actors.advisor,
				input: {
					kind: 'stay',
					title: 'Découverte de Samatan',
					startsOn: '2026-06-20',
					endsOn: '2026-06-22',
					lodging: 'Gîte communal',
					caseIds: [cases.first.id],
					meetings: [meeting(actors.samatanMayor.userId, { villageId: villages.samatan.id })]
				}
			},
			{ db, config, now }
		);
		const invitation = (await hostMails(db, 'maire@samatan.example')).filter(
			(m) => m.kind === 'discovery_stay.host_invited'
		);
		expect(invitation).toHaveLength(1);
		expect(invitation[0].subject).toContain('Invitation : recevoir un foyer le dimanche 21 juin 2026');
		expect(invitation[0].textBody).toContain('Hélène (foyer de 3)');
		expect(invitation[0].textBody).toContain('Mairie de Samatan');
		expect(invitation[0].textBody).toContain('10:00');
		// The case file stays out of the mail: no surname, no reference, no email.
		expect(invitation[0].textBody).not.toContain('Garnier');
		expect(invitation[0].textBody).not.toContain(cases.first.reference);
		expect(invitation[0].textBody).not.toContain('helene.garnier@example.org');

		// The mayor sees the meeting with the household's first name and size only.
		const { invitations } = await listHostInvitations({ actor: actors.samatanMayor }, { db });
		expect(invitations).toHaveLength(1);
		expect(invitations[0]).toMatchObject({
			place: 'Mairie de Samatan',
			response: 'invited',
			households: [{ firstName: 'Hélène', size: 3 }]
		});
		expect(JSON.stringify(invitations)).not.toContain(cases.first.id);
		// Another committee member (another village, or the same village's volunteer) sees nothing, cannot answer.
		expect((await listHostInvitations({ actor: actors.committee }, { db })).invitations).toEqual([]);
		for (const intruder of [actors.committee, actors.samatanVolunteer, candidate])
			await expectDomainError(
				respondToInvitation(
					{ actor: intruder, meetingId: invitations[0].meetingId, response: 'confirmed' },
					{ db, now }
				),
				'discovery_stay.meeting_not_found'
			);
		await respondToInvitation(
			{ actor: actors.samatanMayor, meetingId: invitations[0].meetingId, response: 'confirmed' },
			{ db, now }
		);

		// The candidate sees their stay and the confirmation; the other household sees nothing.
		const own = await listOwnStays({ actor: candidate }, { db, now });
		expect(own.stays).toHaveLength(1);
		expect(own.stays[0].stay.id).toBe(stay.id);
		expect(own.stays[0].meetings.map((m) => [m.place, m.response, m.hostName])).toEqual([
			['Mairie de Samatan', 'confirmed', 'maire']
		]);
		expect((await listOwnStays({ actor: otherCandidate }, { db, now })).stays).toEqual([]);
		const { ics } = await renderOwnStaysCalendar({ actor: otherCandidate }, { db, now, domain: 'soho.test' });
		expect(ics).not.toContain('VEVENT');

		// The advisor's timeline tells the story.
		const timeline = await getTimeline({ actor: actors.advisor, caseId: cases.first.id }, { db });
		expect(timeline.activities.filter((a) => a.kind === 'visit').map((a) => a.summary)).toEqual([
			'Séjour de découverte planifié : Découverte de Samatan (du 2026-06-20 au 2026-06-22)',
			'maire confirme la rencontre (Mairie de Samatan) — Découverte de Samatan'
		]);
	});

	test('the candidate downloads an ICS with the stay and each meeting, times in UTC', async () => {
		const { db, actors, cases, candidate, member } = await setup();
		const { stay } = await planStay(
			{
				actor: actors.advisor,
				input: {
					kind: 'stay',
					title: 'Découverte, Simorre; Samatan',
					startsOn: '2026-06-20',
					endsOn: '2026-06-22',
					lodging: 'Gîte communal',
					caseIds: [cases.first.id],
					meetings: [
						meeting(actors.samatanMayor.userId),
						meeting(member.userId, {
							hostKind: 'member',
							startsAt: '2026-06-22T12:00:00Z',
							endsAt: '2026-06-22T13:00:00Z',
							place: 'Café de Simorre',
							topic: null
						})
					]
				}
			},
			{ db, config, now }
		);
		const { ics } = await renderOwnStaysCalendar({ actor: candidate }, { db, now, domain: 'soho.test' });
		const lines = ics.split('\r\n');
		expect(lines[0]).toBe('BEGIN:VCALENDAR');
		expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(3);
		expect(lines).toContain(`UID:${stay.id}@soho.test`);
		// The stay spans its days in Paris time: midnight on the 20th to midnight after the 22nd.
		expect(lines).toContain('DTSTART:20260619T220000Z');
		expect(lines).toContain('DTEND:20260622T220000Z');
		expect(lines).toContain('SUMMARY:Découverte\\, Simorre\\; Samatan');
		expect(lines).toContain('DESCRIPTION:Hébergement: Gîte communal');
		expect(lines).toContain('DTSTART:20260621T080000Z');
		expect(lines).toContain('LOCATION:Mairie de Samatan');
		expect(lines).toContain('SUMMARY:Camille Solo');
		expect(lines).toContain('SEQUENCE:0');
		expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);

		// Cancelling grows the sequence and marks every event cancelled; the hosts are told.
		await cancelStay({ actor: actors.advisor, stayId: stay.id }, { db, config, now });
		const after = (await renderOwnStaysCalendar({ actor: candidate }, { db, now, domain: 'soho.test' })).ics;
		expect(after.split('\r\n').filter((l) => l === 'STATUS:CANCELLED')).toHaveLength(3);
		expect(after).toContain('SEQUENCE:1');
		expect((await hostMails(db, 'solo@example.org')).map((m) => m.kind)).toEqual([
			'discovery_stay.host_invited',
			'discovery_stay.host_cancelled'
		]);
	});

	test('bad input names the field: end before start, a meeting outside the stay, a host of another programme', async () => {
		const { db, actors, cases, other } = await setup();
		const lotAdvisorHost = await createTestUser(db, {
			role: 'committee',
			programmeId: other.id,
			email: 'maire@cahors.example'
		});
		const base = {
			kind: 'stay' as const,
			title: 'Séjour',
			startsOn: '2026-06-20',
			endsOn: '2026-06-22',
			caseIds: [cases.first.id]
		};
		const plan = (input: Record<string, unknown>) =>
			planStay({ actor: actors.advisor, input: { ...base, ...input } as never }, { db, config, now });
		expect(await expectIssues(plan({ endsOn: '2026-06-19' }))).toEqual([
			{ field: 'endsOn', code: 'discovery_stay.ends_before_start' }
		]);
		expect(
			await expectIssues(
				plan({
					meetings: [
						meeting(actors.samatanMayor.userId, {
							startsAt: '2026-06-25T08:00:00Z',
							endsAt: '2026-06-25T09:00:00Z'
						})
					]
				})
			)
		).toEqual([{ field: 'meetings.0.startsAt', code: 'discovery_stay.meeting_outside_stay' }]);
		expect(
			await expectIssues(
				plan({ meetings: [meeting(actors.samatanMayor.userId, { endsAt: '2026-06-21T07:00:00Z' })] })
			)
		).toEqual([{ field: 'meetings.0.endsAt', code: 'discovery_stay.ends_before_start' }]);
		expect(await expectIssues(plan({ meetings: [meeting(lotAdvisorHost.user.id)] }))).toEqual([
			{ field: 'meetings.0.hostUserId', code: 'discovery_stay.unknown_host' }
		]);
		// A committee member named for a village they do not sit on.
		const { villages } = { villages: await setupVillages() };
		async function setupVillages() {
			return (await db.query.villagesTable.findMany()).filter((v) => v.slug === 'simorre');
		}
		expect(
			await expectIssues(
				plan({ meetings: [meeting(actors.samatanMayor.userId, { villageId: villages[0].id })] })
			)
		).toEqual([{ field: 'meetings.0.villageId', code: 'discovery_stay.not_on_committee' }]);
		expect(await expectIssues(plan({ caseIds: [cases.first.id, cases.second.id] }))).toEqual([
			{ field: 'caseIds', code: 'discovery_stay.one_household' }
		]);
		expect(
			await expectIssues(plan({ kind: 'welcome_session', caseIds: [cases.first.id, cases.second.id] }))
		).toEqual([{ field: 'endsOn', code: 'discovery_stay.session_one_day' }]);
		// Nothing was written.
		expect((await listStays({ actor: actors.advisor }, { db, now })).stays).toEqual([]);
		expect(await hostMails(db, 'maire@samatan.example')).toHaveLength(0);

		// On a planned stay: a meeting added outside its days, and dates that would leave a meeting out.
		const { stay } = await plan({ meetings: [meeting(actors.samatanMayor.userId)] });
		expect(
			await expectIssues(
				addMeeting(
					{
						actor: actors.advisor,
						stayId: stay.id,
						input: meeting(actors.samatanMayor.userId, {
							startsAt: '2026-06-19T08:00:00Z',
							endsAt: '2026-06-19T09:00:00Z'
						})
					},
					{ db, config, now }
				)
			)
		).toEqual([{ field: 'startsAt', code: 'discovery_stay.meeting_outside_stay' }]);
		expect(
			await expectIssues(
				updateStay(
					{
						actor: actors.advisor,
						stayId: stay.id,
						input: { title: 'Séjour', startsOn: '2026-06-22', endsOn: '2026-06-23' }
					},
					{ db, config, now }
				)
			)
		).toEqual([{ field: 'startsOn', code: 'discovery_stay.meetings_outside_dates' }]);
	});

	test('changes notify the hosts; a removed meeting is cancelled for its host', async () => {
		const { db, actors, cases, member } = await setup();
		const { stay } = await planStay(
			{
				actor: actors.advisor,
				input: {
					kind: 'stay',
					title: 'Séjour',
					startsOn: '2026-06-20',
					endsOn: '2026-06-22',
					caseIds: [cases.first.id],
					meetings: [meeting(actors.samatanMayor.userId)]
				}
			},
			{ db, config, now }
		);
		const { meetingId } = await addMeeting(
			{ actor: actors.advisor, stayId: stay.id, input: meeting(member.userId, { hostKind: 'member' }) },
			{ db, config, now }
		);
		await updateStay(
			{
				actor: actors.advisor,
				stayId: stay.id,
				input: { title: 'Séjour', startsOn: '2026-06-21', endsOn: '2026-06-23' }
			},
			{ db, config, now }
		);
		expect((await hostMails(db, 'maire@samatan.example')).map((m) => m.kind)).toEqual([
			'discovery_stay.host_invited',
			'discovery_stay.host_changed'
		]);
		await removeMeeting({ actor: actors.advisor, stayId: stay.id, meetingId }, { db, config, now });
		const memberMails = await hostMails(db, 'solo@example.org');
		expect(memberMails.map((m) => m.kind)).toEqual([
			'discovery_stay.host_invited',
			'discovery_stay.host_changed',
			'discovery_stay.host_cancelled'
		]);
		expect(memberMails[0].textBody).toContain('/member/stays');
		const summary = await getStay({ actor: actors.advisor, stayId: stay.id }, { db, now });
		expect(summary.meetings).toHaveLength(1);
		expect(summary.stay.sequence).toBe(3);
	});

	test('a workspace meeting is hosted by the partner of its operator; another partner is refused on the field', async () => {
		const { db, actors, cases, programme } = await setup();
		const operator = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Coopérative du Savès',
			kind: 'workspace_operator'
		});
		const bank = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Banque',
			kind: 'bank'
		});
		const [workspace] = await db
			.insert(workspacesTable)
			.values({
				programmeId: programme.id,
				organisationId: operator.id,
				communeCode: '32412',
				kind: 'coworking',
				name: 'La Grange',
				slug: 'la-grange'
			})
			.returning();
		const runner = await createTestUser(db, {
			role: 'partner',
			programmeId: programme.id,
			email: 'grange@example.org',
			organisationId: operator.id
		});
		const banker = await createTestUser(db, {
			role: 'partner',
			programmeId: programme.id,
			email: 'banque@example.org',
			organisationId: bank.id
		});
		const { stay } = await planStay(
			{
				actor: actors.advisor,
				input: {
					kind: 'welcome_session',
					title: 'Session d’accueil',
					startsOn: '2026-06-21',
					endsOn: '2026-06-21',
					caseIds: [cases.first.id, cases.second.id]
				}
			},
			{ db, config, now }
		);
		const workspaceMeeting = (hostUserId: string) =>
			meeting(hostUserId, { hostKind: 'workspace', workspaceId: workspace.id, place: 'La Grange' });
		expect(
			await expectIssues(
				addMeeting(
					{ actor: actors.advisor, stayId: stay.id, input: workspaceMeeting(banker.user.id) },
					{ db, config, now }
				)
			)
		).toEqual([{ field: 'hostUserId', code: 'discovery_stay.not_workspace_host' }]);
		// A committee member is no partner: refused as a host of this kind.
		expect(
			await expectIssues(
				addMeeting(
					{ actor: actors.advisor, stayId: stay.id, input: workspaceMeeting(actors.samatanMayor.userId) },
					{ db, config, now }
				)
			)
		).toEqual([{ field: 'hostUserId', code: 'discovery_stay.unknown_host' }]);
		await addMeeting(
			{ actor: actors.advisor, stayId: stay.id, input: workspaceMeeting(runner.user.id) },
			{ db, config, now }
		);
		// The operator's partner sees both households of the session, first names and sizes only.
		const { invitations } = await listHostInvitations({ actor: runner.actor }, { db });
		expect(invitations.map((i) => [i.stayKind, i.households])).toEqual([
			[
				'welcome_session',
				[
					{ firstName: 'Hélène', size: 3 },
					{ firstName: 'Youssef', size: 1 }
				]
			]
		]);
		expect((await listHostInvitations({ actor: banker.actor }, { db })).invitations).toEqual([]);
		const summary = await getStay({ actor: actors.advisor, stayId: stay.id }, { db, now });
		expect(summary.meetings.map((m) => [m.hostKind, m.workspaceName, m.organisationId])).toEqual([
			['workspace', 'La Grange', operator.id]
		]);
	});

	test('permissions: staff only plan, a candidate sees only their own, another programme nothing', async () => {
		const { db, actors, cases, candidate, otherCandidate, member } = await setup();
		const { stay } = await planStay(
			{
				actor: actors.advisor,
				input: {
					kind: 'stay',
					title: 'Séjour',
					startsOn: '2026-06-20',
					endsOn: '2026-06-22',
					caseIds: [cases.first.id]
				}
			},
			{ db, config, now }
		);
		for (const actor of [actors.committee, actors.samatanMayor, candidate, member])
			await expectDomainError(
				planStay(
					{
						actor,
						input: {
							kind: 'stay',
							title: 'X séjour',
							startsOn: '2026-06-20',
							endsOn: '2026-06-20',
							caseIds: [cases.first.id]
						}
					},
					{ db, config, now }
				),
				'discovery_stay.forbidden'
			);
		await expectDomainError(listStays({ actor: candidate }, { db, now }), 'discovery_stay.forbidden');
		// Another programme's advisor: the stay does not exist for them, and their list is empty.
		await expectDomainError(
			getStay({ actor: actors.otherAdvisor, stayId: stay.id }, { db, now }),
			'discovery_stay.not_found'
		);
		await expectDomainError(
			cancelStay({ actor: actors.otherAdvisor, stayId: stay.id }, { db, config, now }),
			'discovery_stay.not_found'
		);
		expect((await listStays({ actor: actors.otherAdvisor }, { db, now })).stays).toEqual([]);
		// A case of another programme cannot be put in a stay.
		const lot = await createTestProgramme(db, { slug: 'tarn', name: 'Tarn', departements: ['81'] });
		expect(lot.id).not.toBe(actors.advisor.programmeId);
		expect(
			await expectIssues(
				planStay(
					{
						actor: actors.otherAdvisor,
						input: {
							kind: 'stay',
							title: 'Séjour',
							startsOn: '2026-06-20',
							endsOn: '2026-06-20',
							caseIds: [cases.first.id]
						}
					},
					{ db, config, now }
				)
			)
		).toEqual([{ field: 'caseIds.0', code: 'discovery_stay.unknown_case' }]);
		// Candidates: only their own; the other household records no outcome on this stay.
		expect((await listOwnStays({ actor: candidate }, { db, now })).stays).toHaveLength(1);
		expect((await listOwnStays({ actor: otherCandidate }, { db, now })).stays).toHaveLength(0);
		const later = new Date('2026-06-23T10:00:00Z');
		const answer = { wentWell: true, stillInterested: true, nextStep: 'look_for_housing' as const };
		await expectDomainError(
			recordOutcome({ actor: otherCandidate, stayId: stay.id, input: answer }, { db, now: later }),
			'discovery_stay.not_found'
		);
		await expectDomainError(
			recordOutcome({ actor: member, stayId: stay.id, input: answer }, { db, now: later }),
			'discovery_stay.not_found'
		);
	});

	test('after the stay both the advisor and the household record the outcome on the timeline; the funnel counts it', async () => {
		const { db, actors, cases, candidate, programme } = await setup();
		const { stay } = await planStay(
			{
				actor: actors.advisor,
				input: {
					kind: 'stay',
					title: 'Séjour',
					startsOn: '2026-06-20',
					endsOn: '2026-06-22',
					caseIds: [cases.first.id]
				}
			},
			{ db, config, now }
		);
		const answer = {
			wentWell: true,
			stillInterested: true,
			villagesConsidered: ['Samatan', 'Simorre'],
			nextStep: 'look_for_housing' as const,
			comment: 'Très bon accueil'
		};
		await expectDomainError(
			recordOutcome({ actor: candidate, stayId: stay.id, input: answer }, { db, now }),
			'discovery_stay.not_finished'
		);
		const later = new Date('2026-06-23T10:00:00Z');
		await recordOutcome({ actor: candidate, stayId: stay.id, input: answer }, { db, now: later });
		await recordOutcome(
			{
				actor: actors.advisor,
				stayId: stay.id,
				caseId: cases.first.id,
				input: { ...answer, nextStep: 'second_visit' }
			},
			{ db, now: later }
		);
		expect(
			await expectIssues(
				recordOutcome(
					{ actor: actors.advisor, stayId: stay.id, caseId: cases.second.id, input: answer },
					{ db, now: later }
				)
			)
		).toEqual([{ field: 'caseId', code: 'discovery_stay.unknown_case' }]);
		const summary = await getStay({ actor: actors.advisor, stayId: stay.id }, { db, now: later });
		expect(summary.state).toBe('completed');
		expect(summary.outcomes.map((o) => [o.authorKind, o.nextStep])).toEqual([
			['advisor', 'second_visit'],
			['household', 'look_for_housing']
		]);
		const timeline = await getTimeline({ actor: actors.advisor, caseId: cases.first.id }, { db });
		expect(timeline.activities.map((a) => a.summary)).toContain(
			'Bilan du séjour par le foyer — Séjour : bien passé oui, toujours intéressé oui, suite : Chercher un logement'
		);

		// Funnel: one household after its stay, installed 40 days later.
		const viewer = {
			programmeId: programme.id,
			kind: 'staff' as const,
			userId: actors.advisor.userId,
			isAdmin: false
		};
		expect(await getStayConversion({ viewer, minCellSize: 5 }, { db, now: later })).toEqual({
			households: 1,
			installed: 0,
			rate: 0,
			medianDays: null
		});
		await db.update(casesTable).set({ installedOn: '2026-08-01' }).where(eq(casesTable.id, cases.first.id));
		expect(await getStayConversion({ viewer, minCellSize: 5 }, { db, now: later })).toEqual({
			households: 1,
			installed: 1,
			rate: 1,
			medianDays: 40
		});
		// A committee viewer gets the small counts hidden.
		const hidden = await getStayConversion(
			{ viewer: { ...viewer, kind: 'committee' }, minCellSize: 5 },
			{ db, now: later }
		);
		expect(Number.isNaN(hidden.households)).toBe(true);
		expect(Number.isNaN(hidden.medianDays)).toBe(true);
	});
});
