import { randomBytes } from 'node:crypto';
import { and, eq, isNotNull, lt } from 'drizzle-orm';
import { createRandom, type Random } from '../../../domain/random.ts';
import { generateId } from '../../db/columns.ts';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	departureReportsTable,
	eventsTable,
	personsTable,
	surveyAnswersTable,
	surveyInvitationsTable,
	surveyQuestionnairesTable,
	type SurveyAnswers
} from '../../db/schema/index.ts';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import {
	addMonths,
	ATTRIBUTION,
	ATTRIBUTION_WAVE,
	CATCH_UP_DAYS,
	DEFAULT_QUESTIONS,
	DEFAULT_WAVE_MONTHS,
	INVITATION_VALID_DAYS,
	isoDay,
	LIVING_HERE,
	MOVED_TO,
	MOVED_WHY,
	questionsForWave
} from './follow-up.rules.ts';
import { recordAttendanceSignsOfLife } from './follow-up.service.ts';

/** Fixed seed: every demo has the same follow-up history. */
export const FOLLOW_UP_DEMO_SEED = 32_2012;
const DAY_MS = 86_400_000;
/** Pending departures left for the advisors to confirm in the demo. */
const DEMO_PENDING_DEPARTURES = 2;
const MOVED_TO_PLACES = ['Toulouse', 'Bordeaux', 'Montpellier', 'Lyon', 'Nantes', 'Utrecht', 'Bruxelles'];

type DemoHousehold = {
	caseId: string;
	installedOn: string;
	leftOn: string | null;
	leftReason: string | null;
	email: string;
};

function demoAnswers(
	random: Random,
	waveMonths: number,
	departure: { reason: string } | null
): SurveyAnswers {
	const answers: SurveyAnswers = {};
	for (const question of questionsForWave(DEFAULT_QUESTIONS, waveMonths)) {
		if (question.showIf) answers[question.key] = null;
		else if (question.type === 'choice' && question.options) {
			answers[question.key] = random.chance(0.85) ? random.pick(question.options).value : null;
		} else if (question.type === 'number') answers[question.key] = random.int(0, 3);
		else if (question.type === 'scale')
			answers[question.key] = random.weighted([
				[5, 4],
				[4, 5],
				[3, 2],
				[2, 1]
			] as const);
		else if (question.type === 'yes_no') answers[question.key] = 'yes';
		else answers[question.key] = null;
	}
	if (waveMonths === ATTRIBUTION_WAVE) {
		answers[ATTRIBUTION] = random.weighted([
			['no', 5],
			['unsure', 3],
			['yes', 2]
		] as const);
	}
	if (departure) {
		answers[LIVING_HERE] = 'no';
		answers[MOVED_TO] = random.pick(MOVED_TO_PLACES);
		answers[MOVED_WHY] = departure.reason;
	}
	return answers;
}

/**
 * Generates the follow-up history of the demo's installed households: the waves due since their
 * installation (about 6 in 10 answered), confirmed departures for the households that left (the
 * wave after their departure said so), two departures still to confirm, open invitations for the
 * waves of the last weeks; households that never answer stay silent and show on the list to call.
 */
