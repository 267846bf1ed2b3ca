import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import { getProgrammeAddress } from '../programme/programme-host.service.ts';
import type { Db } from '../../db/index.ts';
import type {
	DepartureReport,
	SurveyAnswer,
	SurveyAnswers,
	SurveyInvitation,
	SurveyQuestion
} from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput, ValidationError } from '../../validation.ts';
import { moveCaseToStage } from '../case/case-pipeline.service.ts';
import { queueMail } from '../mail/mail.service.ts';
import { consumeRateLimits, rateLimitKey } from '../rate-limit/rate-limit.service.ts';
import {
	departureNotFound,
	followUpCaseNotFound,
	followUpForbidden,
	surveyAlreadyAnswered,
	surveyExpired,
	surveyNotFound
} from './follow-up.errors.ts';
import { buildSurveyMail } from './follow-up.mails.ts';
import {
	bumpSignOfLife,
	claimReminder,
	countInvitationsByWave,
	decideDeparture,
	findCaseBasics,
	findCaseInvitations,
	findCasesOfAttendees,
	findDepartureById,
	findDepartures,
	findInvitationByToken,
	findInvitationsToRemind,
	findLatestQuestionnaire,
	findProgrammeName,
	findProgrammes,
	findQuestionnaires,
	findSettings,
	findSilentHouseholds,
	findWaveCandidates,
	insertAnswer,
	insertDepartureReport,
	insertInvitation,
	insertQuestionnaire,
	markInvitationAnswered,
	upsertSettings,
	type DepartureRow,
	type SilentHousehold
} from './follow-up.repository.ts';
import {
	addDays,
	addMonths,
	CATCH_UP_DAYS,
	checkQuestionnaire,
	checkSettings,
	DEFAULT_QUESTIONS,
	DEFAULT_SILENCE_MONTHS,
	DEFAULT_WAVE_MONTHS,
	departureOf,
	departureReasonText,
	INVITATION_VALID_DAYS,
	isoDay,
	isWaveDue,
	parseSurveyAnswers,
	questionsForWave,
	reminderDue
} from './follow-up.rules.ts';
import {
	confirmDepartureSchema,
	saveQuestionnaireSchema,
	settingsSchema,
	surveyTokenSchema,
	type ConfirmDepartureInput,
	type QuestionInput,
	type SettingsInput,
	type SignOfLifeSource
} from './follow-up.schemas.ts';

const log = createLogger({ namespace: 'follow-up' });

type Deps = { db: Db; now?: Date };

const DAY_MS = 86_400_000;
const newToken = () => randomBytes(24).toString('base64url');

function assertStaff(actor: Actor): void {
	if (actor.role !== 'admin' && actor.role !== 'advisor') throw followUpForbidden({ userId: actor.userId });
}

function assertAdmin(actor: Actor): void {
	if (actor.role !== 'admin') throw followUpForbidden({ userId: actor.userId });
}

export type FollowUpSettingsView = { waveMonths: number[]; silenceMonths: number; isDefault: boolean };

async function loadSettings(db: Db, programmeId: string): Promise<FollowUpSettingsView> {
	const row = await findSettings({ db, programmeId });
	return row
		? { waveMonths: row.waveMonths, silenceMonths: row.silenceMonths, isDefault: false }
		: { waveMonths: [...DEFAULT_WAVE_MONTHS], silenceMonths: DEFAULT_SILENCE_MONTHS, isDefault: true };
}

/** The latest questionnaire of a programme; version 1 (the default questions) is written on first use. */
async function ensureQuestionnaire(db: Db, programmeId: string) {
	const latest = await findLatestQuestionnaire({ db, programmeId });
	if (latest) return latest;
	await insertQuestionnaire({ db, values: { programmeId, version: 1, questions: DEFAULT_QUESTIONS } });
	return (await findLatestQuestionnaire({ db, programmeId }))!;
}

/* ------------------------------------------------------------------ sign of life */

/**
 * Records that a household showed up (answered a survey, came to an event, updated its directory
 * entry): the case's last sign of life moves forward, never back. Other modules call it.
 */
