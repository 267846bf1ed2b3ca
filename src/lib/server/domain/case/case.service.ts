import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	personsTable,
	type ActivityKind,
	type ActivityVisibility,
	type Case,
	type CaseActivity,
	type CaseConsents,
	type CaseNeeds,
	type CaseSource,
	type CaseStageChange,
	type Person,
	type Task
} from '../../db/schema/index.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { createLogger } from '../../logger.ts';
import { toFieldIssues, ValidationError, parseInput, type FieldIssue } from '../../validation.ts';
import { findUserById } from '../account/account.repository.ts';
import { findOfferRows } from '../offer/offer.repository.ts';
import { offerIdSchema } from '../offer/offer.schemas.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import { caseInvalidAdvisor, caseNotFound, caseTaskNotFound, caseUnknownProgramme } from './case.errors.ts';
import { queueApplicationReceivedMail } from './case.mails.ts';
import {
	assertCanAddActivity,
	assertStaff,
	canCommitteeSeeCase,
	caseAccessOf,
	toCommitteeCaseView,
	toCommitteePersonView,
	type CommitteeCaseView,
	type CommitteePersonView
} from './case.permissions.ts';
import {
	findCaseById,
	findCaseOfCandidate,
	findCasePersons,
	findCases,
	findCaseTargetVillages,
	findCommitteeVillageIds,
	findDuplicateCaseId,
	findLastReferenceOfYear,
	findOpenTasksOfAssignee,
	findProgrammePipeline,
	findTaskById,
	findTimeline,
	findVillagesByKeys,
	insertActivity,
	insertCase,
	insertPersons,
	insertStageChange,
	insertTargetVillages,
	insertTask,
	lockProgramme,
	markTaskDone,
	updateCase,
	countCasesByStage,
	countCasesCreatedSince,
	countOverdueTasks,
	findProgrammeDepartements,
	findProgrammeStaff,
	findProgrammeVillages,
	findTasksOfCase,
	findUserNames,
	type CaseListFilters,
	type CaseListRow,
	type TargetVillage,
	type TaskWithCase
} from './case.repository.ts';
import {
	allowedNextStages,
	checkStageTransition,
	firstStage,
	isOpenStage,
	formatCaseReference,
	INSTALLED,
	nextReferenceSequence,
	referencePrefix,
	resolvePipeline,
	schoolLevelForAge,
	type Pipeline
} from './case.rules.ts';
import {
	addActivitySchema,
	applicationSchema,
	caseIdSchema,
	createCaseSchema,
	createTaskSchema,
	listCasesSchema,
	moveCaseSchema,
	taskIdSchema,
	type AddActivityInput,
	type ApplicationData,
	type ApplicationInput,
	type CreateCaseData,
	type CreateCaseInput,
	type CreateTaskInput,
	type ListCasesInput,
	type MoveCaseInput
} from './case.schemas.ts';

const log = createLogger({ namespace: 'case:service' });

type Deps = { db: Db; now?: Date };

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/* ------------------------------------------------------------------ household */

type HouseholdData = ApplicationData | CreateCaseData;

/** The persons of a household as typed on the form: candidate, partner, children, other adults. */
function householdPersons(
	data: HouseholdData,
	{ programmeId, caseId, year }: { programmeId: string; caseId: string; year: number }
): (typeof personsTable.$inferInsert)[] {
	const persons: (typeof personsTable.$inferInsert)[] = [
		{
			programmeId,
			caseId,
			householdRole: 'candidate',
			firstName: data.firstName,
			lastName: data.lastName,
			email: data.email ?? null,
			phone: data.phone ?? null,
			birthYear: data.birthYear ?? null,
			profession: data.profession ?? null,
			status: data.status ?? null,
			sector: data.sector ?? null,
			originCountry: data.originCountry ?? null,
			originArea: data.originArea ?? null,
			languages: data.languages
		}
	];
	if (data.hasPartner) {
		persons.push({
			programmeId,
			caseId,
			householdRole: 'partner',
			firstName: data.partnerFirstName ?? null,
			lastName: null,
			profession: data.partnerProfession ?? null,
			needs: data.partnerNeedsJob ? { job: true } : {}
		});
	}
	for (const child of data.children) {
		const schoolLevel = schoolLevelForAge(child.age);
		persons.push({
			programmeId,
			caseId,
			householdRole: 'child',
			firstName: child.firstName ?? null,
			birthYear: year - child.age,
			needs: { schoolLevel, ...(schoolLevel === 'childcare' ? { childcare: true } : {}) }
		});
	}
	for (let i = data.adultsCount - 1 - (data.hasPartner ? 1 : 0); i > 0; i--) {
		persons.push({ programmeId, caseId, householdRole: 'other' });
	}
	return persons;
}

