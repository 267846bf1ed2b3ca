/**
 * The candidate's space: their file's overview (stage, what comes next, advisor, appointments,
 * events) and the messages with their advisor. Every use case finds "the candidate's case" as
 * `cases.candidate_user_id = actor.userId` in the actor's programme: nobody else's file is ever
 * reachable from here. Messages are case timeline entries (kind 'message', staff visibility:
 * committees and partners never read them) and each one mails the other side through the outbox.
 */
import { translate } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { Case, CaseActivity, CaseStage, PipelineMilestone } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { assertStaff } from '../case/case.permissions.ts';
import {
	findCaseOfCandidate,
	findProgrammePipeline,
	insertActivity,
	updateCase
} from '../case/case.repository.ts';
import { resolvePipeline } from '../case/case.rules.ts';
import { loadVisibleCase } from '../case/case.shared.ts';
import { candidateSpaceNoCase } from './candidate-space.errors.ts';
import { queueSpaceMail } from './candidate-space.mails.ts';
import {
	findCandidateApplications,
	findCaseMessages,
	findEventRegistrationsOf,
	findProgrammeAdmins,
	findProgrammeName,
	findUpcomingAppointments,
	findUserContact
} from './candidate-space.repository.ts';
import { nextStepKey } from './candidate-space.rules.ts';
import { messageSchema, type MessageInput } from './candidate-space.schemas.ts';

const log = createLogger({ namespace: 'candidate-space:service' });

type Deps = { db: Db; now?: Date };
type MailDeps = Deps & { config: Pick<Config, 'smtpUrl' | 'origin' | 'port'> };

/** The actor's own case, or candidate_space.no_case (any other role, or a candidate without a file). */
export async function getOwnCaseRow({ actor }: { actor: Actor }, { db }: { db: Db }): Promise<Case> {
	if (actor.role !== 'candidate') throw candidateSpaceNoCase({ userId: actor.userId });
	const kase = await findCaseOfCandidate({ db, programmeId: actor.programmeId, userId: actor.userId });
	if (!kase) throw candidateSpaceNoCase({ userId: actor.userId });
	return kase;
}

export type SpaceOverview = {
	case: { reference: string; stage: CaseStage; stageChangedAt: Date; createdAt: Date };
	/** The pipeline's stages in order (for a progress line) and the stage's place in it (-1: an exit). */
	stages: readonly CaseStage[];
	stageIndex: number;
	stageLabels: Record<string, { fr?: string; en?: string }>;
	milestone: PipelineMilestone | null;
	/** What comes next, in plain words (a message key). */
	nextStepKey: string;
	advisor: { name: string } | null;
	appointments: { id: string; kind: string; occurredAt: Date; summary: string }[];
	events: { id: string; eventId: string; title: string; startsAt: Date; status: string; token: string }[];
	messageCount: number;
	/**
	 * Every application of the candidate, this programme's included, each with its programme (one
	 * form from the national portal opens a case in each programme chosen). Other programmes'
	 * cases show their reference and stage only; the candidate switches programme to see more.
	 */
	applications: {
		programmeId: string;
		programmeName: string;
		reference: string;
		stage: string;
		stageLabels: Record<string, { fr?: string; en?: string }>;
		createdAt: Date;
		isCurrent: boolean;
	}[];
};