export async function recordSignOfLife(
	{
		programmeId,
		caseId,
		at,
		source
	}: { programmeId: string; caseId: string; at: Date; source: SignOfLifeSource },
	{ db }: { db: Db }
): Promise<{ updated: boolean }> {
	const updated = await bumpSignOfLife({ db, programmeId, caseId, at });
	if (updated) log.debug({ caseId, programmeId, source }, 'Sign of life');
	return { updated };
}

/** After attendance is recorded: the households whose candidate came get a sign of life. */
export async function recordAttendanceSignsOfLife(
	{ programmeId, eventId, at }: { programmeId: string; eventId: string; at: Date },
	{ db }: { db: Db }
): Promise<{ households: number }> {
	const caseIds = await findCasesOfAttendees({ db, programmeId, eventId });
	for (const caseId of caseIds) await recordSignOfLife({ programmeId, caseId, at, source: 'event' }, { db });
	return { households: caseIds.length };
}

/* ------------------------------------------------------------------ waves */

export type SendWavesResult = { invited: number; reminded: number };

/**
 * The daily follow-up job: households whose wave (N months after installation) fell due within
 * the last CATCH_UP_DAYS days get one invitation each, to the candidate's email, with a personal
 * link; unanswered invitations get a reminder after 7 and 14 days. A system job: no actor.
 */
export async function sendFollowUpWaves(
	{ now = new Date(), programmeId }: { now?: Date; programmeId?: string },
	{ db, config }: { db: Db; config: Config }
): Promise<SendWavesResult> {
	const today = isoDay(now);
	const result: SendWavesResult = { invited: 0, reminded: 0 };
	for (const programme of await findProgrammes({ db, programmeId })) {
		const { address: origin } = await getProgrammeAddress({ programmeId: programme.id }, { db, config });
		const settings = await loadSettings(db, programme.id);
		for (const waveMonths of settings.waveMonths) {
			// Installed between (today − catch-up − N months) and (today − N months), a few days wider
			// for month ends; isWaveDue decides exactly.
			const candidates = await findWaveCandidates({
				db,
				programmeId: programme.id,
				waveMonths,
				installedFrom: addDays(addMonths(today, -waveMonths), -CATCH_UP_DAYS - 4),
				installedUntil: addMonths(today, -waveMonths)
			});
			for (const candidate of candidates) {
				if (!isWaveDue(candidate.installedOn, waveMonths, today)) continue;
				const isSent = await db.transaction(async (tx) => {
					const questionnaire = await ensureQuestionnaire(tx, programme.id);
					const locale = candidate.locale ?? 'fr';
					const invitation = await insertInvitation({
						db: tx,
						values: {
							programmeId: programme.id,
							caseId: candidate.caseId,
							waveMonths,
							dueOn: addMonths(candidate.installedOn, waveMonths),
							token: newToken(),
							questionnaireVersion: questionnaire.version,
							locale,
							toAddress: candidate.email,
							sentAt: now,
							expiresAt: new Date(now.getTime() + INVITATION_VALID_DAYS * DAY_MS),
							isDemo: candidate.isDemo
						}
					});
					if (!invitation) return false;
					await queueSurveyMail(
						tx,
						config,
						origin,
						programme.name,
						invitation,
						'invitation',
						candidate.firstName
					);
					return true;
				});
				if (isSent) result.invited++;
			}
		}
		for (const invitation of await findInvitationsToRemind({ db, programmeId: programme.id, now })) {
			const days = reminderDue(invitation, now);
			if (!days) continue;
			const isSent = await db.transaction(async (tx) => {
				if (!(await claimReminder({ db: tx, invitationId: invitation.id, days, now }))) return false;
				await queueSurveyMail(tx, config, origin, programme.name, invitation, 'reminder', null);
				return true;
			});
			if (isSent) result.reminded++;
		}
	}
	log.info(result, 'Follow-up waves');
	return result;
}