/** The case's needs as typed, completed by what the children's ages imply. */
function caseNeeds(data: HouseholdData): CaseNeeds {
	const needs: CaseNeeds = {};
	for (const [key, value] of Object.entries(data.needs)) {
		if (value !== undefined && value !== false) (needs as Record<string, unknown>)[key] = value;
	}
	if (data.children.some((child) => child.age >= 3 && child.age < 18)) needs.schools = true;
	if (data.children.some((child) => child.age < 3)) needs.childcare = true;
	return needs;
}

/**
 * Checks the village slugs or ids against the programme; reports each unknown one on
 * its field (`villages.1`) so it joins the other field errors.
 */
async function resolveVillages(
	{ programmeId, keys }: { programmeId: string; keys: unknown },
	{ db }: { db: Db }
): Promise<{ villages: { id: string; communeCode: string }[]; issues: FieldIssue[] }> {
	if (!Array.isArray(keys)) return { villages: [], issues: [] };
	const wanted = keys.map((key) => (typeof key === 'string' ? key.trim() : ''));
	const found = await findVillagesByKeys({ db, programmeId, keys: wanted.filter(Boolean) });
	const issues: FieldIssue[] = [];
	const villages = new Map<string, { id: string; communeCode: string }>();
	wanted.forEach((key, index) => {
		const village = found.find((candidate) => candidate.id === key || candidate.slug === key);
		if (!village) issues.push({ field: `villages.${index}`, code: 'case.unknown_village' });
		else villages.set(village.id, village);
	});
	return { villages: [...villages.values()], issues };
}

async function nextReference(
	{ programmeId, slug, year }: { programmeId: string; slug: string; year: number },
	{ db }: { db: Db }
): Promise<string> {
	const prefix = referencePrefix(slug);
	const last = await findLastReferenceOfYear({ db, programmeId, prefix, year });
	return formatCaseReference(prefix, year, nextReferenceSequence(last ? [last] : [], prefix, year));
}

/**
 * Writes a new case with its household, target villages, first stage and first timeline
 * entry, in the caller's transaction (which must hold the programme lock).
 */
async function writeNewCase(
	{
		data,
		programme,
		villages,
		source,
		advisorId,
		actorId,
		consents,
		activity,
		now
	}: {
		data: HouseholdData;
		programme: { id: string; slug: string; pipeline: Parameters<typeof resolvePipeline>[0] };
		villages: { id: string; communeCode: string }[];
		source: CaseSource;
		advisorId: string | null;
		actorId: string | null;
		consents: CaseConsents;
		activity: { kind: ActivityKind; summary: string; body?: string | null; data?: Record<string, unknown> };
		now: Date;
	},
	{ db }: { db: Db }
): Promise<{ kase: Case; persons: Person[] }> {
	const stage = firstStage(resolvePipeline(programme.pipeline));
	const year = now.getUTCFullYear();
	const possibleDuplicateOf = await findDuplicateCaseId({
		db,
		programmeId: programme.id,
		emails: data.email ? [data.email] : [],
		phones: data.phone ? [data.phone] : []
	});
	const reference = await nextReference({ programmeId: programme.id, slug: programme.slug, year }, { db });
	const kase = await insertCase({
		db,
		values: {
			programmeId: programme.id,
			reference,
			source,
			stage,
			stageChangedAt: now,
			advisorId,
			wishedArea: data.wishedArea ?? null,
			wishedCommuneCodes: [...new Set(villages.map((village) => village.communeCode))],
			timeline: data.timeline ?? null,
			needs: caseNeeds(data),
			wouldMoveWithoutProgramme: data.wouldMoveWithoutProgramme ?? null,
			howHeard: data.howHeard ?? null,
			consents,
			possibleDuplicateOf,
			createdBy: actorId,
			updatedBy: actorId,
			createdAt: now,
			updatedAt: now
		}
	});
	const persons = await insertPersons({
		db,
		persons: householdPersons(data, { programmeId: programme.id, caseId: kase.id, year })
	});
	await insertTargetVillages({ db, caseId: kase.id, villageIds: villages.map((village) => village.id) });
	await insertStageChange({
		db,
		values: {
			programmeId: programme.id,
			caseId: kase.id,
			fromStage: null,
			toStage: stage,
			changedAt: now,
			changedBy: actorId
		}
	});
	await insertActivity({
		db,
		values: {
			programmeId: programme.id,
			caseId: kase.id,
			kind: activity.kind,
			occurredAt: now,
			authorId: actorId,
			summary: activity.summary,
			body: activity.body ?? null,
			data: { ...activity.data, reference, ...(possibleDuplicateOf ? { possibleDuplicateOf } : {}) }
		}
	});
	return { kase, persons };
}

