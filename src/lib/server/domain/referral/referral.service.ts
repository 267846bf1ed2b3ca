import { programmeLink } from '../programme/programme-host.service.ts';
import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import { findOrganisationById } from '../organisation/organisation.repository.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type {
	Case,
	Organisation,
	Person,
	Referral,
	ReferralNeedKind,
	ReferralOutcome,
	ReferralStatus
} from '../../db/schema/index.ts';
import { translate } from '../../../i18n/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput, ValidationError, type FieldIssue } from '../../validation.ts';
import { caseNotFound } from '../case/case.errors.ts';
import { findCaseById, findCasePersons, insertActivity } from '../case/case.repository.ts';
import { caseIdSchema } from '../case/case.schemas.ts';
import {
	referralForbidden,
	referralNoPartnerConsent,
	referralNotAccepted,
	referralNotFound,
	referralNotProposed
} from './referral.errors.ts';
import { buildReferralCreatedMail, buildReferralUpdatedMail, queueReferralMail } from './referral.mails.ts';
import {
	countOverdueByAdvisor,
	findOrganisationPartners,
	findProgrammeName,
	findProgrammeOrganisations,
	findReferralById,
	findReferralRow,
	findReferrals,
	findUserContact,
	insertReferral,
	updateReferral,
	type ReferralRow
} from './referral.repository.ts';
import {
	ANSWERABLE_STATUSES,
	canSeeReferral,
	defaultExpectedAnswerOn,
	isoDay,
	isReferralOverdue,
	OUTCOME_STATUSES,
	outcomeDeadline,
	referralAccessOf,
	toPartnerPersonView,
	type PartnerPersonView
} from './referral.rules.ts';
import {
	createReferralSchema,
	declineReferralSchema,
	listReferralsSchema,
	recordOutcomeSchema,
	referralIdSchema,
	type CreateReferralInput,
	type DeclineReferralInput,
	type ListReferralsInput,
	type RecordOutcomeInput
} from './referral.schemas.ts';

const log = createLogger({ namespace: 'referral:service' });

type Deps = { db: Db; now?: Date };
type MailDeps = Deps & { config: Config };

/**
 * One referral as listed. Partners get the shared fields only: `caseId`, `caseReference`
 * and `caseAdvisorId` are null for them, and `personName` needs the household's consent.
 */
export type ReferralItem = {
	id: string;
	status: ReferralStatus;
	needKind: ReferralNeedKind;
	message: string | null;
	expectedAnswerOn: string;
	declineReason: string | null;
	answeredAt: Date | null;
	outcome: ReferralOutcome | null;
	outcomeNote: string | null;
	outcomeOn: string | null;
	outcomeAt: Date | null;
	createdAt: Date;
	organisationId: string;
	organisationName: string;
	personName: string | null;
	isOverdue: boolean;
	caseId: string | null;
	caseReference: string | null;
	caseAdvisorId: string | null;
};

function toItem(row: ReferralRow, isStaff: boolean, now: Date): ReferralItem {
	const isShared = row.caseConsents.shareWithPartners;
	const name = [row.personFirstName, row.personLastName].filter(Boolean).join(' ') || null;
	return {
		id: row.id,
		status: row.status,
		needKind: row.needKind,
		message: row.message,
		expectedAnswerOn: row.expectedAnswerOn,
		declineReason: row.declineReason,
		answeredAt: row.answeredAt,
		outcome: row.outcome,
		outcomeNote: row.outcomeNote,
		outcomeOn: row.outcomeOn,
		outcomeAt: row.outcomeAt,
		createdAt: row.createdAt,
		organisationId: row.organisationId,
		organisationName: row.organisationName,
		personName: isStaff || isShared ? name : null,
		isOverdue: isReferralOverdue(row, now),
		caseId: isStaff ? row.caseId : null,
		caseReference: isStaff ? row.caseReference : null,
		caseAdvisorId: isStaff ? row.caseAdvisorId : null
	};
}