async function queueSurveyMail(
	db: Db,
	config: Config,
	origin: string,
	programmeName: string,
	invitation: SurveyInvitation,
	kind: 'invitation' | 'reminder',
	firstName: string | null
) {
	const mail = buildSurveyMail({
		locale: invitation.locale,
		kind,
		firstName,
		waveMonths: invitation.waveMonths,
		// English invitations open the page in English; French is the default.
		url: `${origin}/survey/${invitation.token}${invitation.locale === 'en' ? '?lang=en' : ''}`,
		expiresOn: isoDay(invitation.expiresAt),
		programmeName
	});
	await queueMail(
		{
			programmeId: invitation.programmeId,
			caseId: invitation.caseId,
			kind: kind === 'invitation' ? 'follow_up.invitation' : 'follow_up.reminder',
			to: invitation.toAddress,
			...mail
		},
		{ db, config }
	);
}

/* ------------------------------------------------------------------ the survey (public) */

export type SurveyView = {
	state: 'open' | 'answered' | 'expired';
	waveMonths: number;
	locale: 'fr' | 'en';
	programmeName: string;
	questionnaireVersion: number;
	/** Empty unless the survey is open. */
	questions: SurveyQuestion[];
	expiresAt: Date;
	answeredAt: Date | null;
};

async function loadInvitation(db: Db, token: string, forUpdate = false): Promise<SurveyInvitation> {
	if (!v.is(surveyTokenSchema, token)) throw surveyNotFound();
	const invitation = await findInvitationByToken({ db, token, forUpdate });
	if (!invitation) throw surveyNotFound();
	return invitation;
}

function stateOf(invitation: SurveyInvitation, now: Date): SurveyView['state'] {
	if (invitation.answeredAt) return 'answered';
	return invitation.expiresAt.getTime() <= now.getTime() ? 'expired' : 'open';
}

async function questionsOf(db: Db, invitation: SurveyInvitation): Promise<SurveyQuestion[]> {
	const [questionnaire] = await findQuestionnaires({
		db,
		programmeId: invitation.programmeId,
		versions: [invitation.questionnaireVersion]
	});
	return questionsForWave(questionnaire?.questions ?? DEFAULT_QUESTIONS, invitation.waveMonths);
}

/** The survey behind a personal link: open (with its questions), already answered, or expired. */
export async function getSurvey(
	{ token }: { token: string },
	{ db, now = new Date() }: Deps
): Promise<SurveyView> {
	const invitation = await loadInvitation(db, token);
	const state = stateOf(invitation, now);
	return {
		state,
		waveMonths: invitation.waveMonths,
		locale: invitation.locale,
		programmeName: await findProgrammeName({ db, programmeId: invitation.programmeId }),
		questionnaireVersion: invitation.questionnaireVersion,
		questions: state === 'open' ? await questionsOf(db, invitation) : [],
		expiresAt: invitation.expiresAt,
		answeredAt: invitation.answeredAt
	};
}

/**
 * Stores the answers to a survey, checked against the invitation's questionnaire version, and
 * records the household's sign of life; "no longer living here" opens a departure to confirm.
 * One transaction; a second submission is refused and never overwrites the first.
 */