/* ------------------------------------------------------------------ public application */

/**
 * The offer a candidate applied from. Cases have no offer column, so the offer is kept on
 * the application's timeline entry and its village becomes a target village, which lets
 * the advisor and that village's committee see the case. An anonymised takeover adds no
 * village (its place stays confidential). An unknown, lapsed or hidden offer is ignored:
 * it must never block an application.
 */
async function resolveOfferOfInterest(
	{ programmeId, offerId, now }: { programmeId: string; offerId: string | null; now: Date },
	{ db }: { db: Db }
): Promise<{
	id: string;
	title: string;
	kind: string;
	village: { id: string; communeCode: string } | null;
} | null> {
	if (!offerId || !v.is(offerIdSchema, offerId)) return null;
	const [offer] = await findOfferRows({ db, programmeId, offerId, publicAt: now });
	if (!offer) return null;
	const [village] =
		offer.villageId && !offer.isAnonymised
			? await findVillagesByKeys({ db, programmeId, keys: [offer.villageId] })
			: [];
	return {
		id: offer.id,
		title: offer.titleFr,
		kind: offer.kind,
		village: village ? { id: village.id, communeCode: village.communeCode } : null
	};
}

/**
 * The public apply form (no actor). Validates every field, reporting each bad one with a
 * `case.*` code, then writes in ONE transaction the case (first stage, source web_form),
 * the household, the target villages, an 'application' timeline entry and the
 * confirmation email in the applicant's language. A household already known by email
 * or phone is flagged `possibleDuplicateOf`, never refused.
 */
export async function submitApplication(
	{
		programmeId,
		input,
		locale,
		offerId = null
	}: {
		programmeId: string;
		input: ApplicationInput;
		locale: Locale;
		/** The offer the candidate applied from (`/apply?offer=`), if any. */
		offerId?: string | null;
	},
	{ db, config, now = new Date() }: Deps & { config: Pick<Config, 'smtpUrl'> }
): Promise<{ case: Case; reference: string; persons: Person[] }> {
	const parsed = v.safeParse(applicationSchema, input);
	const record = (input ?? {}) as Record<string, unknown>;
	const { villages: chosenVillages, issues: villageIssues } = await resolveVillages(
		{ programmeId, keys: parsed.success ? parsed.output.villages : record.villages },
		{ db }
	);
	const issues = [...(parsed.success ? [] : toFieldIssues(parsed.issues)), ...villageIssues];
	if (issues.length || !parsed.success) throw new ValidationError(issues);
	const data = parsed.output;
	const offer = await resolveOfferOfInterest({ programmeId, offerId, now }, { db });
	const villages = [...chosenVillages];
	if (offer?.village && !villages.some((village) => village.id === offer.village?.id)) {
		villages.push(offer.village);
	}
	const result = await db.transaction(async (tx) => {
		const programme = await lockProgramme({ db: tx, programmeId });
		if (!programme) throw caseUnknownProgramme({ programmeId });
		const { kase, persons } = await writeNewCase(
			{
				data,
				programme,
				villages,
				source: 'web_form',
				advisorId: null,
				actorId: null,
				consents: {
					contact: data.consentContact,
					shareWithCommittees: data.consentShareWithCommittees,
					shareWithPartners: data.consentShareWithPartners,
					research: data.consentResearch,
					at: now.toISOString()
				},
				activity: {
					kind: 'application',
					summary: translate('fr', 'case_activity_application_summary'),
					body: offer
						? translate('fr', 'case_activity_application_offer_body', {
								title: offer.title,
								offerId: offer.id
							})
						: null,
					data: {
						messageKey: 'case_activity_application_summary',
						locale,
						...(offer ? { offerId: offer.id, offerTitle: offer.title, offerKind: offer.kind } : {})
					}
				},
				now
			},
			{ db: tx }
		);
		await queueApplicationReceivedMail(
			{
				programmeId: programme.id,
				to: data.email,
				locale,
				firstName: data.firstName,
				programmeName: programme.name,
				reference: kase.reference
			},
			{ db: tx, config }
		);
		return { case: kase, reference: kase.reference, persons };
	});
	log.info(
		{ caseId: result.case.id, programmeId, isPossibleDuplicate: Boolean(result.case.possibleDuplicateOf) },
		'Application received'
	);
	return result;
}

