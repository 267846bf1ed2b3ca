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
import { findUserInProgramme } from '../account/account.repository.ts';
import { insertAuditEntries, repointCaseAudit } from '../audit/audit.repository.ts';
import { AUDIT_IGNORED_FIELDS, diffFields, hasChanges } from '../audit/audit.rules.ts';
import { queueMail } from '../mail/mail.service.ts';
import { findOfferRows } from '../offer/offer.repository.ts';
import { offerIdSchema } from '../offer/offer.schemas.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import {
	caseEditForbidden,
	caseInvalidAdvisor,
	caseLastAdult,
	caseMergePersonsOtherCase,
	caseMergeSame,
	caseNotFound,
	casePersonNotFound,
	caseTaskNotFound,
	caseUnknownProgramme
} from './case.errors.ts';
import { buildCommitteeNotificationMail, queueApplicationReceivedMail } from './case.mails.ts';
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
	updateCase as updateCaseRow,
	countCaseHistory,
	deleteCase,
	deletePerson,
	deleteTargetVillages,
	findCaseMerge,
	findCaseReferences,
	findCommitteeRecipients,
	findDuplicatePairs,
	findOfferVillage,
	findPersonById,
	findProgrammeName,
	findProposableOffers,
	insertCaseMerge,
	moveTargetVillages,
	repointCaseReference,
	updatePerson as updatePersonRow,
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
	type DuplicatePair,
	type TargetVillage,
	type TaskWithCase
} from './case.repository.ts';
import {
	allowedNextStages,
	checkStageFields,
	checkStageTransition,
	fillBlanks,
	matchPersons,
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
	personIdSchema,
	personSchema,
	targetVillagesSchema,
	taskIdSchema,
	updateCaseSchema,
	type AddActivityInput,
	type ApplicationData,
	type ApplicationInput,
	type CreateCaseData,
	type CreateCaseInput,
	type CreateTaskInput,
	type ListCasesInput,
	type MoveCaseInput,
	type PersonInput,
	type UpdateCaseInput
} from './case.schemas.ts';

const log = createLogger({ namespace: 'case:service' });

type Deps = { db: Db; now?: Date };

/**
 * What committee notifications need: SMTP (without it, mails stay held in the outbox)
 * and the public origin for the link to the case.
 */
type MailConfig = Pick<Config, 'smtpUrl'> & Partial<Pick<Config, 'origin' | 'port'>>;

/* ------------------------------------------------------------------ audit */

/** Who an audit entry names: a user, or the web form / an import (no user). */
type AuditAuthor = { id: string | null; label: string };

const authorOf = (actor: Actor): AuditAuthor => ({ id: actor.userId, label: actor.name || actor.email });
const WEB_FORM_AUTHOR: AuditAuthor = { id: null, label: 'web_form' };

/** Case columns that change with every move and say nothing by themselves. */
const CASE_AUDIT_IGNORED = [...AUDIT_IGNORED_FIELDS, 'stageChangedAt'];

/**
 * Writes one audit entry in the caller's transaction with only the changed fields; an
 * update that changes nothing writes nothing.
 */