/** The overview of the candidate's own file. */
export async function getSpaceOverview(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<SpaceOverview> {
	const kase = await getOwnCaseRow({ actor }, { db });
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const milestone = pipeline.milestones[kase.stage] ?? null;
	const advisor = kase.advisorId ? await findUserContact({ db, userId: kase.advisorId }) : null;
	const appointments = await findUpcomingAppointments({ db, caseId: kase.id, from: now });
	const registrations = await findEventRegistrationsOf({
		db,
		programmeId: actor.programmeId,
		userId: actor.userId,
		email: actor.email
	});
	const messages = await findCaseMessages({ db, caseId: kase.id });
	const applications = await findCandidateApplications({ db, userId: actor.userId });
	return {
		case: {
			reference: kase.reference,
			stage: kase.stage,
			stageChangedAt: kase.stageChangedAt,
			createdAt: kase.createdAt
		},
		stages: pipeline.stages,
		stageIndex: pipeline.stages.indexOf(kase.stage),
		stageLabels: pipeline.labels ?? {},
		milestone,
		nextStepKey: nextStepKey(milestone ?? undefined),
		advisor: advisor ? { name: advisor.name } : null,
		appointments,
		events: registrations.map((registration) => ({
			id: registration.id,
			eventId: registration.eventId,
			title: (actor.locale === 'en' && registration.titleEn) || registration.titleFr,
			startsAt: registration.startsAt,
			status: registration.status,
			token: registration.token
		})),
		messageCount: messages.length,
		applications: applications.map((row) => ({
			programmeId: row.programmeId,
			programmeName: row.programmeName,
			reference: row.reference,
			stage: row.stage,
			stageLabels: resolvePipeline(row.pipeline).labels ?? {},
			createdAt: row.createdAt,
			isCurrent: row.programmeId === actor.programmeId
		}))
	};
}

export type SpaceMessage = {
	id: string;
	body: string;
	sentAt: Date;
	/** Who wrote it: the candidate, or the advisor (named). */
	from: 'candidate' | 'advisor';
	authorName: string | null;
};

async function toSpaceMessages(
	{ activities }: { activities: CaseActivity[] },
	{ db }: { db: Db }
): Promise<SpaceMessage[]> {
	const names = new Map<string, string>();
	for (const id of new Set(activities.flatMap((a) => (a.authorId ? [a.authorId] : [])))) {
		const user = await findUserContact({ db, userId: id });
		if (user) names.set(id, user.name);
	}
	return activities.map((activity) => ({
		id: activity.id,
		body: activity.body ?? '',
		sentAt: activity.occurredAt,
		from: activity.data.from === 'candidate' ? 'candidate' : 'advisor',
		authorName: activity.authorId ? (names.get(activity.authorId) ?? null) : null
	}));
}

/** The messages between the candidate and their advisor, oldest first (the candidate's side). */
export async function listOwnMessages(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ messages: SpaceMessage[]; advisor: { name: string } | null }> {
	const kase = await getOwnCaseRow({ actor }, { db });
	const activities = await findCaseMessages({ db, caseId: kase.id });
	const advisor = kase.advisorId ? await findUserContact({ db, userId: kase.advisorId }) : null;
	return {
		messages: await toSpaceMessages({ activities }, { db }),
		advisor: advisor ? { name: advisor.name } : null
	};
}

/**
 * The candidate writes to their advisor: a timeline entry, and a mail to the advisor (to the
 * programme's admins while the file has no advisor), in one transaction.
 */
export async function sendOwnMessage(
	{ actor, input }: { actor: Actor; input: MessageInput },
	{ db, config, now = new Date() }: MailDeps
): Promise<{ message: SpaceMessage }> {
	const { body } = parseInput(messageSchema, input);
	return db.transaction(async (tx) => {
		const kase = await getOwnCaseRow({ actor }, { db: tx });
		const activity = await insertActivity({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: 'message',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate('fr', 'candidate_space_activity_from_candidate', { name: actor.name }),
				body,
				visibility: 'staff',
				data: { from: 'candidate', messageKey: 'candidate_space_activity_from_candidate' }
			}
		});
		await updateCase({ db: tx, caseId: kase.id, values: { updatedAt: now } });
		const advisor = kase.advisorId ? await findUserContact({ db: tx, userId: kase.advisorId }) : null;
		const recipients = advisor
			? [advisor]
			: await findProgrammeAdmins({ db: tx, programmeId: kase.programmeId });
		const programmeName = await findProgrammeName({ db: tx, programmeId: kase.programmeId });
		for (const recipient of recipients) {
			await queueSpaceMail(
				{
					kind: 'message_to_advisor',
					programmeId: kase.programmeId,
					caseId: kase.id,
					to: recipient,
					programmeName,
					reference: kase.reference,
					detail: actor.name,
					path: `/backoffice/cases/${kase.id}#candidate-messages`
				},
				{ db: tx, config }
			);
		}
		log.info({ caseId: kase.id, userId: actor.userId }, 'Candidate message sent');
		return {
			message: { id: activity.id, body, sentAt: now, from: 'candidate' as const, authorName: actor.name }
		};
	});
}

/** The messages of a case, for its staff (committee members and partners are refused). */
export async function listCaseMessages(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ messages: SpaceMessage[]; hasCandidateAccount: boolean }> {
	assertStaff(actor);
	const { kase } = await loadVisibleCase({ actor, caseId }, { db });
	const activities = await findCaseMessages({ db, caseId: kase.id });
	return {
		messages: await toSpaceMessages({ activities }, { db }),
		hasCandidateAccount: kase.candidateUserId !== null
	};
}

/**
 * Staff answer the candidate from the case page: a timeline entry, and a mail to the candidate
 * pointing to their space, in one transaction. A case without a candidate account cannot be
 * written to this way (the advisor uses the case's mail).
 */
export async function replyToCandidate(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: MessageInput },
	{ db, config, now = new Date() }: MailDeps
): Promise<{ message: SpaceMessage }> {
	assertStaff(actor);
	const { body } = parseInput(messageSchema, input);
	return db.transaction(async (tx) => {
		const { kase } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		const candidate = kase.candidateUserId
			? await findUserContact({ db: tx, userId: kase.candidateUserId })
			: null;
		if (!candidate) throw candidateSpaceNoCase({ caseId });
		const activity = await insertActivity({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: 'message',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate('fr', 'candidate_space_activity_to_candidate', { name: candidate.name }),
				body,
				visibility: 'staff',
				data: { from: 'advisor', messageKey: 'candidate_space_activity_to_candidate' }
			}
		});
		await updateCase({ db: tx, caseId: kase.id, values: { updatedAt: now, updatedBy: actor.userId } });
		await queueSpaceMail(
			{
				kind: 'message_to_candidate',
				programmeId: kase.programmeId,
				caseId: kase.id,
				to: candidate,
				programmeName: await findProgrammeName({ db: tx, programmeId: kase.programmeId }),
				reference: kase.reference,
				detail: actor.name,
				path: '/space/messages'
			},
			{ db: tx, config }
		);
		log.info({ caseId: kase.id, userId: actor.userId }, 'Message sent to the candidate');
		return {
			message: { id: activity.id, body, sentAt: now, from: 'advisor' as const, authorName: actor.name }
		};
	});
}