/** The referral's page in the back office, on its programme's address. */
function referralUrl(
	{ programmeId, referralId }: { programmeId: string; referralId: string },
	deps: { db: Db; config: Config }
): Promise<string> {
	return programmeLink({ programmeId, path: `/backoffice/referrals/${referralId}` }, deps);
}

/** A case of the actor's programme (staff only), or case.not_found. */
async function loadStaffCase(
	{ actor, caseId, forUpdate = false }: { actor: Actor; caseId: string; forUpdate?: boolean },
	{ db }: { db: Db }
): Promise<Case> {
	if (!v.is(caseIdSchema, caseId)) throw caseNotFound({ caseId });
	const kase = await findCaseById({ db, programmeId: actor.programmeId, caseId, forUpdate });
	if (!kase) throw caseNotFound({ caseId });
	return kase;
}

function assertStaffActor(actor: Actor): void {
	if (referralAccessOf(actor) !== 'staff') throw referralForbidden({ userId: actor.userId });
}

/** The referral if the actor may see it, else referral.not_found (other programme, organisation, role). */
async function loadVisibleReferral(
	{ actor, referralId, forUpdate = false }: { actor: Actor; referralId: string; forUpdate?: boolean },
	{ db }: { db: Db }
): Promise<Referral> {
	if (referralAccessOf(actor) === 'none' || !v.is(referralIdSchema, referralId)) {
		throw referralNotFound({ referralId });
	}
	const referral = await findReferralById({ db, programmeId: actor.programmeId, referralId, forUpdate });
	if (!referral || !canSeeReferral(actor, referral)) throw referralNotFound({ referralId });
	return referral;
}

/* ------------------------------------------------------------------ options */

export type ReferralFormOptions = {
	organisations: Pick<Organisation, 'id' | 'name' | 'kind'>[];
	persons: Pick<Person, 'id' | 'householdRole' | 'firstName' | 'lastName'>[];
	isShared: boolean;
	defaultExpectedAnswerOn: string;
};

/** What the "new referral" form of a case needs: organisations, household members, consent. Staff only. */
export async function getReferralFormOptions(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db, now = new Date() }: Deps
): Promise<ReferralFormOptions> {
	assertStaffActor(actor);
	const kase = await loadStaffCase({ actor, caseId }, { db });
	const persons = await findCasePersons({ db, caseId: kase.id });
	return {
		organisations: await findProgrammeOrganisations({
			db,
			programmeId: actor.programmeId,
			isActiveOnly: true
		}),
		persons: persons
			.filter((person) => person.householdRole !== 'child')
			.map(({ id, householdRole, firstName, lastName }) => ({ id, householdRole, firstName, lastName })),
		isShared: kase.consents.shareWithPartners,
		defaultExpectedAnswerOn: defaultExpectedAnswerOn(now)
	};
}

/** The programme's partner organisations (the referral list's filter). Staff only. */
export async function listReferralOrganisations(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ organisations: Pick<Organisation, 'id' | 'name' | 'kind'>[] }> {
	assertStaffActor(actor);
	return { organisations: await findProgrammeOrganisations({ db, programmeId: actor.programmeId }) };
}

/* ------------------------------------------------------------------ create */

/**
 * Refers a person of a household to a partner organisation (staff only). Refused with
 * referral.no_partner_consent unless the household agreed to share with partners. The
 * referral, its timeline entry and one message per recipient of the organisation (its
 * address and each partner account, in their language) are written in one transaction.
 */