async function writeAudit(
	{
		programmeId,
		caseId,
		entityType,
		entityId,
		action,
		author,
		at,
		before,
		after,
		extra
	}: {
		programmeId: string;
		caseId: string;
		entityType: 'case' | 'person';
		entityId: string;
		action: 'create' | 'update' | 'delete' | 'merge' | 'stage_change' | 'assign' | 'target_villages';
		author: AuditAuthor;
		at: Date;
		before: Record<string, unknown> | null;
		after: Record<string, unknown> | null;
		/** Fields to record as they are, whether they changed or not (e.g. what a merge absorbed). */
		extra?: { before?: Record<string, unknown>; after?: Record<string, unknown> };
	},
	{ db }: { db: Db }
): Promise<void> {
	const change = diffFields(before, after, entityType === 'case' ? CASE_AUDIT_IGNORED : AUDIT_IGNORED_FIELDS);
	if (extra) {
		Object.assign(change.before, extra.before);
		Object.assign(change.after, extra.after);
	}
	if (!hasChanges(change) && action !== 'create' && action !== 'delete') return;
	await insertAuditEntries({
		db,
		entries: [
			{
				programmeId,
				caseId,
				entityType,
				entityId,
				action,
				actorId: author.id,
				actorLabel: author.label,
				at,
				before: change.before,
				after: change.after
			}
		]
	});
}

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
): Promise<{ villages: { id: string; slug: string; communeCode: string }[]; issues: FieldIssue[] }> {
	if (!Array.isArray(keys)) return { villages: [], issues: [] };
	const wanted = keys.map((key) => (typeof key === 'string' ? key.trim() : ''));
	const found = await findVillagesByKeys({ db, programmeId, keys: wanted.filter(Boolean) });
	const issues: FieldIssue[] = [];
	const villages = new Map<string, { id: string; slug: string; communeCode: string }>();
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
		author,
		now
	}: {
		author: AuditAuthor;
		data: HouseholdData;
		programme: { id: string; slug: string; pipeline: Parameters<typeof resolvePipeline>[0] };
		villages: { id: string; slug: string; communeCode: string }[];
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
		phones: data.phone ? [data.phone] : [],
		names: data.birthYear
			? [{ firstName: data.firstName, lastName: data.lastName, birthYear: data.birthYear }]
			: []
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
	const slugs = villages.map((village) => village.slug).sort();
	await writeAudit(
		{
			programmeId: programme.id,
			caseId: kase.id,
			entityType: 'case',
			entityId: kase.id,
			action: 'create',
			author,
			at: now,
			before: null,
			after: { ...kase, targetVillages: slugs }
		},
		{ db }
	);
	for (const person of persons) {
		await writeAudit(
			{
				programmeId: programme.id,
				caseId: kase.id,
				entityType: 'person',
				entityId: person.id,
				action: 'create',
				author,
				at: now,
				before: null,
				after: person
			},
			{ db }
		);
	}
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
	village: { id: string; slug: string; communeCode: string } | null;
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
		village: village ? { id: village.id, slug: village.slug, communeCode: village.communeCode } : null
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
				author: WEB_FORM_AUTHOR,
				now
			},
			{ db: tx }
		);
		await notifyCommittees(
			{
				kase,
				persons,
				villageIds: villages.map((village) => village.id),
				programmeName: programme.name,
				actorId: null,
				locale: 'fr',
				now
			},
			{ db: tx, config }
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
	const user = await findUserInProgramme({ db, programmeId, userId });
	if (!user || (user.role !== 'admin' && user.role !== 'advisor')) {
		throw caseInvalidAdvisor({ userId });
	}
}

/** An advisor opens a case (a phone call, a fair): source 'phone' unless said otherwise. */
export async function createCase(
	{ actor, input }: { actor: Actor; input: CreateCaseInput },
	{ db, config = { smtpUrl: undefined }, now = new Date() }: Deps & { config?: MailConfig }
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
				author: authorOf(actor),
				now
			},
			{ db: tx }
		);
		await notifyCommittees(
			{
				kase,
				persons,
				villageIds: villages.map((village) => village.id),
				programmeName: programme.name,
				actorId: actor.userId,
				locale: actor.locale,
				now
			},
			{ db: tx, config }
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
		const updated = await updateCaseRow({ db: tx, caseId: kase.id, values });
		await writeAudit(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: 'case',
				entityId: kase.id,
				action: 'stage_change',
				author: authorOf(actor),
				at: now,
				before: kase,
				after: updated
			},
			{ db: tx }
		);
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
					// The programme's own stage names (programme settings) come first.
					from:
						pipeline.labels?.[kase.stage]?.[actor.locale] ||
						translate(actor.locale, `case_stage_${kase.stage}`),
					to:
						pipeline.labels?.[data.stage]?.[actor.locale] ||
						translate(actor.locale, `case_stage_${data.stage}`)
				}),
				body: data.reason ?? null,
				data: {
					from: kase.stage,
					to: data.stage,
					transition: kind,
					...(pipeline.milestones[data.stage] === INSTALLED || values.installedOn
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
		await writeAudit(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: 'case',
				entityId: kase.id,
				action: 'assign',
				author: authorOf(actor),
				at: now,
				before: { advisorId: kase.advisorId },
				after: { advisorId: updated.advisorId }
			},
			{ db: tx }
		);
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

/* ------------------------------------------------------------------ committee notification */

/**
 * Tells the committees of villages a case newly targets: one mail per member of each
 * partner village (in their language, French by default), with the household's details
 * only when it agreed to share with committees, and a staff timeline entry per village.
 * Runs in the caller's transaction: nothing leaves unless the case is committed.
 */
async function notifyCommittees(
	{
		kase,
		persons,
		villageIds,
		programmeName,
		actorId,
		locale,
		now
	}: {
		kase: Case;
		persons: Person[];
		villageIds: string[];
		programmeName: string;
		actorId: string | null;
		locale: Locale;
		now: Date;
	},
	{ db, config }: { db: Db; config: MailConfig }
): Promise<{ notified: number }> {
	const recipients = await findCommitteeRecipients({ db, programmeId: kase.programmeId, villageIds });
	const origin = (config.origin ?? (config.port ? `http://localhost:${config.port}` : '')).replace(/\/$/, '');
	const year = now.getUTCFullYear();
	const byVillage = new Map<string, typeof recipients>();
	for (const recipient of recipients) {
		byVillage.set(recipient.villageId, [...(byVillage.get(recipient.villageId) ?? []), recipient]);
	}
	for (const [villageId, members] of byVillage) {
		for (const member of members) {
			const mail = buildCommitteeNotificationMail({
				locale: member.locale ?? 'fr',
				memberName: member.name,
				villageName: member.villageName,
				programmeName,
				kase,
				persons,
				year,
				caseUrl: origin ? `${origin}/backoffice/cases/${kase.id}` : null
			});
			await queueMail(
				{
					programmeId: kase.programmeId,
					caseId: kase.id,
					kind: 'case.committee_notified',
					to: member.email,
					...mail
				},
				{ db, config }
			);
		}
		await insertActivity({
			db,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: 'note',
				occurredAt: now,
				authorId: actorId,
				summary: translate(locale, 'caseedit_activity_committee_notified', {
					village: members[0].villageName,
					count: members.length
				}),
				data: {
					messageKey: 'caseedit_activity_committee_notified',
					villageId,
					recipients: members.length,
					sharedDetails: kase.consents.shareWithCommittees
				}
			}
		});
	}
	if (recipients.length) log.info({ caseId: kase.id, recipients: recipients.length }, 'Committees notified');
	return { notified: recipients.length };
}