export async function submitSurvey(
	{
		token,
		answers: raw,
		clientAddress = null
	}: {
		token: string;
		answers: Record<string, unknown>;
		/** The client's address: from the web, SOHO_LIMIT_SURVEYS_PER_HOUR submissions per address. */
		clientAddress?: string | null;
	},
	{ db, config, now = new Date() }: Deps & { config?: Pick<Config, 'limitSurveysPerHour'> }
): Promise<{ answer: SurveyAnswer; departure: DepartureReport | null }> {
	if (clientAddress && config) {
		// Counted before the token is even looked up, so guessing links is slowed down too.
		await consumeRateLimits(
			{
				rules: [
					{
						key: rateLimitKey.address('follow_up.survey', clientAddress),
						limit: config.limitSurveysPerHour,
						windowSeconds: 3600
					}
				]
			},
			{ db, now }
		);
	}
	return db.transaction(async (tx) => {
		const invitation = await loadInvitation(tx, token, true);
		const state = stateOf(invitation, now);
		if (state === 'answered') throw surveyAlreadyAnswered({ invitationId: invitation.id });
		if (state === 'expired') throw surveyExpired({ invitationId: invitation.id });
		const { answers, issues } = parseSurveyAnswers(await questionsOf(tx, invitation), raw);
		if (issues.length) throw new ValidationError(issues);
		if (!(await markInvitationAnswered({ db: tx, invitationId: invitation.id, now }))) {
			throw surveyAlreadyAnswered({ invitationId: invitation.id });
		}
		const answer = await insertAnswer({
			db: tx,
			values: {
				programmeId: invitation.programmeId,
				invitationId: invitation.id,
				caseId: invitation.caseId,
				waveMonths: invitation.waveMonths,
				questionnaireVersion: invitation.questionnaireVersion,
				answers,
				submittedAt: now,
				isDemo: invitation.isDemo
			}
		});
		await recordSignOfLife(
			{ programmeId: invitation.programmeId, caseId: invitation.caseId, at: now, source: 'survey' },
			{ db: tx }
		);
		const departure = departureOf(answers);
		const report = departure
			? await insertDepartureReport({
					db: tx,
					values: {
						programmeId: invitation.programmeId,
						caseId: invitation.caseId,
						answerId: answer.id,
						reportedOn: isoDay(now),
						movedTo: departure.movedTo,
						reason: departure.reason,
						isDemo: invitation.isDemo
					}
				})
			: null;
		log.info(
			{ invitationId: invitation.id, caseId: invitation.caseId, departure: report !== null },
			'Survey answered'
		);
		return { answer, departure: report };
	});
}

/* ------------------------------------------------------------------ departures */

/**
 * Confirms a departure reported in a survey: the case moves to left_territory (through the case
 * service's pipeline rules) with the departure date (the day of the answer unless corrected) and
 * the reason given. Staff only.
 */
export async function confirmDeparture(
	{ actor, ...input }: { actor: Actor } & ConfirmDepartureInput,
	{ db, now = new Date() }: Deps
): Promise<{ departure: DepartureReport }> {
	assertStaff(actor);
	const data = parseInput(confirmDepartureSchema, input);
	return db.transaction(async (tx) => {
		const report = await findDepartureById({
			db: tx,
			programmeId: actor.programmeId,
			departureId: data.departureId,
			forUpdate: true
		});
		if (!report || report.status !== 'pending') throw departureNotFound({ departureId: data.departureId });
		const kase = await findCaseBasics({ db: tx, programmeId: actor.programmeId, caseId: report.caseId });
		if (!kase) throw departureNotFound({ departureId: data.departureId });
		if (kase.stage !== 'left_territory') {
			await moveCaseToStage(
				{
					actor,
					caseId: report.caseId,
					stage: 'left_territory',
					leftOn: data.leftOn || report.reportedOn,
					reason: data.reason?.trim() || departureReasonText(report)
				},
				{ db: tx, now }
			);
		}
		const departure = await decideDeparture({
			db: tx,
			departureId: report.id,
			status: 'confirmed',
			userId: actor.userId,
			now
		});
		return { departure };
	});
}

/** The household did not leave after all (a wrong click): the report is closed, the case untouched. */
export async function dismissDeparture(
	{ actor, departureId }: { actor: Actor; departureId: string },
	{ db, now = new Date() }: Deps
): Promise<{ departure: DepartureReport }> {
	assertStaff(actor);
	return db.transaction(async (tx) => {
		const report = await findDepartureById({
			db: tx,
			programmeId: actor.programmeId,
			departureId,
			forUpdate: true
		});
		if (!report || report.status !== 'pending') throw departureNotFound({ departureId });
		const departure = await decideDeparture({
			db: tx,
			departureId: report.id,
			status: 'dismissed',
			userId: actor.userId,
			now
		});
		return { departure };
	});
}

/* ------------------------------------------------------------------ back office */