export async function createReferral(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: CreateReferralInput },
	{ db, config, now = new Date() }: MailDeps
): Promise<{ referral: Referral }> {
	assertStaffActor(actor);
	const data = parseInput(createReferralSchema, input);
	const today = isoDay(now);
	const result = await db.transaction(async (tx) => {
		const kase = await loadStaffCase({ actor, caseId, forUpdate: true }, { db: tx });
		if (!kase.consents.shareWithPartners) throw referralNoPartnerConsent({ caseId: kase.id });
		const issues: FieldIssue[] = [];
		const organisation = await findOrganisationById({
			db: tx,
			programmeId: actor.programmeId,
			organisationId: data.organisationId
		});
		// A retired organisation keeps its past referrals but receives no new one.
		if (!organisation || organisation.archivedAt)
			issues.push({ field: 'organisationId', code: 'referral.unknown_organisation' });
		const persons = await findCasePersons({ db: tx, caseId: kase.id });
		const person = data.personId
			? persons.find((candidate) => candidate.id === data.personId)
			: persons.find((candidate) => candidate.householdRole === 'candidate');
		if (data.personId && !person) issues.push({ field: 'personId', code: 'referral.unknown_person' });
		if (data.expectedAnswerOn && data.expectedAnswerOn < today) {
			issues.push({ field: 'expectedAnswerOn', code: 'referral.invalid_expected_date' });
		}
		if (issues.length || !organisation || organisation.archivedAt) throw new ValidationError(issues);
		const referral = await insertReferral({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				caseId: kase.id,
				personId: person?.id ?? null,
				organisationId: organisation.id,
				needKind: data.needKind,
				message: data.message ?? null,
				status: 'proposed',
				expectedAnswerOn: data.expectedAnswerOn ?? defaultExpectedAnswerOn(now),
				createdBy: actor.userId,
				createdAt: now,
				updatedAt: now
			}
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				caseId: kase.id,
				kind: 'referral',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, 'referral_activity_created', {
					organisation: organisation.name,
					need: translate(actor.locale, `referral_need_${data.needKind}`)
				}),
				body: data.message ?? null,
				visibility: 'staff',
				data: { referralId: referral.id, status: referral.status, organisationId: organisation.id }
			}
		});
		const programmeName = await findProgrammeName({ db: tx, programmeId: actor.programmeId });
		const recipients = new Map<string, 'fr' | 'en'>();
		if (organisation.email) recipients.set(organisation.email.toLowerCase(), 'fr');
		for (const partner of await findOrganisationPartners({
			db: tx,
			programmeId: actor.programmeId,
			organisationId: organisation.id
		})) {
			recipients.set(partner.email.toLowerCase(), partner.locale);
		}
		for (const [to, locale] of recipients) {
			await queueReferralMail(
				{
					programmeId: actor.programmeId,
					kind: 'referral.created',
					to,
					mail: buildReferralCreatedMail({
						locale,
						programmeName,
						organisationName: organisation.name,
						needKind: referral.needKind,
						expectedAnswerOn: referral.expectedAnswerOn,
						url: await referralUrl(
							{ programmeId: actor.programmeId, referralId: referral.id },
							{ db: tx, config }
						)
					})
				},
				{ db: tx, config }
			);
		}
		return { referral, mails: recipients.size };
	});
	log.info(
		{ referralId: result.referral.id, caseId, userId: actor.userId, mails: result.mails },
		'Referral created'
	);
	return { referral: result.referral };
}

/* ------------------------------------------------------------------ reading */

/**
 * Referrals, newest first. Staff: every referral of the programme, filtered by status,
 * overdue, organisation or case. Partners: their organisation's inbox only, with the
 * shared fields. Other roles are refused.
 */
export async function listReferrals(
	{ actor, ...input }: { actor: Actor } & ListReferralsInput,
	{ db, now = new Date() }: Deps
): Promise<{ referrals: ReferralItem[]; total: number }> {
	const access = referralAccessOf(actor);
	if (access === 'none') throw referralForbidden({ userId: actor.userId });
	const data = parseInput(listReferralsSchema, input);
	const { rows, total } = await findReferrals({
		db,
		programmeId: actor.programmeId,
		filters: {
			status: data.status,
			organisationId: access === 'partner' ? actor.organisationId! : data.organisationId,
			caseId: access === 'staff' ? data.caseId : undefined,
			overdue: data.isOverdue ? { today: isoDay(now), acceptedBefore: outcomeDeadline(now) } : undefined
		},
		limit: data.limit,
		offset: data.offset
	});
	return { referrals: rows.map((row) => toItem(row, access === 'staff', now)), total };
}