/* ------------------------------------------------------------------ editing */

/** Only staff change a case file; committee members are told why (they may see it, so not not_found). */
function assertCanEdit(actor: Actor, access: 'staff' | 'committee'): void {
	if (access !== 'staff') throw caseEditForbidden({ userId: actor.userId });
}

/** Keys the caller gave: a key left out of the input is not changed. */
const givenKeys = (input: unknown) => new Set(Object.keys((input ?? {}) as Record<string, unknown>));

function compactNeeds<T extends Record<string, unknown>>(needs: T): Partial<T> {
	return Object.fromEntries(
		Object.entries(needs).filter(([, value]) => value !== undefined && value !== false)
	) as Partial<T>;
}

/**
 * Edits the case file (staff only): source, wished area, timeline, needs, intake answers,
 * consents (their date moves when they change), installation, business, departure and
 * abandon details. The stage-dependent fields must fit the current stage (checkStageFields).
 * One transaction with its audit entry.
 */
export async function updateCase(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: UpdateCaseInput },
	{ db, now = new Date() }: Deps
): Promise<{ case: Case }> {
	const given = givenKeys(input);
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		// The right first: a committee member is told they may not edit, whatever they typed.
		assertCanEdit(actor, access);
		const data = parseInput(updateCaseSchema, input);
		const values: Partial<typeof casesTable.$inferInsert> = { updatedAt: now, updatedBy: actor.userId };
		const nullable = [
			'wishedArea',
			'timeline',
			'wouldMoveWithoutProgramme',
			'howHeard',
			'installedCommuneCode',
			'installedOn',
			'businessSiret',
			'businessCreatedOn',
			'businessClosedOn',
			'leftOn',
			'leftReason',
			'abandonedReason'
		] as const;
		for (const key of nullable) {
			if (given.has(key)) (values as Record<string, unknown>)[key] = data[key] ?? null;
		}
		if (given.has('source') && data.source) values.source = data.source;
		if (given.has('needs') && data.needs) values.needs = compactNeeds(data.needs) as CaseNeeds;
		const consentKeys = {
			consentContact: 'contact',
			consentShareWithCommittees: 'shareWithCommittees',
			consentShareWithPartners: 'shareWithPartners',
			consentResearch: 'research'
		} as const;
		if (Object.keys(consentKeys).some((key) => given.has(key))) {
			const consents = { ...kase.consents };
			for (const [key, field] of Object.entries(consentKeys) as [keyof typeof consentKeys, string][]) {
				if (given.has(key)) (consents as Record<string, unknown>)[field] = data[key] === true;
			}
			const changed = (['contact', 'shareWithCommittees', 'shareWithPartners', 'research'] as const).some(
				(field) => consents[field] !== kase.consents[field]
			);
			if (changed) values.consents = { ...consents, at: now.toISOString() };
		}
		const pipeline = resolvePipeline(await findProgrammePipeline({ db: tx, programmeId: actor.programmeId }));
		const pick = <K extends keyof typeof values & keyof Case>(key: K) =>
			(key in values ? values[key] : kase[key]) as string | null;
		const issues = checkStageFields(pipeline, kase.stage, {
			installedCommuneCode: pick('installedCommuneCode'),
			installedOn: pick('installedOn'),
			leftOn: pick('leftOn'),
			leftReason: pick('leftReason'),
			abandonedReason: pick('abandonedReason'),
			businessCreatedOn: pick('businessCreatedOn'),
			businessClosedOn: pick('businessClosedOn')
		});
		if (
			values.installedCommuneCode &&
			values.installedCommuneCode !== kase.installedCommuneCode &&
			!(await findCommuneByCode({ db: tx, code: values.installedCommuneCode }))
		) {
			issues.push({ field: 'installedCommuneCode', code: 'case.unknown_commune' });
		}
		if (issues.length) throw new ValidationError(issues);
		const updated = await updateCaseRow({ db: tx, caseId: kase.id, values });
		await writeAudit(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: 'case',
				entityId: kase.id,
				action: 'update',
				author: authorOf(actor),
				at: now,
				before: kase,
				after: updated
			},
			{ db: tx }
		);
		log.info({ caseId: kase.id, userId: actor.userId }, 'Case updated');
		return { case: updated };
	});
}

