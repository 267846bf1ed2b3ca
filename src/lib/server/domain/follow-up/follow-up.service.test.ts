import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	eventRegistrationsTable,
	mailMessagesTable,
	personsTable,
	surveyAnswersTable,
	surveyInvitationsTable,
	type Role
} from '../../db/schema/index.ts';

import { runDueJobs } from '../../jobs/scheduler.ts';
import { SCHEDULED_JOBS } from '../../jobs/registry.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../mail/mail.test-utils.ts';
import { createMailTransport } from '../../mail/mail.transport.ts';
import { ValidationError } from '../../validation.ts';
import { toActor } from '../account/account.service.ts';
import { resumeProgramme, suspendProgramme } from '../programme/programme-instance.service.ts';
import { recordAttendance } from '../event-registration/event-registration.service.ts';
import { deliverDueMail } from '../mail/mail.service.ts';

import {
	confirmDeparture,
	dismissDeparture,
	getCaseFollowUp,
	getFollowUpOverview,
	getQuestionnaire,
	getSurvey,
	listHouseholdsToCall,
	recordSignOfLife,
	saveFollowUpSettings,
	saveQuestionnaire,
	sendFollowUpWaves,
	submitSurvey
} from './follow-up.service.ts';
import { errorOf, expectDomainError } from '../../testing/expectations.ts';
import {
	createTestProgramme,
	insertTestUsers,
	insertTestCommunes,
	createTestEvent
} from '../../testing/factories.ts';

