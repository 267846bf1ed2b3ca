/**
 * How a case comes in: the public apply form (no actor) and an advisor's entry (a call, a fair).
 * Both write the case, its household, target villages, first stage, first timeline entry and
 * audit in one transaction, and tell the committees of the villages it targets.
 */
import * as v from 'valibot';
import { translate, type Locale } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import {
	personsTable,
	type ActivityKind,
	type Case,
	type CaseConsents,
	type CaseNeeds,
	type CaseSource,
	type Person
} from '../../db/schema/index.ts';
import { toFieldIssues, ValidationError } from '../../validation.ts';
import { createLogger } from '../../logger.ts';
import {
	auditAuthorOf,
	recordCaseChange,
	WEB_FORM_AUTHOR,
	type AuditAuthor
} from '../audit/audit.service.ts';
import { findOfferRows } from '../offer/offer.repository.ts';
import { consumeRateLimits, publicFormLimits } from '../rate-limit/rate-limit.service.ts';
import { offerIdSchema } from '../offer/offer.schemas.ts';
import { recordGivenConsents } from '../privacy/consent.service.ts';
import { ensureCandidateAccount } from '../account/account-candidate.service.ts';
import { issueSignInLink, signInLinkUrl } from '../account/account-sign-in-link.service.ts';
import { notifyCommittees } from './case-committee.service.ts';
import { findLastReferenceOfYear, insertCase, lockProgramme } from './case-intake.repository.ts';
import { caseUnknownProgramme } from './case.errors.ts';
import { findNationalProgrammes } from '../national/national.repository.ts';
import { nationalNoProgramme, nationalProgrammeNotParticipating } from '../national/national.errors.ts';
import { queueApplicationReceivedMail } from './case.mails.ts';
import { assertStaff } from './case.permissions.ts';
import {
	findDuplicateCaseId,
	findVillagesByKeys,
	insertActivity,
	insertPersons,
	insertStageChange,
	insertTargetVillages,
	updateCase as updateCaseRow
} from './case.repository.ts';
import {
	firstStage,
	formatCaseReference,
	nextReferenceSequence,
	referencePrefix,
	resolvePipeline,
	schoolLevelForAge
} from './case.rules.ts';
import {
	applicationSchema,
	createCaseSchema,
	type ApplicationData,
	type ApplicationInput,
	type CreateCaseData,
	type CreateCaseInput
} from './case.schemas.ts';
import { type Deps, type MailConfig, assertStaffUser, resolveVillages } from './case.shared.ts';
import { originValues, personVocabularyValues } from '../vocabulary/vocabulary.rules.ts';

const log = createLogger({ namespace: 'case:service' });

type HouseholdData = ApplicationData | CreateCaseData;