const ADULT_ROLES = ['candidate', 'partner', 'other'];

/** Values of a person from the form, for the keys given. */
function personValues(
	data: v.InferOutput<typeof personSchema>,
	given: Set<string>
): Partial<typeof personsTable.$inferInsert> {
	const values: Partial<typeof personsTable.$inferInsert> = {};
	const nullable = [
		'firstName',
		'lastName',
		'email',
		'phone',
		'birthYear',
		'profession',
		'status',
		'sector',
		'pcs',
		'originCountry',
		'originArea'
	] as const;
	for (const key of nullable) {
		if (given.has(key)) (values as Record<string, unknown>)[key] = data[key] ?? null;
	}
	if (given.has('householdRole')) values.householdRole = data.householdRole;
	if (given.has('languages')) values.languages = [...new Set(data.languages)];
	if (given.has('needs')) values.needs = compactNeeds(data.needs);
	return values;
}

/** The candidate is named: staff follow them by name. */
function personIssues(person: Pick<Person, 'householdRole' | 'firstName' | 'lastName'>): FieldIssue[] {
	if (person.householdRole !== 'candidate') return [];
	const issues: FieldIssue[] = [];
	if (!person.firstName) issues.push({ field: 'firstName', code: 'case.first_name_required' });
	if (!person.lastName) issues.push({ field: 'lastName', code: 'case.last_name_required' });
	return issues;
}

/**
 * Flags the case when a person now matches another case (same email, phone, or name and
 * birth year), unless it is already flagged. Returns the values to write on the case.
 */
async function duplicateFlagFor(
	{ kase, person }: { kase: Case; person: Person },
	{ db }: { db: Db }
): Promise<Partial<typeof casesTable.$inferInsert>> {
	if (kase.possibleDuplicateOf) return {};
	const duplicate = await findDuplicateCaseId({
		db,
		programmeId: kase.programmeId,
		emails: person.email ? [person.email] : [],
		phones: person.phone ? [person.phone] : [],
		names:
			person.firstName && person.lastName && person.birthYear
				? [{ firstName: person.firstName, lastName: person.lastName, birthYear: person.birthYear }]
				: [],
		excludeCaseId: kase.id
	});
	return duplicate ? { possibleDuplicateOf: duplicate } : {};
}

/** Writes the case's "last changed" (and a new duplicate flag) after a change to its household. */
async function touchCase(
	{ kase, actor, now, values = {} }: { kase: Case; actor: Actor; now: Date; values?: Partial<Case> },
	{ db }: { db: Db }
): Promise<void> {
	const updated = await updateCaseRow({
		db,
		caseId: kase.id,
		values: { ...values, updatedAt: now, updatedBy: actor.userId }
	});
	if (values.possibleDuplicateOf) {
		await writeAudit(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: 'case',
				entityId: kase.id,
				action: 'update',
				author: authorOf(actor),
				at: now,
				before: { possibleDuplicateOf: kase.possibleDuplicateOf },
				after: { possibleDuplicateOf: updated.possibleDuplicateOf }
			},
			{ db }
		);
	}
}

/** Adds a person to the household (staff only). A household has one candidate. */
export async function addPerson(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: PersonInput },
	{ db, now = new Date() }: Deps
): Promise<{ person: Person }> {
	const given = givenKeys(input);
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const data = parseInput(personSchema, input);
		const values = personValues(data, given);
		const issues = personIssues({
			householdRole: data.householdRole,
			firstName: values.firstName ?? null,
			lastName: values.lastName ?? null
		});
		const household = await findCasePersons({ db: tx, caseId: kase.id });
		if (data.householdRole === 'candidate' && household.some((p) => p.householdRole === 'candidate')) {
			issues.push({ field: 'householdRole', code: 'case.one_candidate' });
		}
		if (issues.length) throw new ValidationError(issues);
		const [person] = await insertPersons({
			db: tx,
			persons: [
				{
					...values,
					programmeId: kase.programmeId,
					caseId: kase.id,
					householdRole: data.householdRole,
					createdAt: now,
					updatedAt: now
				}
			]
		});
		await writeAudit(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: 'person',
				entityId: person.id,
				action: 'create',
				author: authorOf(actor),
				at: now,
				before: null,
				after: person
			},
			{ db: tx }
		);
		await touchCase(
			{ kase, actor, now, values: await duplicateFlagFor({ kase, person }, { db: tx }) },
			{ db: tx }
		);
		return { person };
	});
}