/* ------------------------------------------------------------------ staff entry */

async function assertStaffUser(
	{ programmeId, userId }: { programmeId: string; userId: string },
	{ db }: { db: Db }
): Promise<void> {
	const user = await findUserById({ db, userId });
	if (!user || user.programmeId !== programmeId || (user.role !== 'admin' && user.role !== 'advisor')) {
		throw caseInvalidAdvisor({ userId });
	}
}

/** An advisor opens a case (a phone call, a fair): source 'phone' unless said otherwise. */
export async function createCase(
	{ actor, input }: { actor: Actor; input: CreateCaseInput },
	{ db, now = new Date() }: Deps
): Promise<{ case: Case; persons: Person[] }> {
	assertStaff(actor);
	const parsed = v.safeParse(createCaseSchema, input);
	const record = (input ?? {}) as Record<string, unknown>;
	const { villages, issues: villageIssues } = await resolveVillages(
		{ programmeId: actor.programmeId, keys: parsed.success ? parsed.output.villages : record.villages },
		{ db }
	);
	const issues = [...(parsed.success ? [] : toFieldIssues(parsed.issues)), ...villageIssues];
	if (issues.length || !parsed.success) throw new ValidationError(issues);
	const data = parsed.output;
	const advisorId = data.advisorId === undefined ? actor.userId : data.advisorId;
	return db.transaction(async (tx) => {
		const programme = await lockProgramme({ db: tx, programmeId: actor.programmeId });
		if (!programme) throw caseUnknownProgramme({ programmeId: actor.programmeId });
		if (advisorId) await assertStaffUser({ programmeId: programme.id, userId: advisorId }, { db: tx });
		const isCall = data.source === 'phone';
		const { kase, persons } = await writeNewCase(
			{
				data,
				programme,
				villages,
				source: data.source,
				advisorId,
				actorId: actor.userId,
				consents: {
					contact: data.consentContact,
					shareWithCommittees: data.consentShareWithCommittees,
					shareWithPartners: data.consentShareWithPartners,
					research: data.consentResearch,
					at: now.toISOString()
				},
				activity: {
					kind: isCall ? 'call' : 'note',
					summary: translate(
						actor.locale,
						isCall ? 'case_activity_first_call_summary' : 'case_activity_first_contact_summary'
					),
					body: data.note ?? null
				},
				now
			},
			{ db: tx }
		);
		log.info({ caseId: kase.id, userId: actor.userId, source: kase.source }, 'Case created');
		return { case: kase, persons };
	});
}

/* ------------------------------------------------------------------ reading */

type LoadedCase = {
	kase: Case;
	access: 'staff' | 'committee';
	villages: TargetVillage[];
};

/**
 * The case if the actor may see it, else case.not_found: another programme, a malformed
 * id, a committee member outside its villages or without the household's consent, and
 * every role without access to case files.
 */