let smtp: TestSmtpServer;
beforeAll(async () => {
	smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

const NOW = new Date('2026-11-26T09:00:00Z');
const DAY = 86_400_000;
const later = (days: number) => new Date(NOW.getTime() + days * DAY);
const config = parseConfig({ NODE_ENV: 'test', ORIGIN: 'https://soho.example' });

/** The answers a household gives when all goes well. */
const goodAnswers = {
	living_here: 'yes',
	business_active: 'yes',
	revenue_band: '20k_50k',
	jobs_created: '2',
	satisfaction: '4',
	intention_to_stay: 'yes',
	would_move_without_programme: 'no'
};

describeEachDb('follow-up waves', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		const other = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		await insertTestCommunes(db, [{ code: '32435', name: 'Simorre', departementCode: '32' }]);
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
			committee: await user('committee', 'maire@gers.example'),
			partner: await user('partner', 'partner@gers.example'),
			member: await user('member', 'member@gers.example'),
			candidate: await user('candidate', 'candidate@gers.example'),
			otherAdvisor: await user('advisor', 'advisor@lot.example', other.id)
		};
		let n = 0;
		const household = async ({
			installedOn,
			email,
			stage = 'installed',
			programmeId = programme.id,
			candidateUserId = null,
			leftOn = null
		}: {
			installedOn: string | null;
			email: string | null;
			stage?: string;
			programmeId?: string;
			candidateUserId?: string | null;
			leftOn?: string | null;
		}) => {
			n++;
			const [kase] = await db
				.insert(casesTable)
				.values({
					programmeId,
					reference: `GERS-2025-${String(n).padStart(4, '0')}`,
					source: 'phone',
					stage,
					installedOn,
					installedCommuneCode: installedOn ? '32435' : null,
					leftOn,
					leftReason: leftOn ? 'Mutation' : null,
					candidateUserId
				})
				.returning();
			await db.insert(personsTable).values({
				programmeId,
				caseId: kase.id,
				householdRole: 'candidate',
				firstName: `Prénom${n}`,
				lastName: `Nom${n}`,
				email
			});
			return kase;
		};
		return { db, programme, other, actors, household };
	};

	const invitationOf = async (db: Db, caseId: string) => {
		const [row] = await db
			.select()
			.from(surveyInvitationsTable)
			.where(eq(surveyInvitationsTable.caseId, caseId));
		return row;
	};

	test('a scheduled run invites households installed 12 months ago, one email each through SMTP, and never twice', async () => {
		const { db, programme, household, actors } = await setup();
		const english = await insertTestUsers(db, {
			name: 'Sam',
			email: 'sam@example.org',
			role: 'candidate',
			programmeId: programme.id,
			locale: 'en'
		});
		const due = await household({ installedOn: '2025-11-20', email: 'garnier@example.org' });
		const dueEnglish = await household({
			installedOn: '2025-11-03',
			email: 'sam@example.org',
			candidateUserId: english[0].id
		});
		const tooOld = await household({ installedOn: '2025-08-01', email: 'ancien@example.org' });
		const veteran = await household({ installedOn: '2012-05-01', email: 'veteran@example.org' });
		const left = await household({
			installedOn: '2025-11-20',
			email: 'parti@example.org',
			stage: 'left_territory',
			leftOn: '2026-06-01'
		});
		await household({ installedOn: '2025-11-20', email: null });
		await household({ installedOn: null, email: 'lead@example.org', stage: 'contact' });

		const smtpConfig = parseConfig({ NODE_ENV: 'test', SMTP_URL: smtp.url, ORIGIN: 'https://soho.example' });
		smtp.messages.length = 0;
		const run = await runDueJobs(
			{ now: NOW, only: ['follow_up.send_waves'] },
			{ db, config: smtpConfig, jobs: SCHEDULED_JOBS }
		);
		expect(run).toEqual([{ job: 'follow_up.send_waves', period: '2026-11-26', status: 'done' }]);

		const invitations = await db.select().from(surveyInvitationsTable);
		expect(invitations.map((row) => [row.caseId, row.waveMonths]).sort()).toEqual(
			[
				[due.id, 12],
				[dueEnglish.id, 12]
			].sort()
		);
		for (const id of [tooOld.id, veteran.id, left.id]) expect(await invitationOf(db, id)).toBeUndefined();
		const invitation = await invitationOf(db, due.id);
		expect(invitation.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
		expect(invitation).toMatchObject({ dueOn: '2026-11-20', questionnaireVersion: 1, locale: 'fr' });
		expect(invitation.expiresAt.getTime()).toBe(NOW.getTime() + 60 * DAY);

		const transport = createMailTransport(smtpConfig)!;
		try {
			// Mail is queued with the real clock: delivered now, whatever day the test pretends it is.
			expect(await deliverDueMail({}, { db, transport })).toMatchObject({ sent: 2, failed: 0 });
		} finally {
			transport.close();
		}
		const received = await smtp.waitFor(2);
		expect(received).toHaveLength(2);
		const toGarnier = received.find((mail) => mail.to.includes('garnier@example.org'))!;
		expect(toGarnier.to).toEqual(['garnier@example.org']);
		expect(toGarnier.subject).toContain('12 mois');
		expect(toGarnier.text).toContain(`https://soho.example/survey/${invitation.token}`);
		const toSam = received.find((mail) => mail.to.includes('sam@example.org'))!;
		expect(toSam.subject).toContain('12 months');

		// Next day: nothing new for these households.
		expect(await sendFollowUpWaves({ now: later(1) }, { db, config })).toEqual({ invited: 0, reminded: 0 });
		expect(await db.select().from(surveyInvitationsTable)).toHaveLength(2);

		// The overview counts them.
		const { waves } = await getFollowUpOverview({ actor: actors.advisor }, { db, now: NOW });
		expect(waves.find((wave) => wave.waveMonths === 12)).toMatchObject({
			sent: 2,
			answered: 0,
			responseRate: 0
		});
		smtp.messages.length = 0;
	});

	test('unanswered invitations are reminded once after 7 days and once after 14 days', async () => {
		const { db, household } = await setup();
		const kase = await household({ installedOn: '2025-11-20', email: 'garnier@example.org' });
		const other = await household({ installedOn: '2025-11-21', email: 'answers@example.org' });
		await sendFollowUpWaves({ now: NOW }, { db, config });
		await submitSurvey(
			{ token: (await invitationOf(db, other.id)).token, answers: goodAnswers },
			{ db, now: later(2) }
		);

		expect((await sendFollowUpWaves({ now: later(6) }, { db, config })).reminded).toBe(0);
		expect((await sendFollowUpWaves({ now: later(7) }, { db, config })).reminded).toBe(1);
		expect((await sendFollowUpWaves({ now: later(8) }, { db, config })).reminded).toBe(0);
		expect((await sendFollowUpWaves({ now: later(14) }, { db, config })).reminded).toBe(1);
		expect((await sendFollowUpWaves({ now: later(20) }, { db, config })).reminded).toBe(0);
		const invitation = await invitationOf(db, kase.id);
		expect(invitation.reminded7At).toEqual(later(7));
		expect(invitation.reminded14At).toEqual(later(14));
		const mails = await db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.kind, 'follow_up.reminder'));
		expect(mails.map((mail) => mail.toAddress)).toEqual(['garnier@example.org', 'garnier@example.org']);
		expect(mails[0].textBody).toContain(`/survey/${invitation.token}`);
	});

	test('a suspended programme sends no survey wave nor reminder; once resumed it catches up', async () => {
		const { db, programme, household } = await setup();
		const kase = await household({ installedOn: '2025-11-20', email: 'garnier@example.org' });
		await suspendProgramme(
			{ by: 'operator', input: { programme: programme.id, reason: 'Convention échue' } },
			{ db }
		);
		expect(await sendFollowUpWaves({ now: NOW }, { db, config })).toEqual({ invited: 0, reminded: 0 });
		expect(await invitationOf(db, kase.id)).toBeUndefined();
		await resumeProgramme({ by: 'operator', input: { programme: programme.id } }, { db });
		expect(await sendFollowUpWaves({ now: NOW }, { db, config })).toEqual({ invited: 1, reminded: 0 });
		// Suspended again: the reminder due after 7 days waits for the next resume.
		await suspendProgramme(
			{ by: 'operator', input: { programme: programme.id, reason: 'Convention échue' } },
			{ db }
		);
		expect((await sendFollowUpWaves({ now: later(7) }, { db, config })).reminded).toBe(0);
		await resumeProgramme({ by: 'operator', input: { programme: programme.id } }, { db });
		expect((await sendFollowUpWaves({ now: later(8) }, { db, config })).reminded).toBe(1);
	});

	test('one address may send SOHO_LIMIT_SURVEYS_PER_HOUR survey answers an hour, forged links included', async () => {
		const { db, household } = await setup();
		const kase = await household({ installedOn: '2025-11-20', email: 'garnier@example.org' });
		await sendFollowUpWaves({ now: NOW }, { db, config });
		const { token } = await invitationOf(db, kase.id);
		const limited = { ...config, limitSurveysPerHour: 3 };
		for (let i = 0; i < 3; i++) {
			await expectDomainError(
				submitSurvey(
					{ token: `forged-token-${i}`.padEnd(32, 'x'), answers: goodAnswers, clientAddress: '203.0.113.80' },
					{ db, config: limited, now: later(1) }
				),
				'follow_up.survey_not_found'
			);
		}
		await expectDomainError(
			submitSurvey(
				{ token, answers: goodAnswers, clientAddress: '203.0.113.80' },
				{ db, config: limited, now: later(1) }
			),
			'rate_limit.exceeded'
		);
		expect(await db.select().from(surveyAnswersTable)).toHaveLength(0);
		// The household at home is not affected.
		await submitSurvey(
			{ token, answers: goodAnswers, clientAddress: '192.0.2.44' },
			{ db, config: limited, now: later(1) }
		);
		expect(await db.select().from(surveyAnswersTable)).toHaveLength(1);
	});

	test('an answer through the link is stored with its version and the last sign of life; a second one is refused', async () => {
		const { db, household, actors } = await setup();
		const kase = await household({ installedOn: '2025-11-20', email: 'garnier@example.org' });
		await sendFollowUpWaves({ now: NOW }, { db, config });
		const { token } = await invitationOf(db, kase.id);

		const survey = await getSurvey({ token }, { db, now: later(1) });
		expect(survey).toMatchObject({
			state: 'open',
			waveMonths: 12,
			questionnaireVersion: 1,
			programmeName: 'Gers'
		});
		// The attribution question is asked again at 12 months.
		expect(survey.questions.map((q) => q.key)).toContain('would_move_without_programme');

		const { answer, departure } = await submitSurvey(
			{ token, answers: { ...goodAnswers, moved_to: 'ignored when living here' } },
			{ db, now: later(1) }
		);
		expect(departure).toBeNull();
		expect(answer).toMatchObject({ caseId: kase.id, waveMonths: 12, questionnaireVersion: 1 });
		expect(answer.answers).toMatchObject({
			living_here: 'yes',
			moved_to: null,
			jobs_created: 2,
			satisfaction: 4,
			would_move_without_programme: 'no',
			children_schooling: null
		});
		const [row] = await db.select().from(casesTable).where(eq(casesTable.id, kase.id));
		expect(row.lastSignOfLifeAt).toEqual(later(1));
		expect(row.stage).toBe('installed');

		// Already answered: a clear state, no form, and nothing overwritten.
		expect(await getSurvey({ token }, { db, now: later(2) })).toMatchObject({
			state: 'answered',
			questions: []
		});
		await expectDomainError(
			submitSurvey({ token, answers: { ...goodAnswers, satisfaction: '1' } }, { db, now: later(2) }),
			'follow_up.already_answered'
		);
		const answers = await db.select().from(surveyAnswersTable);
		expect(answers).toHaveLength(1);
		expect(answers[0].answers.satisfaction).toBe(4);

		// The advisor sees it on the case.
		const followUp = await getCaseFollowUp({ actor: actors.advisor, caseId: kase.id }, { db });
		expect(followUp.lastSignOfLifeAt).toEqual(later(1));
		expect(followUp.waves[0]).toMatchObject({ waveMonths: 12, questionnaireVersion: 1 });
		expect(followUp.waves[0].answers.find((a) => a.question.key === 'satisfaction')?.value).toBe(4);
		const overview = await getFollowUpOverview({ actor: actors.admin }, { db, now: later(2) });
		expect(overview.waves.find((wave) => wave.waveMonths === 12)).toMatchObject({
			sent: 1,
			answered: 1,
			responseRate: 1
		});
	});

	test('invalid answers are refused field by field and nothing is stored', async () => {
		const { db, household } = await setup();
		const kase = await household({ installedOn: '2025-11-20', email: 'garnier@example.org' });
		await sendFollowUpWaves({ now: NOW }, { db, config });
		const { token } = await invitationOf(db, kase.id);
		const error = await errorOf(
			submitSurvey(
				{
					token,
					answers: { living_here: 'maybe', jobs_created: '-3', satisfaction: '9', revenue_band: 'lots' }
				},
				{ db, now: later(1) }
			)
		);
		expect(error).toBeInstanceOf(ValidationError);
		expect((error as ValidationError).issues).toEqual(
			expect.arrayContaining([
				{ field: 'living_here', code: 'follow_up.invalid_answer' },
				{ field: 'jobs_created', code: 'follow_up.invalid_number' },
				{ field: 'satisfaction', code: 'follow_up.invalid_scale' },
				{ field: 'revenue_band', code: 'follow_up.invalid_answer' },
				{ field: 'would_move_without_programme', code: 'follow_up.answer_required' }
			])
		);
		expect(await db.select().from(surveyAnswersTable)).toHaveLength(0);
		expect((await invitationOf(db, kase.id)).answeredAt).toBeNull();
	});

	test('expired and forged links show a clear state and store nothing', async () => {
		const { db, household } = await setup();
		const kase = await household({ installedOn: '2025-11-20', email: 'garnier@example.org' });
		await sendFollowUpWaves({ now: NOW }, { db, config });
		const { token } = await invitationOf(db, kase.id);
		expect((await getSurvey({ token }, { db, now: later(60) })).state).toBe('expired');
		await expectDomainError(
			submitSurvey({ token, answers: goodAnswers }, { db, now: later(61) }),
			'follow_up.expired'
		);
		await expectDomainError(getSurvey({ token: 'A'.repeat(32) }, { db }), 'follow_up.survey_not_found');
		await expectDomainError(getSurvey({ token: "x' or 1=1" }, { db }), 'follow_up.survey_not_found');
		await expectDomainError(
			submitSurvey(
				{ token: `${token.slice(0, 31)}${token[31] === 'a' ? 'b' : 'a'}`, answers: goodAnswers },
				{ db }
			),
			'follow_up.survey_not_found'
		);
		expect(await db.select().from(surveyAnswersTable)).toHaveLength(0);
	});

	test('a "no longer living here" answer is confirmed by an advisor: the case leaves the territory with date and reason', async () => {
		const { db, household, actors } = await setup();
		const kase = await household({ installedOn: '2025-11-20', email: 'garnier@example.org' });
		const second = await household({ installedOn: '2025-11-19', email: 'oops@example.org' });
		await sendFollowUpWaves({ now: NOW }, { db, config });
		const { departure } = await submitSurvey(
			{
				token: (await invitationOf(db, kase.id)).token,
				answers: {
					living_here: 'no',
					moved_to: 'Bordeaux',
					moved_why: 'Emploi du conjoint',
					satisfaction: '3',
					would_move_without_programme: 'unsure'
				}
			},
			{ db, now: later(3) }
		);
		expect(departure).toMatchObject({ status: 'pending', reportedOn: '2026-11-29', movedTo: 'Bordeaux' });
		// Not yet: the case waits for an advisor.
		expect((await db.select().from(casesTable).where(eq(casesTable.id, kase.id)))[0].stage).toBe('installed');
		const overview = await getFollowUpOverview({ actor: actors.advisor }, { db, now: later(3) });
		expect(overview.departures.map((d) => d.caseReference)).toEqual([kase.reference]);
		expect(overview.waves.find((wave) => wave.waveMonths === 12)?.pendingDepartures).toBe(1);

		await expectDomainError(
			confirmDeparture({ actor: actors.otherAdvisor, departureId: departure!.id }, { db }),
			'follow_up.departure_not_found'
		);
		await confirmDeparture({ actor: actors.advisor, departureId: departure!.id }, { db, now: later(4) });
		const [moved] = await db.select().from(casesTable).where(eq(casesTable.id, kase.id));
		expect(moved).toMatchObject({
			stage: 'left_territory',
			leftOn: '2026-11-29',
			leftReason: 'Emploi du conjoint → Bordeaux'
		});
		await expectDomainError(
			confirmDeparture({ actor: actors.advisor, departureId: departure!.id }, { db }),
			'follow_up.departure_not_found'
		);

		// A wrong click is dismissed: the case stays.
		const { departure: wrong } = await submitSurvey(
			{
				token: (await invitationOf(db, second.id)).token,
				answers: { ...goodAnswers, living_here: 'no' }
			},
			{ db, now: later(3) }
		);
		await dismissDeparture({ actor: actors.admin, departureId: wrong!.id }, { db });
		expect((await db.select().from(casesTable).where(eq(casesTable.id, second.id)))[0].stage).toBe(
			'installed'
		);
		expect((await getFollowUpOverview({ actor: actors.advisor }, { db })).departures).toHaveLength(0);
	});

	test('event attendance records a sign of life for the household whose candidate came', async () => {
		const { db, programme, household, actors } = await setup();
		const kase = await household({ installedOn: '2024-03-01', email: 'garnier@example.org' });
		const absent = await household({ installedOn: '2024-03-01', email: 'absent@example.org' });
		const event = await createTestEvent(db, {
			programmeId: programme.id,
			startsAt: new Date('2026-11-20T08:30:00Z'),
			endsAt: new Date('2026-11-20T11:00:00Z')
		});
		const registrations = await db
			.insert(eventRegistrationsTable)
			.values([
				{
					programmeId: programme.id,
					eventId: event.id,
					name: 'H G',
					email: 'garnier@example.org',
					token: 'a'.repeat(32)
				},
				{
					programmeId: programme.id,
					eventId: event.id,
					name: 'A',
					email: 'absent@example.org',
					token: 'b'.repeat(32)
				}
			])
			.returning();
		await recordAttendance(
			{ actor: actors.advisor, eventId: event.id, attendedIds: [registrations[0].id] },
			{ db, now: NOW }
		);
		const rows = await db.select().from(casesTable);
		expect(rows.find((row) => row.id === kase.id)?.lastSignOfLifeAt).toEqual(event.startsAt);
		expect(rows.find((row) => row.id === absent.id)?.lastSignOfLifeAt).toBeNull();
	});

	test('households silent longer than the threshold are listed to call, oldest silence first', async () => {
		const { db, programme, household, actors } = await setup();
		const silent = await household({ installedOn: '2020-01-15', email: 'a@example.org' });
		const quietSince = await household({ installedOn: '2019-06-01', email: 'b@example.org' });
		const recent = await household({ installedOn: '2019-06-01', email: 'c@example.org' });
		const fresh = await household({ installedOn: '2026-03-01', email: 'd@example.org' });
		await household({
			installedOn: '2018-01-01',
			email: 'e@example.org',
			stage: 'left_territory',
			leftOn: '2020-01-01'
		});
		await recordSignOfLife(
			{
				programmeId: programme.id,
				caseId: quietSince.id,
				at: new Date('2024-05-01T10:00:00Z'),
				source: 'event'
			},
			{ db }
		);
		await recordSignOfLife(
			{
				programmeId: programme.id,
				caseId: recent.id,
				at: new Date('2026-10-01T10:00:00Z'),
				source: 'directory'
			},
			{ db }
		);
		// A sign of life never moves back.
		await recordSignOfLife(
			{ programmeId: programme.id, caseId: recent.id, at: new Date('2021-01-01T10:00:00Z'), source: 'event' },
			{ db }
		);

		const { households, total, silenceMonths } = await listHouseholdsToCall(
			{ actor: actors.advisor },
			{ db, now: NOW }
		);
		expect(silenceMonths).toBe(12);
		expect(total).toBe(2);
		expect(households.map((h) => [h.caseId, h.silentSince])).toEqual([
			[silent.id, '2020-01-15'],
			[quietSince.id, '2024-05-01']
		]);
		expect(households.some((h) => h.caseId === fresh.id || h.caseId === recent.id)).toBe(false);

		// The threshold is the programme's.
		await saveFollowUpSettings({ actor: actors.admin, waveMonths: [12, 36], silenceMonths: 60 }, { db });
		expect((await listHouseholdsToCall({ actor: actors.advisor }, { db, now: NOW })).households).toHaveLength(
			1
		);
	});

	test('only admins and advisors of the programme see the follow-up; only admins edit it', async () => {
		const { db, household, actors } = await setup();
		const kase = await household({ installedOn: '2025-11-20', email: 'garnier@example.org' });
		for (const actor of [actors.committee, actors.partner, actors.member, actors.candidate]) {
			await expectDomainError(getFollowUpOverview({ actor }, { db }), 'follow_up.forbidden');
			await expectDomainError(listHouseholdsToCall({ actor }, { db }), 'follow_up.forbidden');
			await expectDomainError(getCaseFollowUp({ actor, caseId: kase.id }, { db }), 'follow_up.forbidden');
			await expectDomainError(
				confirmDeparture({ actor, departureId: 'dep_x' }, { db }),
				'follow_up.forbidden'
			);
		}
		await expectDomainError(
			saveQuestionnaire({ actor: actors.advisor, questions: [] }, { db }),
			'follow_up.forbidden'
		);
		await expectDomainError(
			saveFollowUpSettings({ actor: actors.advisor, waveMonths: [12], silenceMonths: 6 }, { db }),
			'follow_up.forbidden'
		);
		await expectDomainError(
			getCaseFollowUp({ actor: actors.otherAdvisor, caseId: kase.id }, { db }),
			'follow_up.case_not_found'
		);
	});

	test('the questionnaire is edited as a new version; earlier answers keep theirs', async () => {
		const { db, household, actors } = await setup();
		const first = await household({ installedOn: '2025-11-20', email: 'first@example.org' });
		await sendFollowUpWaves({ now: NOW }, { db, config });
		const { version, questions } = await getQuestionnaire({ actor: actors.admin }, { db });
		expect(version).toBe(1);

		const invalid = await errorOf(
			saveQuestionnaire(
				{
					actor: actors.admin,
					questions: [
						{ type: 'choice', labelFr: '', labelEn: 'x', options: [{ labelFr: 'Seul', labelEn: '' }] }
					]
				},
				{ db }
			)
		);
		expect((invalid as ValidationError).issues).toEqual(
			expect.arrayContaining([
				{ field: 'questions.0.labelFr', code: 'follow_up.label_required' },
				{ field: 'questions.0.options', code: 'follow_up.options_required' }
			])
		);

		const edited = [
			...questions.filter((q) => q.key !== 'revenue_band'),
			{
				type: 'yes_no' as const,
				labelFr: 'Avez-vous un médecin traitant ?',
				labelEn: 'Do you have a GP?',
				required: true
			}
		];
		expect(
			await saveQuestionnaire({ actor: actors.admin, questions: edited }, { db, now: later(1) })
		).toEqual({
			version: 2
		});
		const saved = await getQuestionnaire({ actor: actors.advisor }, { db });
		expect(saved.version).toBe(2);
		const added = saved.questions.at(-1)!;
		expect(added.key).toBe('q_avez_vous_un_medecin_traitant');

		// The invitation sent before keeps version 1: its form still asks the revenue band.
		const firstToken = (await invitationOf(db, first.id)).token;
		const oldSurvey = await getSurvey({ token: firstToken }, { db, now: later(2) });
		expect(oldSurvey.questionnaireVersion).toBe(1);
		expect(oldSurvey.questions.map((q) => q.key)).toContain('revenue_band');
		await submitSurvey({ token: firstToken, answers: goodAnswers }, { db, now: later(2) });

		// A household invited afterwards gets version 2.
		const second = await household({ installedOn: '2025-11-25', email: 'second@example.org' });
		await sendFollowUpWaves({ now: later(2) }, { db, config });
		const newToken = (await invitationOf(db, second.id)).token;
		const newSurvey = await getSurvey({ token: newToken }, { db, now: later(2) });
		expect(newSurvey.questionnaireVersion).toBe(2);
		expect(newSurvey.questions.map((q) => q.key)).not.toContain('revenue_band');
		const missing = await errorOf(
			submitSurvey({ token: newToken, answers: goodAnswers }, { db, now: later(2) })
		);
		expect((missing as ValidationError).issues).toEqual([
			{ field: added.key, code: 'follow_up.answer_required' }
		]);
		await submitSurvey(
			{ token: newToken, answers: { ...goodAnswers, [added.key]: 'yes' } },
			{ db, now: later(2) }
		);

		const stored = await db.select().from(surveyAnswersTable);
		expect(stored.map((a) => [a.caseId, a.questionnaireVersion]).sort()).toEqual(
			[
				[first.id, 1],
				[second.id, 2]
			].sort()
		);
		expect(stored.find((a) => a.caseId === first.id)?.answers.revenue_band).toBe('20k_50k');
		const followUp = await getCaseFollowUp({ actor: actors.advisor, caseId: first.id }, { db });
		expect(followUp.waves[0].answers.map((a) => a.question.key)).toContain('revenue_band');
	});
});