async function loadPerson(
	{ actor, kase, personId }: { actor: Actor; kase: Case; personId: string },
	{ db }: { db: Db }
): Promise<Person> {
	if (!v.is(personIdSchema, personId)) throw casePersonNotFound({ personId });
	const person = await findPersonById({ db, programmeId: actor.programmeId, personId });
	if (!person || person.caseId !== kase.id) throw casePersonNotFound({ personId });
	return person;
}

/** A person of the household as staff see and edit it (staff only). */
export async function getPerson(
	{ actor, caseId, personId }: { actor: Actor; caseId: string; personId: string },
	{ db }: Deps
): Promise<{ case: Case; person: Person }> {
	const { kase, access } = await loadVisibleCase({ actor, caseId }, { db });
	assertCanEdit(actor, access);
	return { case: kase, person: await loadPerson({ actor, kase, personId }, { db }) };
}

/**
 * Edits a person of the household (staff only): the keys given are changed. The
 * candidate keeps the role and a name; nobody else becomes a second candidate.
 */
export async function updatePerson(
	{
		actor,
		caseId,
		personId,
		input
	}: { actor: Actor; caseId: string; personId: string; input: Partial<PersonInput> },
	{ db, now = new Date() }: Deps
): Promise<{ person: Person }> {
	const given = givenKeys(input);
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const person = await loadPerson({ actor, kase, personId }, { db: tx });
		const data = parseInput(personSchema, { householdRole: person.householdRole, ...input });
		const values = personValues(data, given);
		const role = values.householdRole ?? person.householdRole;
		const issues = personIssues({
			householdRole: role,
			firstName: given.has('firstName') ? (values.firstName ?? null) : person.firstName,
			lastName: given.has('lastName') ? (values.lastName ?? null) : person.lastName
		});
		if (role !== person.householdRole && (role === 'candidate' || person.householdRole === 'candidate')) {
			issues.push({ field: 'householdRole', code: 'case.one_candidate' });
		}
		if (issues.length) throw new ValidationError(issues);
		const updated = await updatePersonRow({
			db: tx,
			personId: person.id,
			values: { ...values, updatedAt: now }
		});
		await writeAudit(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: 'person',
				entityId: person.id,
				action: 'update',
				author: authorOf(actor),
				at: now,
				before: person,
				after: updated
			},
			{ db: tx }
		);
		await touchCase(
			{ kase, actor, now, values: await duplicateFlagFor({ kase, person: updated }, { db: tx }) },
			{ db: tx }
		);
		return { person: updated };
	});
}

/**
 * Removes a person from the household (staff only); the history keeps what they were.
 * The candidate may go only when another adult remains, who becomes the candidate
 * (the partner first).
 */
export async function removePerson(
	{ actor, caseId, personId }: { actor: Actor; caseId: string; personId: string },
	{ db, now = new Date() }: Deps
): Promise<{ promoted: Person | null }> {
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const person = await loadPerson({ actor, kase, personId }, { db: tx });
		let promoted: Person | null = null;
		if (person.householdRole === 'candidate') {
			const household = await findCasePersons({ db: tx, caseId: kase.id });
			const next =
				household.find((p) => p.householdRole === 'partner') ??
				household.find((p) => p.id !== person.id && ADULT_ROLES.includes(p.householdRole));
			if (!next) throw caseLastAdult({ caseId: kase.id, personId });
			promoted = await updatePersonRow({
				db: tx,
				personId: next.id,
				values: { householdRole: 'candidate', updatedAt: now }
			});
			await writeAudit(
				{
					programmeId: kase.programmeId,
					caseId: kase.id,
					entityType: 'person',
					entityId: next.id,
					action: 'update',
					author: authorOf(actor),
					at: now,
					before: next,
					after: promoted
				},
				{ db: tx }
			);
		}
		await deletePerson({ db: tx, personId: person.id });
		await writeAudit(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: 'person',
				entityId: person.id,
				action: 'delete',
				author: authorOf(actor),
				at: now,
				before: person,
				after: null
			},
			{ db: tx }
		);
		await touchCase({ kase, actor, now }, { db: tx });
		return { promoted };
	});
}

/**
 * Sets the partner villages a case targets (ids or slugs; staff only). The committees of
 * villages it newly targets are notified; villages already targeted are not told again.
 */