async function loadVisibleCase(
	{ actor, caseId, forUpdate = false }: { actor: Actor; caseId: string; forUpdate?: boolean },
	{ db }: { db: Db }
): Promise<LoadedCase> {
	const access = caseAccessOf(actor);
	if (access === 'none' || !v.is(caseIdSchema, caseId)) throw caseNotFound({ caseId });
	const kase = await findCaseById({ db, programmeId: actor.programmeId, caseId, forUpdate });
	if (!kase) throw caseNotFound({ caseId });
	const villages = await findCaseTargetVillages({ db, caseId });
	if (access === 'committee') {
		const memberVillageIds = await findCommitteeVillageIds({
			db,
			programmeId: actor.programmeId,
			userId: actor.userId
		});
		const targetIds = villages.map((village) => village.id);
		if (!canCommitteeSeeCase(kase, targetIds, memberVillageIds)) throw caseNotFound({ caseId });
	}
	return { kase, access, villages };
}

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

/* ------------------------------------------------------------------ pipeline */

/**
 * Moves a case to another stage (staff only). The stage change and its timeline entry
 * are written in the same transaction as the case; see checkStageTransition for the rules.
 */
export async function moveCaseToStage(
	{ actor, caseId, ...input }: { actor: Actor; caseId: string } & MoveCaseInput,
	{ db, now = new Date() }: Deps
): Promise<{ case: Case; stageChange: CaseStageChange }> {
	const data = parseInput(moveCaseSchema, input);
	return db.transaction(async (tx) => {
		const { kase } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertStaff(actor);
		const pipeline = resolvePipeline(await findProgrammePipeline({ db: tx, programmeId: actor.programmeId }));
		const kind = checkStageTransition(pipeline, {
			from: kase.stage,
			to: data.stage,
			reason: data.reason,
			installedCommuneCode: data.installedCommuneCode,
			installedOn: data.installedOn,
			leftOn: data.leftOn,
			current: { installedCommuneCode: kase.installedCommuneCode, installedOn: kase.installedOn }
		});
		if (
			data.installedCommuneCode &&
			!(await findCommuneByCode({ db: tx, code: data.installedCommuneCode }))
		) {
			throw new ValidationError([{ field: 'installedCommuneCode', code: 'case.unknown_commune' }]);
		}
		const values: Partial<typeof casesTable.$inferInsert> = {
			stage: data.stage,
			stageChangedAt: now,
			updatedBy: actor.userId,
			updatedAt: now
		};
		const toIndex = pipeline.stages.indexOf(data.stage);
		if (kind === 'forward' || kind === 'back') {
			if (toIndex >= pipeline.installedIndex) {
				if (data.installedCommuneCode) values.installedCommuneCode = data.installedCommuneCode;
				if (data.installedOn) values.installedOn = data.installedOn;
			} else if (kase.installedOn || kase.installedCommuneCode) {
				// Back before installation: the installation did not happen after all.
				values.installedCommuneCode = null;
				values.installedOn = null;
			}
		}
		if (kind === 'abandon') values.abandonedReason = data.reason ?? null;
		if (kind === 'reopen') values.abandonedReason = null;
		if (kind === 'leave') {
			values.leftOn = data.leftOn ?? null;
			values.leftReason = data.reason ?? null;
		}
		const updated = await updateCase({ db: tx, caseId: kase.id, values });
		const stageChange = await insertStageChange({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				fromStage: kase.stage,
				toStage: data.stage,
				changedAt: now,
				changedBy: actor.userId,
				reason: data.reason ?? null
			}
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: 'stage_change',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, 'case_activity_stage_change_summary', {
					from: translate(actor.locale, `case_stage_${kase.stage}`),
					to: translate(actor.locale, `case_stage_${data.stage}`)
				}),
				body: data.reason ?? null,
				data: {
					from: kase.stage,
					to: data.stage,
					transition: kind,
					...(data.stage === INSTALLED || values.installedOn
						? { installedCommuneCode: updated.installedCommuneCode, installedOn: updated.installedOn }
						: {}),
					...(kind === 'leave' ? { leftOn: data.leftOn } : {})
				}
			}
		});
		log.info(
			{ caseId: kase.id, userId: actor.userId, from: kase.stage, to: data.stage },
			'Case stage changed'
		);
		return { case: updated, stageChange };
	});
}