export async function seedFollowUpDemo(
	{ programmeId, now }: { programmeId: string; now: Date },
	{ db }: { db: Db }
): Promise<{ invitations: number; answers: number; departures: number }> {
	const random = createRandom(FOLLOW_UP_DEMO_SEED);
	const today = isoDay(now);
	const rows = await db
		.select({
			caseId: casesTable.id,
			installedOn: casesTable.installedOn,
			leftOn: casesTable.leftOn,
			leftReason: casesTable.leftReason,
			email: personsTable.email
		})
		.from(casesTable)
		.innerJoin(
			personsTable,
			and(eq(personsTable.caseId, casesTable.id), eq(personsTable.householdRole, 'candidate'))
		)
		.where(
			and(
				eq(casesTable.programmeId, programmeId),
				isNotNull(casesTable.installedOn),
				isNotNull(personsTable.email)
			)
		)
		.orderBy(casesTable.installedOn, casesTable.id);
	const households: DemoHousehold[] = rows.map((row) => ({
		...row,
		installedOn: row.installedOn!,
		email: row.email!
	}));
	await db
		.insert(surveyQuestionnairesTable)
		.values({ programmeId, version: 1, questions: DEFAULT_QUESTIONS })
		.onConflictDoNothing();

	const invitations: (typeof surveyInvitationsTable.$inferInsert)[] = [];
	const answers: (typeof surveyAnswersTable.$inferInsert)[] = [];
	const departures: (typeof departureReportsTable.$inferInsert)[] = [];
	const signs = new Map<string, Date>();
	let pendingLeft = DEMO_PENDING_DEPARTURES;
	// A third of the households never answer: they become the silent ones.
	for (const household of households) {
		const isResponsive = random.chance(0.7);
		for (const waveMonths of DEFAULT_WAVE_MONTHS) {
			const dueOn = addMonths(household.installedOn, waveMonths);
			if (dueOn > today) break;
			// After a departure: only the first wave, which reports it.
			const isDepartureWave = household.leftOn !== null && dueOn >= household.leftOn;
			const sentAt = new Date(`${dueOn}T08:00:00Z`);
			const expiresAt = new Date(sentAt.getTime() + INVITATION_VALID_DAYS * DAY_MS);
			const isRecent = (now.getTime() - sentAt.getTime()) / DAY_MS < CATCH_UP_DAYS;
			const daysToAnswer = random.int(0, 20);
			const submittedAt = new Date(sentAt.getTime() + daysToAnswer * DAY_MS + random.int(1, 10) * 3_600_000);
			const answersNow = submittedAt.getTime() < now.getTime();
			const makesPending =
				!household.leftOn && isRecent && answersNow && pendingLeft > 0 && random.chance(0.3);
			const answered =
				answersNow && (isDepartureWave || makesPending || (isResponsive && random.chance(0.8)));
			const invitationId = generateId('svi');
			invitations.push({
				id: invitationId,
				programmeId,
				caseId: household.caseId,
				waveMonths,
				dueOn,
				token: randomBytes(24).toString('base64url'),
				questionnaireVersion: 1,
				locale: 'fr',
				toAddress: household.email.toLowerCase(),
				sentAt,
				reminded7At: !answered || daysToAnswer > 7 ? new Date(sentAt.getTime() + 7 * DAY_MS) : null,
				reminded14At: !answered || daysToAnswer > 14 ? new Date(sentAt.getTime() + 14 * DAY_MS) : null,
				expiresAt,
				answeredAt: answered ? submittedAt : null,
				isDemo: true,
				createdAt: sentAt,
				updatedAt: answered ? submittedAt : sentAt
			});
			// Reminders in the future have not been sent yet.
			const last = invitations[invitations.length - 1];
			if (last.reminded7At && last.reminded7At > now) last.reminded7At = null;
			if (last.reminded14At && last.reminded14At > now) last.reminded14At = null;
			if (answered) {
				const departure =
					isDepartureWave || makesPending ? { reason: household.leftReason ?? 'Raisons familiales' } : null;
				const answerId = generateId('sva');
				const given = demoAnswers(random, waveMonths, departure);
				answers.push({
					id: answerId,
					programmeId,
					invitationId,
					caseId: household.caseId,
					waveMonths,
					questionnaireVersion: 1,
					answers: given,
					submittedAt,
					isDemo: true
				});
				signs.set(household.caseId, submittedAt);
				if (departure) {
					if (makesPending) pendingLeft--;
					departures.push({
						programmeId,
						caseId: household.caseId,
						answerId,
						reportedOn: isoDay(submittedAt),
						movedTo: given[MOVED_TO] as string,
						reason: departure.reason,
						status: makesPending ? 'pending' : 'confirmed',
						decidedAt: makesPending ? null : new Date(submittedAt.getTime() + 3 * DAY_MS),
						isDemo: true,
						createdAt: submittedAt,
						updatedAt: submittedAt
					});
				}
			}
			if (isDepartureWave) break;
		}
	}
	await db.transaction(async (tx) => {
		for (let i = 0; i < invitations.length; i += 500) {
			await tx.insert(surveyInvitationsTable).values(invitations.slice(i, i + 500));
		}
		for (let i = 0; i < answers.length; i += 500) {
			await tx.insert(surveyAnswersTable).values(answers.slice(i, i + 500));
		}
		if (departures.length) await tx.insert(departureReportsTable).values(departures);
		for (const [caseId, at] of signs) {
			await tx.update(casesTable).set({ lastSignOfLifeAt: at }).where(eq(casesTable.id, caseId));
		}
		// Attendance already recorded at past demo events counts as a sign of life too.
		const pastEvents = await tx
			.select({ id: eventsTable.id, startsAt: eventsTable.startsAt })
			.from(eventsTable)
			.where(and(eq(eventsTable.programmeId, programmeId), lt(eventsTable.startsAt, now)));
		for (const event of pastEvents) {
			await recordAttendanceSignsOfLife({ programmeId, eventId: event.id, at: event.startsAt }, { db: tx });
		}
	});
	return { invitations: invitations.length, answers: answers.length, departures: departures.length };
}

export function createFollowUpDemoSeedStep({ now }: { now?: () => Date } = {}): DemoSeedStep {
	return {
		name: 'follow-up',
		async run({ db, programme, log }) {
			const result = await seedFollowUpDemo(
				{ programmeId: programme.id, now: now?.() ?? new Date() },
				{ db }
			);
			log(
				`Follow-up: ${result.invitations} survey invitations, ${result.answers} answers, ${result.departures} departures reported (synthetic).`
			);
		}
	};
}

export const followUpDemoSeedStep: DemoSeedStep = createFollowUpDemoSeedStep();