export async function setTargetVillages(
	{ actor, caseId, villages: keys }: { actor: Actor; caseId: string; villages: string[] },
	{ db, config = { smtpUrl: undefined }, now = new Date() }: Deps & { config?: MailConfig }
): Promise<{ villages: TargetVillage[]; added: string[]; removed: string[]; notified: number }> {
	const parsed = v.safeParse(targetVillagesSchema, keys);
	if (!parsed.success)
		throw new ValidationError(
			toFieldIssues(parsed.issues).map((i) => ({ ...i, field: `villages${i.field ? `.${i.field}` : ''}` }))
		);
	return db.transaction(async (tx) => {
		const {
			kase,
			access,
			villages: current
		} = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const { villages: wanted, issues } = await resolveVillages(
			{ programmeId: actor.programmeId, keys: parsed.output },
			{ db: tx }
		);
		if (issues.length) throw new ValidationError(issues);
		const currentIds = current.map((village) => village.id);
		const added = wanted.filter((village) => !currentIds.includes(village.id));
		const removed = current.filter((village) => !wanted.some((w) => w.id === village.id));
		await insertTargetVillages({ db: tx, caseId: kase.id, villageIds: added.map((village) => village.id) });
		await deleteTargetVillages({ db: tx, caseId: kase.id, villageIds: removed.map((village) => village.id) });
		const communes = [
			...new Set([...kase.wishedCommuneCodes, ...added.map((village) => village.communeCode)])
		];
		const updated = await updateCaseRow({
			db: tx,
			caseId: kase.id,
			values: { wishedCommuneCodes: communes, updatedAt: now, updatedBy: actor.userId }
		});
		await writeAudit(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: 'case',
				entityId: kase.id,
				action: 'target_villages',
				author: authorOf(actor),
				at: now,
				before: {
					targetVillages: current.map((village) => village.slug).sort(),
					wishedCommuneCodes: kase.wishedCommuneCodes
				},
				after: {
					targetVillages: wanted.map((village) => village.slug).sort(),
					wishedCommuneCodes: updated.wishedCommuneCodes
				}
			},
			{ db: tx }
		);
		const { notified } = await notifyCommittees(
			{
				kase: updated,
				persons: await findCasePersons({ db: tx, caseId: kase.id }),
				villageIds: added.map((village) => village.id),
				programmeName: await findProgrammeName({ db: tx, programmeId: kase.programmeId }),
				actorId: actor.userId,
				locale: actor.locale,
				now
			},
			{ db: tx, config }
		);
		return {
			villages: await findCaseTargetVillages({ db: tx, caseId: kase.id }),
			added: added.map((village) => village.id),
			removed: removed.map((village) => village.id),
			notified
		};
	});
}

/* ------------------------------------------------------------------ duplicates and merge */

/** Cases flagged as possible duplicates, with the case each one resembles (staff only). */
export async function listDuplicates(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ pairs: DuplicatePair[] }> {
	assertStaff(actor);
	return { pairs: await findDuplicatePairs({ db, programmeId: actor.programmeId }) };
}

/** "Not a duplicate": clears the flag of a case (staff only), with its audit entry. */
export async function dismissDuplicate(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db, now = new Date() }: Deps
): Promise<{ case: Case }> {
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const updated = await updateCaseRow({
			db: tx,
			caseId: kase.id,
			values: { possibleDuplicateOf: null, updatedAt: now, updatedBy: actor.userId }
		});
		await writeAudit(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				entityType: 'case',
				entityId: kase.id,
				action: 'update',
				author: authorOf(actor),
				at: now,
				before: kase,
				after: updated
			},
			{ db: tx }
		);
		return { case: updated };
	});
}

/** Where an absorbed case went: its id or reference → the kept case's id (null when not merged). */
export async function resolveMergedCase(
	{ actor, key }: { actor: Actor; key: string },
	{ db }: Deps
): Promise<{ caseId: string } | null> {
	if (caseAccessOf(actor) === 'none' || !key || key.length > 100) return null;
	const merge = await findCaseMerge({ db, programmeId: actor.programmeId, key });
	return merge ? { caseId: merge.keptCaseId } : null;
}

type MergeSide = {
	case: Case;
	persons: Person[];
	villages: TargetVillage[];
	history: { activities: number; stageChanges: number; tasks: number };
};

/** The two cases side by side and the persons that will be merged into one (staff only). */
export async function getMergePreview(
	{ actor, keepCaseId, absorbCaseId }: { actor: Actor; keepCaseId: string; absorbCaseId: string },
	{ db }: Deps
): Promise<{
	keep: MergeSide;
	absorb: MergeSide;
	pairs: { keepPersonId: string; absorbPersonId: string }[];
}> {
	assertStaff(actor);
	if (keepCaseId === absorbCaseId) throw caseMergeSame({ caseId: keepCaseId });
	const side = async (caseId: string): Promise<MergeSide> => {
		const { kase, villages } = await loadVisibleCase({ actor, caseId }, { db });
		return {
			case: kase,
			persons: await findCasePersons({ db, caseId: kase.id }),
			villages,
			history: await countCaseHistory({ db, caseId: kase.id })
		};
	};
	const keep = await side(keepCaseId);
	const absorb = await side(absorbCaseId);
	const pairs = matchPersons(keep.persons, absorb.persons).map((pair) => ({
		keepPersonId: pair.keep.id,
		absorbPersonId: pair.absorb.id
	}));
	return { keep, absorb, pairs };
}

