/**
 * Each back-office role's own dashboard, assembled from the services of each area (which scope
 * what the actor may see): the staff's case figures and first steps, a committee member's
 * villages (households by stage, next visits, offers and events), a partner's organisation
 * (referrals waiting for an answer, listings, meetings to host).
 */
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { isStaff } from '../../auth/actor.ts';
import { getCaseDashboard, type CaseDashboard } from '../case/case-pipeline.service.ts';
import { findProgrammePipeline } from '../case/case.repository.ts';
import { isOpenStage, resolvePipeline } from '../case/case.rules.ts';
import { listCases, type CaseListItem } from '../case/case.service.ts';
import { listHostInvitations, type HostInvitation } from '../discovery-stay/discovery-stay.service.ts';
import { listEventsWithRegistrations } from '../event-registration/event-registration.service.ts';
import type { EventWithCounts } from '../event-registration/event-registration.repository.ts';
import {
	listEditableOffers,
	listEditableVillages,
	listEditableWorkspaces,
	type EditableOffer,
	type EditableVillage,
	type EditableWorkspace
} from '../media/listing.service.ts';
import { getOrganisation } from '../organisation/organisation.service.ts';
import { getProgrammeChecklist, type ChecklistItem } from '../programme/programme-checklist.service.ts';
import { listReferrals, type ReferralItem } from '../referral/referral.service.ts';
import { dashboardForbidden } from './dashboard.errors.ts';
import { findUpcomingMeetings, type UpcomingMeeting } from './dashboard.repository.ts';

type Deps = { db: Db; now?: Date };

/** How many households a committee dashboard reads (a village follows tens, not thousands). */
const HOUSEHOLD_LIMIT = 500;
const NEXT_LIMIT = 8;

/* ------------------------------------------------------------------ staff */

export type StaffDashboard = {
	cases: CaseDashboard;
	/** An admin's first steps, until every one is done; null when done or for advisors. */
	checklist: ChecklistItem[] | null;
};

/** Admins and advisors: the accompaniment figures, and an admin's setup checklist. */
export async function getStaffDashboard({ actor }: { actor: Actor }, deps: Deps): Promise<StaffDashboard> {
	if (!isStaff(actor)) throw dashboardForbidden({ userId: actor.userId, role: actor.role });
	const cases = await getCaseDashboard({ actor }, deps);
	const checklist = actor.role === 'admin' ? await getProgrammeChecklist({ actor }, { db: deps.db }) : null;
	return { cases, checklist: checklist && !checklist.isComplete ? checklist.items : null };
}

/* ------------------------------------------------------------------ committee */

export type DashboardHousehold = Pick<
	CaseListItem,
	'id' | 'reference' | 'stage' | 'householdSize' | 'stageChangedAt' | 'updatedAt'
> & { name: string | null };

export type CommitteeDashboard = {
	villages: Pick<EditableVillage, 'id' | 'slug' | 'name' | 'status'>[];
	/** Households still on their way (before installation), by stage in pipeline order, latest change first. */
	activeByStage: { stage: string; households: DashboardHousehold[] }[];
	activeTotal: number;
	/** Installed, integrated, abandoned or gone: latest change first, shown folded. */
	closed: DashboardHousehold[];
	/** Meetings of discovery stays the member hosts or that take place in their villages. */
	nextMeetings: UpcomingMeeting[];
	nextEvents: EventWithCounts[];
	/** The villages' offers still running (not expired), and how many have expired. */
	offers: EditableOffer[];
	expiredOffers: number;
};

const toHousehold = (row: CaseListItem): DashboardHousehold => ({
	id: row.id,
	reference: row.reference,
	stage: row.stage,
	householdSize: row.householdSize,
	stageChangedAt: row.stageChangedAt,
	updatedAt: row.updatedAt,
	name: [row.firstName, row.lastName].filter(Boolean).join(' ') || null
});

/**
 * A committee member's villages: the households that target them and agreed to share with
 * committees, the next visits, the villages' offers and events. Nothing of another village.
 */
export async function getCommitteeDashboard(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<CommitteeDashboard> {
	if (actor.role !== 'committee') throw dashboardForbidden({ userId: actor.userId, role: actor.role });
	const { villages } = await listEditableVillages({ actor }, { db, now });
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const { cases } = await listCases({ actor, limit: HOUSEHOLD_LIMIT, sort: 'recent' }, { db });
	const households = cases.map(toHousehold);
	const active = households.filter((h) => isOpenStage(pipeline, h.stage));
	const activeByStage = pipeline.stages
		.filter((stage) => isOpenStage(pipeline, stage))
		.map((stage) => ({ stage, households: active.filter((h) => h.stage === stage) }))
		.filter((group) => group.households.length > 0);
	const nextMeetings = await findUpcomingMeetings({
		db,
		programmeId: actor.programmeId,
		userId: actor.userId,
		villageIds: villages.map((v) => v.id),
		from: now,
		limit: NEXT_LIMIT
	});
	const { upcoming } = await listEventsWithRegistrations({ actor }, { db, now });
	const { offers } = await listEditableOffers({ actor }, { db, now });
	return {
		villages: villages.map(({ id, slug, name, status }) => ({ id, slug, name, status })),
		activeByStage,
		activeTotal: active.length,
		closed: households.filter((h) => !isOpenStage(pipeline, h.stage)),
		nextMeetings,
		nextEvents: upcoming.filter((e) => e.status !== 'cancelled').slice(0, NEXT_LIMIT),
		offers: offers.filter((o) => !o.isExpired),
		expiredOffers: offers.filter((o) => o.isExpired).length
	};
}

/* ------------------------------------------------------------------ partner */

export type PartnerDashboard = {
	organisation: { id: string; name: string };
	/** Referrals waiting for the organisation's answer, oldest expected answer first. */
	waitingReferrals: ReferralItem[];
	waitingTotal: number;
	offers: EditableOffer[];
	workspaces: EditableWorkspace[];
	/** Meetings the partner is asked to host, still to come. */
	invitations: HostInvitation[];
};

/** A partner's organisation: its referrals waiting for an answer first, then its listings and meetings to host. */
export async function getPartnerDashboard(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<PartnerDashboard> {
	if (actor.role !== 'partner' || !actor.organisationId)
		throw dashboardForbidden({ userId: actor.userId, role: actor.role });
	const { organisation } = await getOrganisation({ actor, organisationId: actor.organisationId }, { db });
	const { referrals, total } = await listReferrals({ actor, status: 'proposed', limit: 50 }, { db, now });
	const { offers } = await listEditableOffers({ actor }, { db, now });
	const { workspaces } = await listEditableWorkspaces({ actor }, { db });
	const { invitations } = await listHostInvitations({ actor }, { db });
	return {
		organisation: { id: organisation.id, name: organisation.name },
		waitingReferrals: [...referrals].sort(
			(a, b) =>
				a.expectedAnswerOn.localeCompare(b.expectedAnswerOn) || a.createdAt.getTime() - b.createdAt.getTime()
		),
		waitingTotal: total,
		offers: offers.filter((o) => !o.isExpired),
		workspaces,
		invitations: invitations
			.filter((i) => !i.isCancelled && i.endsAt.getTime() >= now.getTime())
			.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
	};
}
