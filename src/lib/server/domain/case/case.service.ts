/**
 * Reading a case (as much as the actor may see), the case list, the timeline, a candidate's own
 * file, the back-office options, and the two everyday writes: a timeline entry and the advisor.
 */
import type { Actor } from '../../auth/actor.ts';
import type { ActivityVisibility, Case, CaseActivity, Person } from '../../db/schema/index.ts';
import { ValidationError, parseInput } from '../../validation.ts';
import { auditAuthorOf, recordCaseChange } from '../audit/audit.service.ts';
import { findOfferVillage } from '../offer/offer.repository.ts';
import { caseNotFound } from './case.errors.ts';
import {
	assertCanAddActivity,
	assertStaff,
	caseAccessOf,
	toCommitteeCaseView,
	toCommitteePersonView,
	type CommitteeCaseView,
	type CommitteePersonView
} from './case.permissions.ts';
import {
	findCaseOfCandidate,
	findCasePersons,
	findCases,
	findCommitteeVillageIds,
	findProgrammePipeline,
	findTimeline,
	insertActivity,
	updateCase as updateCaseRow,
	findProgrammeDepartements,
	findProgrammeStaff,
	findProgrammeVillages,
	findUserNames,
	type CaseListFilters,
	type CaseListRow,
	type TargetVillage
} from './case.repository.ts';
import { resolvePipeline, type Pipeline } from './case.rules.ts';
import {
	addActivitySchema,
	listCasesSchema,
	type AddActivityInput,
	type ListCasesInput
} from './case.schemas.ts';
import { type Deps, loadVisibleCase, assertStaffUser, committeeVillages } from './case.shared.ts';

/** The reads of one page of a case file load the case once (see case.shared.ts). */
export { readingCaseFile } from './case.shared.ts';

export type CaseDetails =
	| { access: 'staff'; case: Case; persons: Person[]; villages: TargetVillage[] }
	| {
			access: 'committee';
			case: CommitteeCaseView;
			persons: CommitteePersonView[];
			villages: TargetVillage[];
	  };

/** A case with its household and target villages, as much as the actor may see (case.permissions.ts). */
export async function getCase(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db, now = new Date() }: Deps
): Promise<CaseDetails> {
	const { kase, access, villages } = await loadVisibleCase({ actor, caseId }, { db });
	const persons = await findCasePersons({ db, caseId: kase.id });
	if (access === 'staff') return { access, case: kase, persons, villages };
	const year = now.getUTCFullYear();
	return {
		access,
		case: toCommitteeCaseView(kase),
		persons: persons.map((person) => toCommitteePersonView(kase, person, year)),
		villages
	};
}

export type CaseListItem = Omit<CaseListRow, 'consents'>;

/**
 * Cases of the actor's programme, newest change first, with filters; `q` searches names
 * (accent-insensitive), emails and references. Committee members get only the cases they
 * may see, without contact details unless the household agreed to be contacted.
 */
export async function listCases(
	{ actor, ...input }: { actor: Actor } & ListCasesInput,
	{ db }: Deps
): Promise<{ cases: CaseListItem[]; total: number }> {
	const access = caseAccessOf(actor);
	if (access === 'none') assertStaff(actor);
	const { filters, limit, offset, sort } = parseInput(listCasesSchema, input);
	const committeeVillageIds =
		access === 'committee'
			? await findCommitteeVillageIds({ db, programmeId: actor.programmeId, userId: actor.userId })
			: undefined;
	const { rows, total } = await findCases({
		db,
		programmeId: actor.programmeId,
		filters: filters as CaseListFilters,
		committeeVillageIds,
		limit,
		offset,
		sort
	});
	const cases = rows.map(({ consents, ...row }) => {
		if (access !== 'committee') return row;
		// Tasks are the staff's; contact details need the household's consent.
		const view = { ...row, nextTaskTitle: null, nextTaskDueOn: null, possibleDuplicateOf: null };
		return consents.contact ? view : { ...view, email: null, phone: null };
	});
	return { cases, total };
}

/**
 * The timeline in chronological order; committee members see only the entries shared with
 * them. `authors` names the people who wrote the entries (user id → name).
 */
export async function getTimeline(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ activities: CaseActivity[]; authors: Record<string, string> }> {
	const { kase, access } = await loadVisibleCase({ actor, caseId }, { db });
	const activities = await findTimeline({ db, caseId: kase.id, committeeOnly: access === 'committee' });
	const authors = await findUserNames({
		db,
		programmeId: actor.programmeId,
		userIds: activities.flatMap((activity) => (activity.authorId ? [activity.authorId] : []))
	});
	return { activities, authors };
}

export type OwnCaseView = Omit<Case, 'possibleDuplicateOf' | 'createdBy' | 'updatedBy' | 'isDemo'>;