/** The persons of a household as typed on the form: candidate, partner, children, other adults. */
function householdPersons(
	data: HouseholdData,
	{ programmeId, caseId, year }: { programmeId: string; caseId: string; year: number }
): (typeof personsTable.$inferInsert)[] {
	const origin = originValues({
		originCountry: data.originCountry ?? null,
		originArea: data.originArea,
		originAreaOther: data.originAreaOther
	});
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
			...personVocabularyValues(data),
			...origin,
			originCountry: origin.originCountry ?? null,
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
	// The consents are recorded on the candidate too (purpose, text version, date, source).
	const candidate = persons.find((person) => person.householdRole === 'candidate');
	if (candidate) {
		await recordGivenConsents(
			{
				programmeId: programme.id,
				personId: candidate.id,
				consents,
				source: actorId ? 'advisor' : 'web_form',
				recordedBy: actorId,
				at: now
			},
			{ db }
		);
	}
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
	await recordCaseChange(
		{ kase, action: 'create', author, at: now, before: null, after: { ...kase, targetVillages: slugs } },
		{ db }
	);
	for (const person of persons) {
		await recordCaseChange(
			{
				kase,
				entity: { type: 'person', id: person.id },
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

type ApplicationMailConfig = Pick<Config, 'smtpUrl' | 'origin' | 'port'>;
type OfferOfInterest = Awaited<ReturnType<typeof resolveOfferOfInterest>>;

/**
 * One programme's part of an application, in the caller's transaction: locks the programme, writes
 * the case (first stage, source web_form) with its household and consents, tells the committees of
 * its villages, creates or reuses the candidate's account of that programme and queues the
 * confirmation mail in the applicant's language. The apply form calls it once; the national
 * portal once per programme chosen, in one transaction.
 */
async function writeApplication(
	{
		programmeId,
		data,
		villages,
		offer,
		locale,
		now
	}: {
		programmeId: string;
		data: ApplicationData;
		villages: { id: string; slug: string; communeCode: string }[];
		offer: OfferOfInterest;
		locale: Locale;
		now: Date;
	},
	{ db: tx, config }: { db: Db; config: ApplicationMailConfig }
): Promise<{ case: Case; reference: string; persons: Person[]; candidateUserId: string | null }> {
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
	// The candidate's account (created or reused) owns the case; the mail carries a sign-in link.
	const account = await ensureCandidateAccount(
		{
			programmeId: programme.id,
			email: data.email,
			name: `${data.firstName} ${data.lastName}`.trim(),
			locale
		},
		{ db: tx }
	);
	let signInLink: string | null = null;
	if (account) {
		await updateCaseRow({ db: tx, caseId: kase.id, values: { candidateUserId: account.userId } });
		const { token } = await issueSignInLink({ userId: account.userId, now }, { db: tx });
		signInLink = await signInLinkUrl({ programmeId: programme.id, token }, { db: tx, config });
	}
	await queueApplicationReceivedMail(
		{
			programmeId: programme.id,
			caseId: kase.id,
			to: data.email,
			locale,
			firstName: data.firstName,
			programmeName: programme.name,
			reference: kase.reference,
			signInLink
		},
		{ db: tx, config }
	);
	return {
		case: { ...kase, candidateUserId: account?.userId ?? null },
		reference: kase.reference,
		persons,
		candidateUserId: account?.userId ?? null
	};
}

/**
 * The public apply form (no actor). Validates every field, reporting each bad one with a
 * `case.*` code; from the web (`clientAddress` given) counts the application against
 * SOHO_LIMIT_APPLICATIONS_PER_HOUR per address and the confirmation against the mails allowed
 * per recipient (`rate_limit.exceeded` beyond, nothing written); then writes in ONE transaction the case (first stage, source web_form),
 * the household, the target villages, an 'application' timeline entry and the
 * confirmation email in the applicant's language. A household already known by email
 * or phone is flagged `possibleDuplicateOf`, never refused.
 */
export async function submitApplication(
	{
		programmeId,
		input,
		locale,
		offerId = null,
		clientAddress = null
	}: {
		programmeId: string;
		input: ApplicationInput;
		locale: Locale;
		/** The offer the candidate applied from (`/apply?offer=`), if any. */
		offerId?: string | null;
		/** The client's address, for the per-address and per-recipient limits of the web form. */
		clientAddress?: string | null;
	},
	{
		db,
		config,
		now = new Date()
	}: Deps & {
		config: Pick<
			Config,
			'smtpUrl' | 'limitApplicationsPerHour' | 'limitMailsPerRecipientPerHour' | 'origin' | 'port'
		>;
	}
): Promise<{ case: Case; reference: string; persons: Person[]; candidateUserId: string | null }> {
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
		// Counted in this transaction: a refused or failed application leaves no hit.
		await consumeApplicationLimits({ clientAddress, email: data.email }, { db: tx, config, now });
		return writeApplication({ programmeId, data, villages, offer, locale, now }, { db: tx, config });
	});
	log.info(
		{ caseId: result.case.id, programmeId, isPossibleDuplicate: Boolean(result.case.possibleDuplicateOf) },
		'Application received'
	);
	return result;
}

/**
 * The web form's limits on applications (per client address and per recipient), counted once per
 * form sent, whether to one programme or several; none for an application typed by staff (no address).
 */
async function consumeApplicationLimits(
	{ clientAddress, email }: { clientAddress?: string | null; email: string },
	{
		db,
		config,
		now
	}: Deps & {
		config: Pick<Config, 'limitApplicationsPerHour' | 'limitMailsPerRecipientPerHour'>;
		now: Date;
	}
): Promise<void> {
	if (!clientAddress) return;
	await consumeRateLimits(
		{
			rules: publicFormLimits({
				action: 'case.apply',
				clientAddress,
				perAddressPerHour: config.limitApplicationsPerHour,
				recipient: email,
				config
			})
		},
		{ db, now }
	);
}

/** At most this many programmes in one application from the national portal. */
export const MAX_NATIONAL_PROGRAMMES = 10;

/**
 * The national portal's application: ONE form sent to one or several programmes that take part
 * in the national portal and are active (`programmeIds`). Validates every field as the apply form
 * does (`programmes` names a missing, forged, non-participating or suspended programme, with a
 * `national.*` code; villages are the programmes' own and are not asked here), counts it once
 * against the web form's limits, then writes in ONE transaction one case per programme, each with
 * its household, consents, candidate account and confirmation mail, exactly as `submitApplication`
 * does for one programme. Nothing is written if any part fails. Each programme sees only its own
 * case: the cases share nothing but the candidate's user (an account is per instance).
 */
export async function submitNationalApplication(
	{
		programmeIds,
		input,
		locale,
		clientAddress = null
	}: {
		programmeIds: readonly string[];
		input: ApplicationInput;
		locale: Locale;
		clientAddress?: string | null;
	},
	{
		db,
		config,
		now = new Date()
	}: Deps & {
		config: Pick<
			Config,
			'smtpUrl' | 'limitApplicationsPerHour' | 'limitMailsPerRecipientPerHour' | 'origin' | 'port'
		>;
	}
): Promise<{
	applications: { programmeId: string; case: Case; reference: string }[];
	candidateUserId: string | null;
}> {
	const chosen = [...new Set(programmeIds.filter((id) => typeof id === 'string' && id.trim() !== ''))];
	const participating = new Set((await findNationalProgrammes({ db })).map((programme) => programme.id));
	const programmeIssues =
		chosen.length === 0
			? [{ field: 'programmes', code: nationalNoProgramme.code }]
			: chosen.length > MAX_NATIONAL_PROGRAMMES || chosen.some((id) => !participating.has(id))
				? [{ field: 'programmes', code: nationalProgrammeNotParticipating.code }]
				: [];
	const parsed = v.safeParse(applicationSchema, { ...(input ?? {}), villages: [] });
	const issues = [...programmeIssues, ...(parsed.success ? [] : toFieldIssues(parsed.issues))];
	if (issues.length || !parsed.success) throw new ValidationError(issues);
	const data = parsed.output;
	const result = await db.transaction(async (tx) => {
		// Counted in this transaction: a refused or failed application leaves no hit.
		await consumeApplicationLimits({ clientAddress, email: data.email }, { db: tx, config, now });
		// Programmes in a fixed order, so two applications lock them in the same order.
		const applications = [];
		for (const programmeId of [...chosen].sort()) {
			const written = await writeApplication(
				{ programmeId, data, villages: [], offer: null, locale, now },
				{ db: tx, config }
			);
			applications.push({
				programmeId,
				case: written.case,
				reference: written.reference,
				candidateUserId: written.candidateUserId
			});
		}
		return applications;
	});
	log.info(
		{ caseIds: result.map((application) => application.case.id), programmeIds: chosen },
		'National application received'
	);
	return {
		applications: result.map(({ programmeId, case: kase, reference }) => ({
			programmeId,
			case: kase,
			reference
		})),
		candidateUserId: result.find((application) => application.candidateUserId)?.candidateUserId ?? null
	};
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
				author: auditAuthorOf(actor),
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