/* ------------------------------------------------------------------ timeline and assignment */

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
				visibility
			}
		});
		await updateCase({ db: tx, caseId: kase.id, values: { updatedAt: now, updatedBy: actor.userId } });
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
		const updated = await updateCase({
			db: tx,
			caseId: kase.id,
			values: { advisorId, updatedBy: actor.userId, updatedAt: now }
		});
		return { case: updated };
	});
}

/* ------------------------------------------------------------------ tasks */

/** A task, for a case or not; assigned to the actor unless said otherwise. Staff only. */
export async function createTask(
	{ actor, input }: { actor: Actor; input: CreateTaskInput },
	{ db }: Deps
): Promise<{ task: Task }> {
	assertStaff(actor);
	const data = parseInput(createTaskSchema, input);
	const assigneeId = data.assigneeId === undefined ? actor.userId : data.assigneeId;
	return db.transaction(async (tx) => {
		if (data.caseId) await loadVisibleCase({ actor, caseId: data.caseId }, { db: tx });
		if (assigneeId) await assertStaffUser({ programmeId: actor.programmeId, userId: assigneeId }, { db: tx });
		const task = await insertTask({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				caseId: data.caseId ?? null,
				title: data.title,
				dueOn: data.dueOn ?? null,
				assigneeId,
				createdBy: actor.userId
			}
		});
		return { task };
	});
}

/** Marks a task done (once: completing it again keeps the first date). Staff only. */
export async function completeTask(
	{ actor, taskId }: { actor: Actor; taskId: string },
	{ db, now = new Date() }: Deps
): Promise<{ task: Task }> {
	assertStaff(actor);
	if (!v.is(taskIdSchema, taskId)) throw caseTaskNotFound({ taskId });
	const task = await findTaskById({ db, programmeId: actor.programmeId, taskId });
	if (!task) throw caseTaskNotFound({ taskId });
	return { task: await markTaskDone({ db, taskId, at: now }) };
}

/** "My day": the actor's open tasks due on `on` (default today) or before, then undated ones. */
export async function listMyTasks(
	{ actor, on }: { actor: Actor; on?: string },
	{ db, now = new Date() }: Deps
): Promise<{ tasks: TaskWithCase[] }> {
	assertStaff(actor);
	const day = on && /^\d{4}-\d{2}-\d{2}$/.test(on) ? on : isoDay(now);
	return {
		tasks: await findOpenTasksOfAssignee({
			db,
			programmeId: actor.programmeId,
			assigneeId: actor.userId,
			on: day
		})
	};
}

/** The actor's open tasks of one case, then its done tasks. Staff only. */
export async function listCaseTasks(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ tasks: Task[]; assignees: Record<string, string> }> {
	const { kase } = await loadVisibleCase({ actor, caseId }, { db });
	assertStaff(actor);
	const tasks = await findTasksOfCase({ db, programmeId: actor.programmeId, caseId: kase.id });
	const assignees = await findUserNames({
		db,
		programmeId: actor.programmeId,
		userIds: tasks.flatMap((task) => (task.assigneeId ? [task.assigneeId] : []))
	});
	return { tasks, assignees };
}

/* ------------------------------------------------------------------ back-office options */

export type CaseOptions = {
	pipeline: Pick<Pipeline, 'stages' | 'exits' | 'labels'>;
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
			pipeline: { stages: pipeline.stages, exits: pipeline.exits, labels: pipeline.labels },
			advisors: [],
			villages: villages.filter((village) => own.includes(village.id)),
			departements: []
		};
	}
	return {
		pipeline: { stages: pipeline.stages, exits: pipeline.exits, labels: pipeline.labels },
		advisors: await findProgrammeStaff({ db, programmeId: actor.programmeId }),
		villages,
		departements: await findProgrammeDepartements({ db, programmeId: actor.programmeId })
	};
}

