import type { Actor } from '../../auth/actor.ts';
import type { CaseConsents, Person, Referral, ReferralStatus } from '../../db/schema/index.ts';

/** Days an organisation has to answer a referral, unless the advisor sets another date. */
export const REFERRAL_ANSWER_DAYS = 7;
/** Days after acceptance by which the organisation should have recorded an outcome. */
export const REFERRAL_OUTCOME_DAYS = 30;

const DAY_MS = 86_400_000;

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The default answer date: REFERRAL_ANSWER_DAYS after `now`. */
export function defaultExpectedAnswerOn(now: Date): string {
	return isoDay(new Date(now.getTime() + REFERRAL_ANSWER_DAYS * DAY_MS));
}

/** Accepted before this instant and still without outcome: overdue. */
export function outcomeDeadline(now: Date, outcomeDays = REFERRAL_OUTCOME_DAYS): Date {
	return new Date(now.getTime() - outcomeDays * DAY_MS);
}

/**
 * Whether a referral waits too long: proposed and past its expected answer date, or
 * accepted and without outcome `outcomeDays` after acceptance. Declined referrals and
 * those with an outcome are never overdue. Must stay in sync with the SQL condition in
 * referral.repository.ts (overdueCondition).
 */
export function isReferralOverdue(
	referral: Pick<Referral, 'status' | 'expectedAnswerOn' | 'answeredAt'>,
	now: Date,
	outcomeDays = REFERRAL_OUTCOME_DAYS
): boolean {
	if (referral.status === 'proposed') return referral.expectedAnswerOn < isoDay(now);
	if (referral.status === 'accepted') {
		return referral.answeredAt !== null && referral.answeredAt < outcomeDeadline(now, outcomeDays);
	}
	return false;
}

/**
 * Who sees what of referrals:
 * - admin, advisor (staff): every referral of their programme; they create them and may
 *   answer or record the outcome on the organisation's behalf (after a phone call).
 * - partner: only the referrals to their own organisation, with the shared fields only
 *   (toPartnerReferralView); they accept, decline and record the outcome.
 * - committee, member, candidate: none.
 * Out of scope answers `referral.not_found`.
 */
export type ReferralAccess = 'staff' | 'partner' | 'none';

export function referralAccessOf(actor: Actor): ReferralAccess {
	if (actor.role === 'admin' || actor.role === 'advisor') return 'staff';
	if (actor.role === 'partner' && actor.organisationId) return 'partner';
	return 'none';
}

/** Whether the actor may see (and answer) this referral. */
export function canSeeReferral(
	actor: Actor,
	referral: Pick<Referral, 'programmeId' | 'organisationId'>
): boolean {
	if (referral.programmeId !== actor.programmeId) return false;
	const access = referralAccessOf(actor);
	if (access === 'staff') return true;
	return access === 'partner' && referral.organisationId === actor.organisationId;
}

/** Statuses from which each step may be taken. */
export const ANSWERABLE_STATUSES: readonly ReferralStatus[] = ['proposed'];
/** The outcome may be updated while it is in progress, so 'outcome_recorded' is allowed too. */
export const OUTCOME_STATUSES: readonly ReferralStatus[] = ['accepted', 'outcome_recorded'];

/** What a partner organisation sees of the referred person. */
export type PartnerPersonView = Pick<
	Person,
	'firstName' | 'lastName' | 'profession' | 'status' | 'sector' | 'languages'
> & {
	/** Only when the household agreed to be contacted. */
	email: string | null;
	phone: string | null;
	/** Whether the household agreed to be contacted directly by the organisation. */
	isContactShared: boolean;
};

/**
 * The person as shared with a partner: names, profession, status, sector, languages;
 * email and phone only with the contact consent. Never the origin, birth year, needs of
 * others or anything else. Null when the household withdrew its consent to share.
 */
export function toPartnerPersonView(
	consents: Pick<CaseConsents, 'contact' | 'shareWithPartners'>,
	person: Person | null
): PartnerPersonView | null {
	if (!person || !consents.shareWithPartners) return null;
	return {
		firstName: person.firstName,
		lastName: person.lastName,
		profession: person.profession,
		status: person.status,
		sector: person.sector,
		languages: person.languages,
		email: consents.contact ? person.email : null,
		phone: consents.contact ? person.phone : null,
		isContactShared: consents.contact
	};
}