export type HouseholdToCall = SilentHousehold & { silentSince: string };

/**
 * Installed households still here without any sign of life (or, if none ever, since their
 * installation) for longer than the programme's threshold: oldest silence first. Staff only.
 */
export async function listHouseholdsToCall(
	{ actor, limit = 200 }: { actor: Actor; limit?: number },
	{ db, now = new Date() }: Deps
): Promise<{ households: HouseholdToCall[]; total: number; silenceMonths: number }> {
	assertStaff(actor);
	const settings = await loadSettings(db, actor.programmeId);
	const silentSince = new Date(`${addMonths(isoDay(now), -settings.silenceMonths)}T00:00:00Z`);
	const { rows, total } = await findSilentHouseholds({
		db,
		programmeId: actor.programmeId,
		silentSince,
		limit
	});
	return {
		households: rows.map((row) => ({
			...row,
			silentSince: row.lastSignOfLifeAt ? isoDay(row.lastSignOfLifeAt) : row.installedOn
		})),
		total,
		silenceMonths: settings.silenceMonths
	};
}

export type WaveOverview = {
	waveMonths: number;
	sent: number;
	answered: number;
	expired: number;
	/** answered / sent, 0 to 1; null before any invitation. */
	responseRate: number | null;
	pendingDepartures: number;
};