export type ReferralDetails = {
	referral: ReferralItem;
	/** The referred person as the organisation sees it (staff see the same, to know what is shared). */
	person: PartnerPersonView | null;
	canAnswer: boolean;
	canRecordOutcome: boolean;
};

/** One referral, as much as the actor may see; other organisations and programmes answer not_found. */
export async function getReferral(
	{ actor, referralId }: { actor: Actor; referralId: string },
	{ db, now = new Date() }: Deps
): Promise<ReferralDetails> {
	const referral = await loadVisibleReferral({ actor, referralId }, { db });
	const row = (await findReferralRow({ db, programmeId: actor.programmeId, referralId: referral.id }))!;
	const persons = await findCasePersons({ db, caseId: referral.caseId });
	const person = persons.find((candidate) => candidate.id === referral.personId) ?? null;
	return {
		referral: toItem(row, referralAccessOf(actor) === 'staff', now),
		person: toPartnerPersonView(row.caseConsents, person),
		canAnswer: ANSWERABLE_STATUSES.includes(referral.status),
		canRecordOutcome: OUTCOME_STATUSES.includes(referral.status)
	};
}

/* ------------------------------------------------------------------ answers */

async function notifyAdvisor(
	{ actor, referral }: { actor: Actor; referral: Referral },
	{ db, config }: { db: Db; config: Config }
): Promise<void> {
	const context = (await findReferralRow({ db, programmeId: actor.programmeId, referralId: referral.id }))!;
	const advisorId = context.caseAdvisorId;
	// The advisor who answers on the organisation's behalf needs no message.
	if (!advisorId || advisorId === actor.userId) return;
	const advisor = await findUserContact({ db, programmeId: actor.programmeId, userId: advisorId });
	if (!advisor) return;
	await queueReferralMail(
		{
			programmeId: actor.programmeId,
			kind: 'referral.updated',
			to: advisor.email,
			mail: buildReferralUpdatedMail({
				locale: advisor.locale,
				programmeName: await findProgrammeName({ db, programmeId: actor.programmeId }),
				organisationName: context.organisationName,
				reference: context.caseReference,
				status: referral.status,
				outcome: referral.outcome,
				url: await referralUrl({ programmeId: actor.programmeId, referralId: referral.id }, { db, config })
			})
		},
		{ db, config }
	);
}

/**
 * Writes one step of a referral (answer or outcome), its timeline entry and the message to
 * the case's advisor, in one transaction; a referral no longer in `fromStatuses` is refused.
 */
async function stepReferral(
	{
		actor,
		referralId,
		fromStatuses,
		refuse,
		values,
		summary,
		body
	}: {
		actor: Actor;
		referralId: string;
		fromStatuses: readonly ReferralStatus[];
		refuse: (details: Record<string, unknown>) => Error;
		values: Partial<Referral>;
		summary: (organisationName: string) => string;
		body: string | null;
	},
	{ db, config, now = new Date() }: MailDeps
): Promise<{ referral: Referral }> {
	return db.transaction(async (tx) => {
		const current = await loadVisibleReferral({ actor, referralId, forUpdate: true }, { db: tx });
		if (!fromStatuses.includes(current.status)) throw refuse({ referralId, status: current.status });
		const referral = await updateReferral({
			db: tx,
			programmeId: actor.programmeId,
			referralId: current.id,
			fromStatuses,
			values: { ...values, updatedAt: now }
		});
		if (!referral) throw refuse({ referralId });
		const context = (await findReferralRow({
			db: tx,
			programmeId: actor.programmeId,
			referralId: referral.id
		}))!;
		await insertActivity({
			db: tx,
			values: {
				programmeId: referral.programmeId,
				caseId: referral.caseId,
				kind: 'referral',
				occurredAt: now,
				authorId: actor.userId,
				summary: summary(context.organisationName),
				body,
				visibility: 'staff',
				data: {
					referralId: referral.id,
					status: referral.status,
					...(referral.outcome && referral.status === 'outcome_recorded' ? { outcome: referral.outcome } : {})
				}
			}
		});
		await notifyAdvisor({ actor, referral }, { db: tx, config });
		log.info({ referralId: referral.id, userId: actor.userId, status: referral.status }, 'Referral updated');
		return { referral };
	});
}

