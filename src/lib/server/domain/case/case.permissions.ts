import type { Actor } from '../../auth/actor.ts';
import type { ActivityKind, Case, Person } from '../../db/schema/index.ts';
import { caseForbidden, caseNotFound } from './case.errors.ts';

/**
 * Who sees what of a case file.
 *
 * - admin, advisor: every case of their programme, every field; they edit everything.
 * - committee: only cases that target a village they sit on AND whose household agreed
 *   to share with committees (`consents.shareWithCommittees`). They see the household's
 *   names, composition (roles, children's ages), professions, statuses and sectors,
 *   languages, the wished area, timeline and needs (housing, schools, childcare: what a
 *   committee answers with offers), the stage and the target villages. They see the
 *   candidate's email and phone only when the household also agreed to be contacted
 *   (`consents.contact`), so a committee can call them. They never see the origin,
 *   socio-professional category, birth years of adults, how the household heard of the
 *   programme, the intake questions, business, departure or abandon details, staff-only
 *   activities, tasks or duplicate flags. They add meetings, visits and notes, which the
 *   staff see too; they never change stages.
 * - partner, member: no access to case files for now (referrals come with part 2).
 * - candidate: only their own file, through getOwnCase.
 *
 * Out of scope answers `case.not_found`, never `forbidden`, so existence does not leak.
 */
export type CaseAccess = 'staff' | 'committee' | 'none';

export function caseAccessOf(actor: Actor): CaseAccess {
	if (actor.role === 'admin' || actor.role === 'advisor') return 'staff';
	if (actor.role === 'committee') return 'committee';
	return 'none';
}

/** Kinds a committee member may record, always with visibility 'committee'. */
export const COMMITTEE_ACTIVITY_KINDS: readonly ActivityKind[] = ['meeting', 'visit', 'note'];

/** Staff-only actions (create, move, assign, tasks): others are refused. */
export function assertStaff(actor: Actor): void {
	if (caseAccessOf(actor) !== 'staff') throw caseForbidden({ userId: actor.userId });
}

/**
 * Whether a committee member may see a case: it targets one of their villages and the
 * household consented to share with committees.
 */
export function canCommitteeSeeCase(
	kase: Pick<Case, 'consents'>,
	targetVillageIds: readonly string[],
	memberVillageIds: readonly string[]
): boolean {
	return (
		kase.consents.shareWithCommittees === true &&
		targetVillageIds.some((villageId) => memberVillageIds.includes(villageId))
	);
}

/** Throws case.not_found when the case belongs to another programme. */
export function assertSameProgramme(actor: Actor, kase: Pick<Case, 'id' | 'programmeId'>): void {
	if (kase.programmeId !== actor.programmeId) throw caseNotFound({ caseId: kase.id });
}

export function assertCanAddActivity(actor: Actor, kind: ActivityKind): void {
	const access = caseAccessOf(actor);
	if (access === 'staff') return;
	if (access === 'committee' && COMMITTEE_ACTIVITY_KINDS.includes(kind)) return;
	throw caseForbidden({ userId: actor.userId, kind });
}

/** The fields of a case a committee member sees. */
export type CommitteeCaseView = Pick<
	Case,
	| 'id'
	| 'reference'
	| 'stage'
	| 'stageChangedAt'
	| 'wishedArea'
	| 'wishedCommuneCodes'
	| 'timeline'
	| 'needs'
	| 'installedCommuneCode'
	| 'installedOn'
	| 'createdAt'
>;

export type CommitteePersonView = Pick<
	Person,
	| 'id'
	| 'householdRole'
	| 'firstName'
	| 'lastName'
	| 'profession'
	| 'status'
	| 'sector'
	| 'languages'
	| 'needs'
> & {
	/** Children only: their age this year (adults' birth years are not shared). */
	age: number | null;
	/** Only for the candidate, and only when the household agreed to be contacted. */
	email: string | null;
	phone: string | null;
};

export function toCommitteeCaseView(kase: Case): CommitteeCaseView {
	return {
		id: kase.id,
		reference: kase.reference,
		stage: kase.stage,
		stageChangedAt: kase.stageChangedAt,
		wishedArea: kase.wishedArea,
		wishedCommuneCodes: kase.wishedCommuneCodes,
		timeline: kase.timeline,
		needs: kase.needs,
		installedCommuneCode: kase.installedCommuneCode,
		installedOn: kase.installedOn,
		createdAt: kase.createdAt
	};
}

export function toCommitteePersonView(kase: Case, person: Person, year: number): CommitteePersonView {
	const sharesContact = kase.consents.contact && person.householdRole === 'candidate';
	return {
		id: person.id,
		householdRole: person.householdRole,
		firstName: person.firstName,
		lastName: person.lastName,
		profession: person.profession,
		status: person.status,
		sector: person.sector,
		languages: person.languages,
		needs: person.needs,
		age: person.householdRole === 'child' && person.birthYear ? year - person.birthYear : null,
		email: sharesContact ? person.email : null,
		phone: sharesContact ? person.phone : null
	};
}