/** Case columns a merge never takes from the absorbed case. */
const CASE_MERGE_SKIP = [
	'id',
	'programmeId',
	'reference',
	'stage',
	'stageChangedAt',
	'consents',
	'possibleDuplicateOf',
	'createdAt',
	'updatedAt',
	'createdBy',
	'updatedBy',
	'isDemo'
];
const PERSON_MERGE_SKIP = [
	'id',
	'programmeId',
	'caseId',
	'householdRole',
	'createdAt',
	'updatedAt',
	'isDemo',
	'searchName'
];

/**
 * Merges person `absorb` into person `keep` in the caller's transaction: the kept
 * person's values stay, its blanks are filled, anything referencing the absorbed person
 * follows, and the absorbed person is deleted with an audit entry keeping what it held.
 */
async function mergePersonRows(
	{
		keep,
		absorb,
		caseId,
		author,
		now
	}: { keep: Person; absorb: Person; caseId: string; author: AuditAuthor; now: Date },
	{ db }: { db: Db }
): Promise<Person> {
	const values: Partial<Person> = fillBlanks(keep, absorb, PERSON_MERGE_SKIP);
	if (absorb.householdRole === 'candidate' && keep.householdRole !== 'candidate')
		values.householdRole = 'candidate';
	for (const ref of await findCaseReferences({ db, table: 'persons' })) {
		await repointCaseReference({
			db,
			table: ref.table,
			column: ref.column,
			fromCaseId: absorb.id,
			toCaseId: keep.id
		});
	}
	await deletePerson({ db, personId: absorb.id });
	const merged = Object.keys(values).length
		? await updatePersonRow({ db, personId: keep.id, values: { ...values, updatedAt: now } })
		: keep;
	await writeAudit(
		{
			programmeId: keep.programmeId,
			caseId,
			entityType: 'person',
			entityId: absorb.id,
			action: 'merge',
			author,
			at: now,
			before: absorb,
			after: null,
			extra: { after: { mergedInto: keep.id } }
		},
		{ db }
	);
	await writeAudit(
		{
			programmeId: keep.programmeId,
			caseId,
			entityType: 'person',
			entityId: keep.id,
			action: 'merge',
			author,
			at: now,
			before: keep,
			after: merged,
			extra: { after: { absorbedPerson: absorb.id } }
		},
		{ db }
	);
	return merged;
}

/**
 * Merges two persons of the same household into one (staff only): see mergePersonRows.
 * To merge persons of two households, merge the cases.
 */
export async function mergePersons(
	{
		actor,
		caseId,
		keepPersonId,
		absorbPersonId
	}: { actor: Actor; caseId: string; keepPersonId: string; absorbPersonId: string },
	{ db, now = new Date() }: Deps
): Promise<{ person: Person }> {
	if (keepPersonId === absorbPersonId) throw caseMergeSame({ personId: keepPersonId });
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const keep = await loadPerson({ actor, kase, personId: keepPersonId }, { db: tx });
		if (!v.is(personIdSchema, absorbPersonId)) throw casePersonNotFound({ personId: absorbPersonId });
		const absorb = await findPersonById({ db: tx, programmeId: actor.programmeId, personId: absorbPersonId });
		if (!absorb) throw casePersonNotFound({ personId: absorbPersonId });
		if (absorb.caseId !== kase.id) throw caseMergePersonsOtherCase({ personId: absorbPersonId });
		const person = await mergePersonRows(
			{ keep, absorb, caseId: kase.id, author: authorOf(actor), now },
			{ db: tx }
		);
		await touchCase({ kase, actor, now }, { db: tx });
		return { person };
	});
}

/**
 * Merges case `absorbCaseId` into case `keepCaseId` (staff only, same programme: another
 * programme's case is not found). In one transaction: the same persons are merged, the
 * others move; the timeline, stage changes, tasks, target villages and every other row
 * referencing the absorbed case move to the kept one; its blanks are filled from the
 * absorbed case; the history of changes follows; a timeline entry and audit entries say
 * what happened; the absorbed case is deleted and its id and reference lead to the kept one.
 */