/** The stages a case may move to next, in pipeline order (empty for committee members). */
export async function listAllowedStages(
	{ actor, stages }: { actor: Actor; stages: readonly string[] },
	{ db }: Deps
): Promise<Record<string, string[]>> {
	if (caseAccessOf(actor) !== 'staff') return {};
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	return Object.fromEntries([...new Set(stages)].map((stage) => [stage, allowedNextStages(pipeline, stage)]));
}

/* ------------------------------------------------------------------ board */

export type CaseBoardColumn = { stage: string; total: number; cases: CaseListItem[] };

/**
 * The pipeline board: one column per stage (exits last), each with its most recently
 * changed cases (at most `perColumn`, `perClosedColumn` from installation on) and its
 * total; filters as for the list.
 */
export async function getCaseBoard(
	{
		actor,
		filters = {},
		perColumn = 25,
		perClosedColumn = 6
	}: {
		actor: Actor;
		filters?: Omit<CaseListFilters, 'stages'>;
		perColumn?: number;
		/** Installed, integrated and the exits hold the programme's whole history: show the latest only. */
		perClosedColumn?: number;
	},
	{ db }: Deps
): Promise<{ columns: CaseBoardColumn[] }> {
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const columns: CaseBoardColumn[] = [];
	for (const stage of [...pipeline.stages, ...pipeline.exits]) {
		const { cases, total } = await listCases(
			{
				actor,
				filters: { ...filters, stages: [stage] },
				limit: isOpenStage(pipeline, stage) ? perColumn : perClosedColumn
			},
			{ db }
		);
		columns.push({ stage, total, cases });
	}
	return { columns };
}

/* ------------------------------------------------------------------ dashboard */

export type CaseDashboard = {
	/** Open pipeline: cases per stage before installation, in pipeline order. */
	open: { stage: string; count: number }[];
	openTotal: number;
	/** Installed and later stages, then the exits. */
	closed: { stage: string; count: number }[];
	overdueTasks: { all: number; mine: number };
	/** Cases opened over the last 7 days, and how many came through the web form. */
	newCases: { all: number; webForm: number; since: string };
};

/** The advisors' dashboard figures: the open pipeline by stage, overdue tasks, new cases this week. Staff only. */
export async function getCaseDashboard(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<CaseDashboard> {
	assertStaff(actor);
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const byStage = await countCasesByStage({ db, programmeId: actor.programmeId });
	const open = pipeline.stages
		.filter((stage) => isOpenStage(pipeline, stage))
		.map((stage) => ({ stage, count: byStage[stage] ?? 0 }));
	const closed = [...pipeline.stages.filter((stage) => !isOpenStage(pipeline, stage)), ...pipeline.exits].map(
		(stage) => ({ stage, count: byStage[stage] ?? 0 })
	);
	const since = new Date(now.getTime() - 7 * 86_400_000);
	return {
		open,
		openTotal: open.reduce((sum, column) => sum + column.count, 0),
		closed,
		overdueTasks: await countOverdueTasks({
			db,
			programmeId: actor.programmeId,
			day: isoDay(now),
			assigneeId: actor.userId
		}),
		newCases: {
			...(await countCasesCreatedSince({ db, programmeId: actor.programmeId, since })),
			since: since.toISOString()
		}
	};
}

export type StageMove = {
	stage: string;
	/** Fields the move needs beyond the stage: reason, installedCommuneCode, installedOn, leftOn. */
	needs: string[];
};

/** The stages a case may move to, each with the details the move requires. Staff only. */
export async function listStageMoves(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ moves: StageMove[] }> {
	const { kase } = await loadVisibleCase({ actor, caseId }, { db });
	assertStaff(actor);
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const moves = allowedNextStages(pipeline, kase.stage).map((stage) => {
		try {
			checkStageTransition(pipeline, {
				from: kase.stage,
				to: stage,
				current: { installedCommuneCode: kase.installedCommuneCode, installedOn: kase.installedOn }
			});
			return { stage, needs: [] };
		} catch (err) {
			if (err instanceof ValidationError) return { stage, needs: err.issues.map((issue) => issue.field) };
			throw err;
		}
	});
	return { moves };
}