/** Per wave: invitations sent, answered, response rate, departures to confirm; and those departures. */
export async function getFollowUpOverview(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<{ waves: WaveOverview[]; departures: Array<DepartureRow>; settings: FollowUpSettingsView }> {
	assertStaff(actor);
	const settings = await loadSettings(db, actor.programmeId);
	const stats = await countInvitationsByWave({ db, programmeId: actor.programmeId, now });
	const departures = await findDepartures({ db, programmeId: actor.programmeId, status: 'pending' });
	const waveNumbers = [...new Set([...settings.waveMonths, ...stats.map((row) => row.waveMonths)])].sort(
		(a, b) => a - b
	);
	const waves = waveNumbers.map((waveMonths) => {
		const row = stats.find((stat) => stat.waveMonths === waveMonths);
		const sent = row?.sent ?? 0;
		const answered = row?.answered ?? 0;
		return {
			waveMonths,
			sent,
			answered,
			expired: row?.expired ?? 0,
			responseRate: sent ? answered / sent : null,
			pendingDepartures: departures.filter((departure) => departure.waveMonths === waveMonths).length
		};
	});
	return { waves, departures, settings };
}

export type CaseFollowUp = {
	lastSignOfLifeAt: Date | null;
	installedOn: string | null;
	waves: Array<{
		waveMonths: number;
		sentAt: Date;
		expiresAt: Date;
		answeredAt: Date | null;
		questionnaireVersion: number;
		/** The questions of that version and wave, with the household's answers. */
		answers: Array<{ question: SurveyQuestion; value: SurveyAnswers[string] }>;
	}>;
	departures: DepartureRow[];
};

/** The follow-up of one household (staff only): last sign of life, each wave and its answers. */
export async function getCaseFollowUp(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<CaseFollowUp> {
	assertStaff(actor);
	const kase = await findCaseBasics({ db, programmeId: actor.programmeId, caseId });
	if (!kase) throw followUpCaseNotFound({ caseId });
	const invitations = await findCaseInvitations({ db, programmeId: actor.programmeId, caseId });
	const questionnaires = await findQuestionnaires({
		db,
		programmeId: actor.programmeId,
		versions: [...new Set(invitations.map((invitation) => invitation.questionnaireVersion))]
	});
	const departures = await findDepartures({ db, programmeId: actor.programmeId, caseId });
	return {
		lastSignOfLifeAt: kase.lastSignOfLifeAt,
		installedOn: kase.installedOn,
		waves: invitations.map((invitation) => {
			const questions =
				questionnaires.find((q) => q.version === invitation.questionnaireVersion)?.questions ??
				DEFAULT_QUESTIONS;
			const answers = invitation.answer?.answers ?? {};
			return {
				waveMonths: invitation.waveMonths,
				sentAt: invitation.sentAt,
				expiresAt: invitation.expiresAt,
				answeredAt: invitation.answeredAt,
				questionnaireVersion: invitation.questionnaireVersion,
				answers: invitation.answer
					? questionsForWave(questions, invitation.waveMonths).map((question) => ({
							question,
							value: answers[question.key] ?? null
						}))
					: []
			};
		}),
		departures
	};
}

/* ------------------------------------------------------------------ questionnaire and settings */

/** The current questionnaire (staff read it; admins edit it) and the programme's settings. */
export async function getQuestionnaire(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ version: number; questions: SurveyQuestion[]; settings: FollowUpSettingsView }> {
	assertStaff(actor);
	const questionnaire = await db.transaction((tx) => ensureQuestionnaire(tx, actor.programmeId));
	return {
		version: questionnaire.version,
		questions: questionnaire.questions,
		settings: await loadSettings(db, actor.programmeId)
	};
}

const slug = (text: string) =>
	text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, 30);

/**
 * Saves the questionnaire as a new version (admins only): invitations sent from now on use it;
 * answers already given keep their version. New questions and options get keys of their own.
 */
export async function saveQuestionnaire(
	{ actor, questions: input }: { actor: Actor; questions: QuestionInput[] },
	{ db, now = new Date() }: Deps
): Promise<{ version: number }> {
	assertAdmin(actor);
	const { questions: parsed } = parseInput(saveQuestionnaireSchema, { questions: input });
	return db.transaction(async (tx) => {
		const current = await ensureQuestionnaire(tx, actor.programmeId);
		const settings = await loadSettings(tx, actor.programmeId);
		const used = new Set(parsed.flatMap((question) => (question.key ? [question.key] : [])));
		const questions: SurveyQuestion[] = parsed.map((question, index) => {
			let key = question.key;
			if (!key) {
				const base = `q_${slug(question.labelFr) || index + 1}`;
				key = base;
				for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
				used.add(key);
			}
			const options =
				question.type === 'choice'
					? question.options.map((option, i) => ({
							value: option.value || `o${i + 1}`,
							labelFr: option.labelFr,
							labelEn: option.labelEn
						}))
					: undefined;
			return {
				key,
				type: question.type,
				labelFr: question.labelFr,
				labelEn: question.labelEn,
				required: question.required,
				...(options ? { options } : {}),
				...(question.waves.length ? { waves: question.waves } : {}),
				...(question.showIf?.key ? { showIf: question.showIf } : {})
			};
		});
		const issues = checkQuestionnaire(questions, settings.waveMonths);
		if (issues.length) throw new ValidationError(issues);
		const version = current.version + 1;
		await insertQuestionnaire({
			db: tx,
			values: { programmeId: actor.programmeId, version, questions, createdBy: actor.userId, createdAt: now }
		});
		log.info({ programmeId: actor.programmeId, version, userId: actor.userId }, 'Questionnaire saved');
		return { version };
	});
}

/** Sets the waves (months after installation) and the silence threshold of the programme (admins). */
export async function saveFollowUpSettings(
	{ actor, ...input }: { actor: Actor } & SettingsInput,
	{ db, now = new Date() }: Deps
): Promise<{ settings: FollowUpSettingsView }> {
	assertAdmin(actor);
	const data = parseInput(settingsSchema, input);
	const issues = checkSettings(data);
	if (issues.length) throw new ValidationError(issues);
	await upsertSettings({
		db,
		values: { programmeId: actor.programmeId, ...data, updatedBy: actor.userId, updatedAt: now }
	});
	return { settings: { ...data, isDefault: false } };
}

/** "Send now" in the back office (admins): the daily job, for the admin's programme only. */
export async function sendFollowUpWavesNow(
	{ actor }: { actor: Actor },
	{ db, config, now = new Date() }: Deps & { config: Config }
): Promise<SendWavesResult> {
	assertAdmin(actor);
	return sendFollowUpWaves({ now, programmeId: actor.programmeId }, { db, config });
}