export async function mergeCases(
	{ actor, keepCaseId, absorbCaseId }: { actor: Actor; keepCaseId: string; absorbCaseId: string },
	{ db, now = new Date() }: Deps
): Promise<{ case: Case; moved: Record<string, number> }> {
	assertStaff(actor);
	if (keepCaseId === absorbCaseId) throw caseMergeSame({ caseId: keepCaseId });
	return db.transaction(async (tx) => {
		const { kase: keep } = await loadVisibleCase({ actor, caseId: keepCaseId, forUpdate: true }, { db: tx });
		const { kase: absorb, villages: absorbVillages } = await loadVisibleCase(
			{ actor, caseId: absorbCaseId, forUpdate: true },
			{ db: tx }
		);
		const author = authorOf(actor);
		const keptPersons = await findCasePersons({ db: tx, caseId: keep.id });
		const absorbedPersons = await findCasePersons({ db: tx, caseId: absorb.id });
		const pairs = matchPersons(keptPersons, absorbedPersons);
		for (const pair of pairs) {
			await mergePersonRows(
				{ keep: pair.keep, absorb: pair.absorb, caseId: keep.id, author, now },
				{ db: tx }
			);
		}
		// A household has one candidate: an absorbed candidate who is someone else joins as another adult.
		const hasCandidate = keptPersons.some((person) => person.householdRole === 'candidate');
		for (const person of absorbedPersons) {
			if (pairs.some((pair) => pair.absorb.id === person.id)) continue;
			const values =
				hasCandidate && person.householdRole === 'candidate' ? { householdRole: 'other' as const } : {};
			const moved = await updatePersonRow({
				db: tx,
				personId: person.id,
				values: { ...values, caseId: keep.id, updatedAt: now }
			});
			await writeAudit(
				{
					programmeId: keep.programmeId,
					caseId: keep.id,
					entityType: 'person',
					entityId: person.id,
					action: 'merge',
					author,
					at: now,
					before: person,
					after: moved,
					extra: { before: { case: absorb.reference }, after: { case: keep.reference } }
				},
				{ db: tx }
			);
		}
		await moveTargetVillages({ db: tx, fromCaseId: absorb.id, toCaseId: keep.id });
		if (keep.possibleDuplicateOf === absorb.id) {
			await updateCaseRow({ db: tx, caseId: keep.id, values: { possibleDuplicateOf: null } });
		}
		const moved: Record<string, number> = {};
		for (const ref of await findCaseReferences({ db: tx, table: 'cases' })) {
			if (ref.table === 'case_target_villages') continue;
			const n = await repointCaseReference({
				db: tx,
				table: ref.table,
				column: ref.column,
				fromCaseId: absorb.id,
				toCaseId: keep.id
			});
			if (n) moved[ref.table === 'cases' ? `cases.${ref.column}` : ref.table] = n;
		}
		moved.audit_entries = await repointCaseAudit({
			db: tx,
			programmeId: keep.programmeId,
			fromCaseId: absorb.id,
			toCaseId: keep.id
		});
		await insertCaseMerge({
			db: tx,
			values: {
				programmeId: keep.programmeId,
				absorbedCaseId: absorb.id,
				absorbedReference: absorb.reference,
				keptCaseId: keep.id,
				mergedAt: now,
				mergedBy: actor.userId
			}
		});
		await deleteCase({ db: tx, caseId: absorb.id });
		const fresh = (await findCaseById({ db: tx, programmeId: keep.programmeId, caseId: keep.id }))!;
		const updated = await updateCaseRow({
			db: tx,
			caseId: keep.id,
			values: { ...fillBlanks(fresh, absorb, CASE_MERGE_SKIP), updatedAt: now, updatedBy: actor.userId }
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: keep.programmeId,
				caseId: keep.id,
				kind: 'note',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, 'caseedit_activity_merged', { reference: absorb.reference }),
				data: {
					messageKey: 'caseedit_activity_merged',
					absorbedCaseId: absorb.id,
					absorbedReference: absorb.reference,
					mergedPersons: pairs.length,
					moved
				}
			}
		});
		await writeAudit(
			{
				programmeId: keep.programmeId,
				caseId: keep.id,
				entityType: 'case',
				entityId: absorb.id,
				action: 'merge',
				author,
				at: now,
				before: { ...absorb, targetVillages: absorbVillages.map((village) => village.slug).sort() },
				after: null,
				extra: { after: { mergedInto: keep.reference } }
			},
			{ db: tx }
		);
		await writeAudit(
			{
				programmeId: keep.programmeId,
				caseId: keep.id,
				entityType: 'case',
				entityId: keep.id,
				action: 'merge',
				author,
				at: now,
				before: keep,
				after: updated,
				extra: { after: { absorbedCase: absorb.reference } }
			},
			{ db: tx }
		);
		log.info({ keptCaseId: keep.id, absorbedCaseId: absorb.id, userId: actor.userId }, 'Cases merged');
		return { case: updated, moved };
	});
}

/**
 * The offers a visit or meeting on this case may propose: for a committee member, those
 * their villages own or that stand in their communes; for staff, every offer of the programme.
 */
export async function listProposableOffers(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ offers: { id: string; title: string; villageId: string | null }[] }> {
	const { access } = await loadVisibleCase({ actor, caseId }, { db });
	const villages = access === 'committee' ? await committeeVillages(actor, { db }) : null;
	return { offers: await findProposableOffers({ db, programmeId: actor.programmeId, villages }) };
}

/** The villages a committee member sits on, with their communes. */
async function committeeVillages(actor: Actor, { db }: { db: Db }) {
	const ids = await findCommitteeVillageIds({ db, programmeId: actor.programmeId, userId: actor.userId });
	return findVillagesByKeys({ db, programmeId: actor.programmeId, keys: ids });
}