/** The organisation (a partner of it, or the staff on its behalf) accepts a proposed referral. */
export async function acceptReferral(
	{ actor, referralId }: { actor: Actor; referralId: string },
	deps: MailDeps
): Promise<{ referral: Referral }> {
	const now = deps.now ?? new Date();
	return stepReferral(
		{
			actor,
			referralId,
			fromStatuses: ANSWERABLE_STATUSES,
			refuse: referralNotProposed,
			values: { status: 'accepted', answeredBy: actor.userId, answeredAt: now },
			summary: (organisation) => translate(actor.locale, 'referral_activity_accepted', { organisation }),
			body: null
		},
		{ ...deps, now }
	);
}

/** The organisation declines a proposed referral, with a reason. */
export async function declineReferral(
	{ actor, referralId, input }: { actor: Actor; referralId: string; input: DeclineReferralInput },
	deps: MailDeps
): Promise<{ referral: Referral }> {
	const data = parseInput(declineReferralSchema, input);
	const now = deps.now ?? new Date();
	return stepReferral(
		{
			actor,
			referralId,
			fromStatuses: ANSWERABLE_STATUSES,
			refuse: referralNotProposed,
			values: { status: 'declined', declineReason: data.reason, answeredBy: actor.userId, answeredAt: now },
			summary: (organisation) => translate(actor.locale, 'referral_activity_declined', { organisation }),
			body: data.reason
		},
		{ ...deps, now }
	);
}

/**
 * Records how it went (achieved, not achieved, in progress), once accepted; an outcome may
 * be updated later (e.g. from in progress to achieved). The partner of the organisation or staff.
 */
export async function recordReferralOutcome(
	{ actor, referralId, input }: { actor: Actor; referralId: string; input: RecordOutcomeInput },
	deps: MailDeps
): Promise<{ referral: Referral }> {
	const data = parseInput(recordOutcomeSchema, input);
	const now = deps.now ?? new Date();
	return stepReferral(
		{
			actor,
			referralId,
			fromStatuses: OUTCOME_STATUSES,
			refuse: referralNotAccepted,
			values: {
				status: 'outcome_recorded',
				outcome: data.outcome,
				outcomeNote: data.note ?? null,
				outcomeOn: data.outcomeOn ?? isoDay(now),
				outcomeBy: actor.userId,
				outcomeAt: now
			},
			summary: (organisation) =>
				translate(actor.locale, 'referral_activity_outcome', {
					organisation,
					outcome: translate(actor.locale, `referral_outcome_${data.outcome}`)
				}),
			body: data.note ?? null
		},
		{ ...deps, now }
	);
}

/* ------------------------------------------------------------------ dashboards */

/** Overdue referrals per advisor of the referred case (advisorId null: cases nobody holds). Staff only. */
export async function countOverdueReferralsByAdvisor(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<{ advisorId: string | null; overdue: number }[]> {
	assertStaffActor(actor);
	return countOverdueByAdvisor({
		db,
		programmeId: actor.programmeId,
		today: isoDay(now),
		acceptedBefore: outcomeDeadline(now)
	});
}