/** A candidate's own file (the one linked to their account); anyone else gets case.not_found. */
export async function getOwnCase(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ case: OwnCaseView; persons: Person[] }> {
	if (actor.role !== 'candidate') throw caseNotFound({ userId: actor.userId });
	const kase = await findCaseOfCandidate({ db, programmeId: actor.programmeId, userId: actor.userId });
	if (!kase) throw caseNotFound({ userId: actor.userId });
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { possibleDuplicateOf, createdBy, updatedBy, isDemo, ...own } = kase;
	return { case: own, persons: await findCasePersons({ db, caseId: kase.id }) };
}

/**
 * Records a note, call, email, meeting, visit, referral or document on the timeline.
 * Committee members may record meetings, visits and notes on the cases they see; their
 * entries are always visible to the committee.
 */
export async function addActivity(
	{ actor, caseId, ...input }: { actor: Actor; caseId: string } & AddActivityInput,
	{ db, now = new Date() }: Deps
): Promise<{ activity: CaseActivity }> {
	const data = parseInput(addActivitySchema, input);
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanAddActivity(actor, data.kind);
		const visibility: ActivityVisibility = access === 'committee' ? 'committee' : data.visibility;
		const offer = data.offerId
			? await findOfferVillage({ db: tx, programmeId: actor.programmeId, offerId: data.offerId })
			: null;
		if (data.offerId) {
			// A committee proposes what its own villages offer; staff any offer of the programme.
			const own = access === 'committee' ? await committeeVillages(actor, { db: tx }) : null;
			const isOwn =
				!own ||
				own.some((village) => village.id === offer?.villageId || village.communeCode === offer?.communeCode);
			if (!offer || !isOwn) throw new ValidationError([{ field: 'offerId', code: 'case.unknown_offer' }]);
		}
		const activity = await insertActivity({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: data.kind,
				occurredAt: data.occurredAt,
				authorId: actor.userId,
				summary: data.summary,
				body: data.body ?? null,
				visibility,
				data: offer ? { offerId: offer.id, offerTitle: offer.title } : {}
			}
		});
		await updateCaseRow({ db: tx, caseId: kase.id, values: { updatedAt: now, updatedBy: actor.userId } });
		return { activity };
	});
}

/** Gives the case to an advisor (or to nobody with null). Staff only; the advisor must be programme staff. */
export async function assignAdvisor(
	{ actor, caseId, advisorId }: { actor: Actor; caseId: string; advisorId: string | null },
	{ db, now = new Date() }: Deps
): Promise<{ case: Case }> {
	return db.transaction(async (tx) => {
		const { kase } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertStaff(actor);
		if (advisorId) await assertStaffUser({ programmeId: actor.programmeId, userId: advisorId }, { db: tx });
		const updated = await updateCaseRow({
			db: tx,
			caseId: kase.id,
			values: { advisorId, updatedBy: actor.userId, updatedAt: now }
		});
		await recordCaseChange(
			{
				kase,
				action: 'assign',
				author: auditAuthorOf(actor),
				at: now,
				before: { advisorId: kase.advisorId },
				after: { advisorId: updated.advisorId }
			},
			{ db: tx }
		);
		return { case: updated };
	});
}

export type CaseOptions = {
	pipeline: Pick<Pipeline, 'stages' | 'exits' | 'labels' | 'installedIndex'>;
	/** Admins and advisors, who may hold cases and tasks (empty for committee members). */
	advisors: { id: string; name: string }[];
	/** The programme's villages (a committee member gets only their own). */
	villages: { id: string; slug: string; communeCode: string; name: string }[];
	/** Départements of the programme: where installations happen. */
	departements: string[];
};

/**
 * What the case pages need to build their filters and forms: the pipeline, the staff and
 * the villages of the actor's programme. Anyone who may see cases.
 */
export async function getCaseOptions({ actor }: { actor: Actor }, { db }: Deps): Promise<CaseOptions> {
	const access = caseAccessOf(actor);
	if (access === 'none') assertStaff(actor);
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const villages = await findProgrammeVillages({ db, programmeId: actor.programmeId });
	if (access === 'committee') {
		const own = await findCommitteeVillageIds({ db, programmeId: actor.programmeId, userId: actor.userId });
		return {
			pipeline: {
				stages: pipeline.stages,
				exits: pipeline.exits,
				labels: pipeline.labels,
				installedIndex: pipeline.installedIndex
			},
			advisors: [],
			villages: villages.filter((village) => own.includes(village.id)),
			departements: []
		};
	}
	return {
		pipeline: {
			stages: pipeline.stages,
			exits: pipeline.exits,
			labels: pipeline.labels,
			installedIndex: pipeline.installedIndex
		},
		advisors: await findProgrammeStaff({ db, programmeId: actor.programmeId }),
		villages,
		departements: await findProgrammeDepartements({ db, programmeId: actor.programmeId })
	};
}
