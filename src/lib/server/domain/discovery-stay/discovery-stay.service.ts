/**
 * Discovery stays and welcome sessions: an advisor plans them (dates, lodging, a programme of
 * meetings), each host is invited by mail and confirms or declines from their own page, the
 * candidate sees their stays and downloads a calendar, and afterwards the advisor and the household
 * record the outcome on the case timeline. The observatory's funnel reads `getStayConversion`.
 *
 * Who sees what:
 * - admin, advisor: every stay of their programme; they plan, change and cancel.
 * - a host (committee member, partner, member): only the meetings they host, with the date, time,
 *   place and the households' first names and sizes — never the case file.
 * - candidate: only the stays of their own case (`cases.candidate_user_id`).
 * Anything else answers `discovery_stay.not_found`, so existence does not leak.
 */
import { programmeLink } from '../programme/programme-host.service.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { DiscoveryStay, DiscoveryStayOutcome, StayHostResponse } from '../../db/schema/index.ts';
import { renderCalendar } from '../../calendar/ics.ts';
import { ValidationError, parseInput, type FieldIssue } from '../../validation.ts';
import { todayIso } from '../../../domain/datetime.ts';
import { translate } from '../../../i18n/index.ts';
import { hideSmall } from '../observatory/disclosure.rules.ts';
import type { ObservatoryViewer } from '../observatory/observatory.types.ts';
import {
	findCaseOfCandidate,
	findProgrammeName,
	insertActivity,
	updateCase
} from '../case/case.repository.ts';
import { queueMail } from '../mail/mail.service.ts';
import {
	stayCancelled,
	stayForbidden,
	stayMeetingNotFound,
	stayNotFinished,
	stayNotFound
} from './discovery-stay.errors.ts';
import { buildHostMail, type StayHostMailKind } from './discovery-stay.mails.ts';
import {
	deleteMeeting,
	findHostCandidates,
	findHostedMeeting,
	findHostMeetings,
	findHostVillages,
	findOutcomes,
	findProgrammeCaseIds,
	findProgrammeOffers,
	findProgrammeWorkspaces,
	findStayById,
	findStayConversion,
	findStayHouseholds,
	findStayMeetings,
	findStays,
	insertMeeting,
	insertStay,
	insertStayHouseholds,
	updateMeetingRow,
	updateStayRow,
	upsertOutcome,
	type HostCandidate,
	type MeetingWithHost,
	type StayHousehold
} from './discovery-stay.repository.ts';
import {
	HOST_ROLE,
	isMeetingWithinStay,
	stayCalendarEvents,
	stayStateOf,
	type HostHousehold,
	type StayState
} from './discovery-stay.rules.ts';
import {
	meetingSchema,
	outcomeSchema,
	planStaySchema,
	respondSchema,
	stayIdSchema,
	stayMeetingIdSchema,
	updateStaySchema,
	type Meeting,
	type MeetingInput,
	type OutcomeInput,
	type PlanStayInput,
	type UpdateStayInput
} from './discovery-stay.schemas.ts';

export type StayMailConfig = Pick<Config, 'smtpUrl'> & Partial<Pick<Config, 'origin' | 'port'>>;
export type Deps = { db: Db; config?: StayMailConfig; now?: Date };

const isStaffActor = (actor: Actor) => actor.role === 'admin' || actor.role === 'advisor';

function assertStaff(actor: Actor): void {
	if (!isStaffActor(actor)) throw stayForbidden({ userId: actor.userId });
}

/** Where a host answers, on the programme's address: members in their space, committee members and partners in the back office. */
const hostPageOf = (
	{
		programmeId,
		role
	}: { programmeId: string; role: HostCandidate['role'] | 'committee' | 'partner' | 'member' },
	{ db, config }: { db: Db; config: StayMailConfig | undefined }
) =>
	programmeLink(
		{ programmeId, path: role === 'member' ? '/member/stays' : '/backoffice/stays' },
		{ db, config: { origin: config?.origin, port: config?.port ?? 5173 } }
	);

const toHostHousehold = (household: StayHousehold): HostHousehold => ({
	firstName: household.firstName,
	size: household.size
});

async function loadStaffStay(
	{ actor, stayId, forUpdate = false }: { actor: Actor; stayId: string; forUpdate?: boolean },
	{ db }: { db: Db }
): Promise<DiscoveryStay> {
	assertStaff(actor);
	const id = parseInput(stayIdSchema, stayId);
	const stay = await findStayById({ db, programmeId: actor.programmeId, stayId: id, forUpdate });
	if (!stay) throw stayNotFound({ stayId });
	return stay;
}

/** A meeting's host must be of this programme with the right role, and sit on / run what it names. */
async function resolveHost(
	{ actor, meeting, index }: { actor: Actor; meeting: Meeting; index: number | null },
	{ db }: { db: Db }
): Promise<{
	host: HostCandidate;
	villageId: string | null;
	organisationId: string | null;
	workspaceId: string | null;
}> {
	const field = (name: string) => (index === null ? name : `meetings.${index}.${name}`);
	const [host] = await findHostCandidates({ db, programmeId: actor.programmeId, userId: meeting.hostUserId });
	if (!host || host.role !== HOST_ROLE[meeting.hostKind])
		throw new ValidationError([{ field: field('hostUserId'), code: 'discovery_stay.unknown_host' }]);
	if (meeting.hostKind === 'committee') {
		const villages = await findHostVillages({ db, programmeId: actor.programmeId, userIds: [host.userId] });
		const village = meeting.villageId ? villages.find((v) => v.villageId === meeting.villageId) : villages[0];
		if (!village)
			throw new ValidationError([
				{
					field: field(meeting.villageId ? 'villageId' : 'hostUserId'),
					code: 'discovery_stay.not_on_committee'
				}
			]);
		return { host, villageId: village.villageId, organisationId: null, workspaceId: null };
	}
	if (meeting.hostKind === 'workspace') {
		const [workspace] = meeting.workspaceId
			? await findProgrammeWorkspaces({
					db,
					programmeId: actor.programmeId,
					workspaceId: meeting.workspaceId
				})
			: [];
		if (!workspace)
			throw new ValidationError([{ field: field('workspaceId'), code: 'discovery_stay.unknown_workspace' }]);
		if (!workspace.organisationId || workspace.organisationId !== host.organisationId)
			throw new ValidationError([{ field: field('hostUserId'), code: 'discovery_stay.not_workspace_host' }]);
		return { host, villageId: null, organisationId: host.organisationId, workspaceId: workspace.id };
	}
	return {
		host,
		villageId: null,
		organisationId: meeting.hostKind === 'partner' ? host.organisationId : null,
		workspaceId: null
	};
}

async function queueHostMail(
	{
		stay,
		meeting,
		households,
		kind
	}: {
		stay: DiscoveryStay;
		meeting: Pick<
			MeetingWithHost,
			'startsAt' | 'endsAt' | 'place' | 'hostName' | 'hostEmail' | 'hostLocale'
		> & {
			hostRole: HostCandidate['role'];
		};
		households: StayHousehold[];
		kind: StayHostMailKind;
	},
	{ db, config }: Deps
): Promise<void> {
	const programmeName = await findProgrammeName({ db, programmeId: stay.programmeId });
	const mail = buildHostMail({
		locale: meeting.hostLocale,
		kind,
		hostName: meeting.hostName,
		startsAt: meeting.startsAt,
		endsAt: meeting.endsAt,
		place: meeting.place,
		households: households.map(toHostHousehold),
		url: await hostPageOf({ programmeId: stay.programmeId, role: meeting.hostRole }, { db, config }),
		programmeName
	});
	await queueMail(
		{ programmeId: stay.programmeId, kind: `discovery_stay.host_${kind}`, to: meeting.hostEmail, ...mail },
		{ db, config: config ?? { smtpUrl: undefined } }
	);
}

/** Writes a timeline entry on each household's case (the existing case timeline). */
async function writeTimeline(
	{
		stay,
		caseIds,
		actor,
		messageKey,
		params = {},
		data = {},
		now
	}: {
		stay: DiscoveryStay;
		caseIds: string[];
		actor: Actor;
		messageKey: string;
		params?: Record<string, string | number>;
		data?: Record<string, unknown>;
		now: Date;
	},
	{ db }: { db: Db }
): Promise<void> {
	for (const caseId of caseIds) {
		await insertActivity({
			db,
			values: {
				programmeId: stay.programmeId,
				caseId,
				kind: 'visit',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, messageKey, { title: stay.title, ...params }),
				data: { messageKey, stayId: stay.id, ...data },
				visibility: 'staff'
			}
		});
		await updateCase({ db, caseId, values: { updatedAt: now, updatedBy: actor.userId } });
	}
}

/** Tells every host of the stay who had not declined (a move or a cancellation). */
async function notifyHosts(
	{
		stay,
		meetings,
		households,
		kind
	}: {
		stay: DiscoveryStay;
		meetings: MeetingWithHost[];
		households: StayHousehold[];
		kind: StayHostMailKind;
	},
	deps: Deps
): Promise<void> {
	const roles = await hostRoles(
		deps.db,
		stay.programmeId,
		meetings.map((m) => m.hostUserId)
	);
	for (const meeting of meetings.filter((m) => m.response !== 'declined'))
		await queueHostMail(
			{
				stay,
				meeting: { ...meeting, hostRole: roles.get(meeting.hostUserId) ?? 'committee' },
				households,
				kind
			},
			deps
		);
}

async function hostRoles(db: Db, programmeId: string, userIds: string[]) {
	const all = await findHostCandidates({ db, programmeId });
	return new Map(all.filter((c) => userIds.includes(c.userId)).map((c) => [c.userId, c.role]));
}

/** Plans a stay (one household) or a welcome session (several, one day); each meeting's host is invited. */
export async function planStay(
	{ actor, input }: { actor: Actor; input: PlanStayInput },
	deps: Deps
): Promise<{ stay: DiscoveryStay }> {
	assertStaff(actor);
	const data = parseInput(planStaySchema, input);
	const now = deps.now ?? new Date();
	return deps.db.transaction(async (tx) => {
		const caseIds = [...new Set(data.caseIds)];
		const known = await findProgrammeCaseIds({ db: tx, programmeId: actor.programmeId, caseIds });
		const issues: FieldIssue[] = caseIds
			.map((id, i) =>
				known.includes(id) ? null : { field: `caseIds.${i}`, code: 'discovery_stay.unknown_case' }
			)
			.filter((issue): issue is FieldIssue => issue !== null);
		if (data.lodgingOfferId) {
			const [offer] = await findProgrammeOffers({
				db: tx,
				programmeId: actor.programmeId,
				offerId: data.lodgingOfferId
			});
			if (!offer) issues.push({ field: 'lodgingOfferId', code: 'discovery_stay.unknown_offer' });
		}
		data.meetings.forEach((meeting, i) => {
			if (!isMeetingWithinStay(data, meeting.startsAt, meeting.endsAt))
				issues.push({ field: `meetings.${i}.startsAt`, code: 'discovery_stay.meeting_outside_stay' });
		});
		if (issues.length) throw new ValidationError(issues);
		const resolved = [];
		for (const [i, meeting] of data.meetings.entries())
			resolved.push({ meeting, ...(await resolveHost({ actor, meeting, index: i }, { db: tx })) });
		const stay = await insertStay({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				kind: data.kind,
				title: data.title,
				startsOn: data.startsOn,
				endsOn: data.endsOn,
				lodging: data.lodging,
				lodgingOfferId: data.lodgingOfferId,
				isDemo: actor.isDemo,
				createdBy: actor.userId,
				updatedBy: actor.userId,
				createdAt: now,
				updatedAt: now
			}
		});
		await insertStayHouseholds({ db: tx, programmeId: actor.programmeId, stayId: stay.id, caseIds });
		const households = await findStayHouseholds({ db: tx, stayIds: [stay.id] });
		for (const { meeting, host, villageId, organisationId, workspaceId } of resolved) {
			await insertMeeting({
				db: tx,
				values: {
					programmeId: actor.programmeId,
					stayId: stay.id,
					startsAt: meeting.startsAt,
					endsAt: meeting.endsAt,
					place: meeting.place,
					topic: meeting.topic,
					hostKind: meeting.hostKind,
					hostUserId: host.userId,
					villageId,
					organisationId,
					workspaceId
				}
			});
			await queueHostMail(
				{
					stay,
					meeting: {
						...meeting,
						hostName: host.name,
						hostEmail: host.email,
						hostLocale: host.locale,
						hostRole: host.role
					},
					households,
					kind: 'invited'
				},
				{ ...deps, db: tx }
			);
		}
		await writeTimeline(
			{
				stay,
				caseIds,
				actor,
				messageKey: data.kind === 'stay' ? 'stays_activity_planned' : 'stays_activity_session_planned',
				params: { from: data.startsOn, to: data.endsOn },
				now
			},
			{ db: tx }
		);
		return { stay };
	});
}

/** Adds a meeting to a planned stay and invites its host. */
export async function addMeeting(
	{ actor, stayId, input }: { actor: Actor; stayId: string; input: MeetingInput },
	deps: Deps
): Promise<{ meetingId: string }> {
	const data = parseInput(meetingSchema, input);
	const now = deps.now ?? new Date();
	return deps.db.transaction(async (tx) => {
		const stay = await loadStaffStay({ actor, stayId, forUpdate: true }, { db: tx });
		if (stay.status === 'cancelled') throw stayCancelled({ stayId });
		if (!isMeetingWithinStay(stay, data.startsAt, data.endsAt))
			throw new ValidationError([{ field: 'startsAt', code: 'discovery_stay.meeting_outside_stay' }]);
		const { host, villageId, organisationId, workspaceId } = await resolveHost(
			{ actor, meeting: data, index: null },
			{ db: tx }
		);
		const meeting = await insertMeeting({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				stayId: stay.id,
				startsAt: data.startsAt,
				endsAt: data.endsAt,
				place: data.place,
				topic: data.topic,
				hostKind: data.hostKind,
				hostUserId: host.userId,
				villageId,
				organisationId,
				workspaceId
			}
		});
		const updated = await updateStayRow({
			db: tx,
			stayId: stay.id,
			values: { sequence: stay.sequence + 1, updatedAt: now, updatedBy: actor.userId }
		});
		const households = await findStayHouseholds({ db: tx, stayIds: [stay.id] });
		await queueHostMail(
			{
				stay: updated,
				meeting: {
					...data,
					hostName: host.name,
					hostEmail: host.email,
					hostLocale: host.locale,
					hostRole: host.role
				},
				households,
				kind: 'invited'
			},
			{ ...deps, db: tx }
		);
		return { meetingId: meeting.id };
	});
}

/** Takes a meeting off the programme; its host is told it will not take place. */
export async function removeMeeting(
	{ actor, stayId, meetingId }: { actor: Actor; stayId: string; meetingId: string },
	deps: Deps
): Promise<void> {
	const now = deps.now ?? new Date();
	await deps.db.transaction(async (tx) => {
		const stay = await loadStaffStay({ actor, stayId, forUpdate: true }, { db: tx });
		if (stay.status === 'cancelled') throw stayCancelled({ stayId });
		const meetings = await findStayMeetings({ db: tx, stayIds: [stay.id] });
		const meeting = meetings.find((m) => m.id === meetingId);
		if (!meeting) throw stayMeetingNotFound({ meetingId });
		await deleteMeeting({ db: tx, meetingId: meeting.id });
		const updated = await updateStayRow({
			db: tx,
			stayId: stay.id,
			values: { sequence: stay.sequence + 1, updatedAt: now, updatedBy: actor.userId }
		});
		const roles = await hostRoles(tx, actor.programmeId, [meeting.hostUserId]);
		const households = await findStayHouseholds({ db: tx, stayIds: [stay.id] });
		if (meeting.response !== 'declined')
			await queueHostMail(
				{
					stay: updated,
					meeting: { ...meeting, hostRole: roles.get(meeting.hostUserId) ?? 'committee' },
					households,
					kind: 'cancelled'
				},
				{ ...deps, db: tx }
			);
	});
}

/**
 * Changes a stay's title, dates or lodging. Its meetings must still fall within its days (else
 * `endsOn`/`startsOn` name the problem); when the dates change, the hosts who have not declined are told.
 */
export async function updateStay(
	{ actor, stayId, input }: { actor: Actor; stayId: string; input: UpdateStayInput },
	deps: Deps
): Promise<{ stay: DiscoveryStay }> {
	const data = parseInput(updateStaySchema, input);
	const now = deps.now ?? new Date();
	return deps.db.transaction(async (tx) => {
		const stay = await loadStaffStay({ actor, stayId, forUpdate: true }, { db: tx });
		if (stay.status === 'cancelled') throw stayCancelled({ stayId });
		const households = await findStayHouseholds({ db: tx, stayIds: [stay.id] });
		if (stay.kind === 'welcome_session' && data.endsOn !== data.startsOn)
			throw new ValidationError([{ field: 'endsOn', code: 'discovery_stay.session_one_day' }]);
		if (data.lodgingOfferId) {
			const [offer] = await findProgrammeOffers({
				db: tx,
				programmeId: actor.programmeId,
				offerId: data.lodgingOfferId
			});
			if (!offer)
				throw new ValidationError([{ field: 'lodgingOfferId', code: 'discovery_stay.unknown_offer' }]);
		}
		const meetings = await findStayMeetings({ db: tx, stayIds: [stay.id] });
		const outside = meetings.filter((m) => !isMeetingWithinStay(data, m.startsAt, m.endsAt));
		if (outside.length) {
			const early = outside.some((m) => todayIso(m.startsAt) < data.startsOn);
			throw new ValidationError([
				{ field: early ? 'startsOn' : 'endsOn', code: 'discovery_stay.meetings_outside_dates' }
			]);
		}
		const datesChanged = data.startsOn !== stay.startsOn || data.endsOn !== stay.endsOn;
		const updated = await updateStayRow({
			db: tx,
			stayId: stay.id,
			values: {
				title: data.title,
				startsOn: data.startsOn,
				endsOn: data.endsOn,
				lodging: data.lodging,
				lodgingOfferId: data.lodgingOfferId,
				sequence: stay.sequence + 1,
				updatedAt: now,
				updatedBy: actor.userId
			}
		});
		if (datesChanged) {
			await notifyHosts({ stay: updated, meetings, households, kind: 'changed' }, { ...deps, db: tx });
			await writeTimeline(
				{
					stay: updated,
					caseIds: households.map((h) => h.caseId),
					actor,
					messageKey: 'stays_activity_moved',
					params: { from: data.startsOn, to: data.endsOn },
					now
				},
				{ db: tx }
			);
		}
		return { stay: updated };
	});
}

/** Cancels a stay: every host who had not declined is told, and each household's timeline says so. */
export async function cancelStay(
	{ actor, stayId }: { actor: Actor; stayId: string },
	deps: Deps
): Promise<{ stay: DiscoveryStay }> {
	const now = deps.now ?? new Date();
	return deps.db.transaction(async (tx) => {
		const stay = await loadStaffStay({ actor, stayId, forUpdate: true }, { db: tx });
		if (stay.status === 'cancelled') throw stayCancelled({ stayId });
		const updated = await updateStayRow({
			db: tx,
			stayId: stay.id,
			values: {
				status: 'cancelled',
				cancelledAt: now,
				sequence: stay.sequence + 1,
				updatedAt: now,
				updatedBy: actor.userId
			}
		});
		const households = await findStayHouseholds({ db: tx, stayIds: [stay.id] });
		const meetings = await findStayMeetings({ db: tx, stayIds: [stay.id] });
		await notifyHosts({ stay: updated, meetings, households, kind: 'cancelled' }, { ...deps, db: tx });
		await writeTimeline(
			{
				stay: updated,
				caseIds: households.map((h) => h.caseId),
				actor,
				messageKey: 'stays_activity_cancelled',
				now
			},
			{ db: tx }
		);
		return { stay: updated };
	});
}

export type StaySummary = {
	stay: DiscoveryStay;
	state: StayState;
	households: StayHousehold[];
	meetings: MeetingWithHost[];
	outcomes: DiscoveryStayOutcome[];
};

async function summarise(db: Db, stays: DiscoveryStay[], now: Date): Promise<StaySummary[]> {
	const ids = stays.map((s) => s.id);
	const [households, meetings, outcomes] = [
		await findStayHouseholds({ db, stayIds: ids }),
		await findStayMeetings({ db, stayIds: ids }),
		await findOutcomes({ db, stayIds: ids })
	];
	return stays.map((stay) => ({
		stay,
		state: stayStateOf(stay, now),
		households: households.filter((h) => h.stayId === stay.id),
		meetings: meetings.filter((m) => m.stayId === stay.id),
		outcomes: outcomes.filter((o) => o.stayId === stay.id)
	}));
}

/** The programme's stays (staff), or one case's (`caseId`, the case page). */
export async function listStays(
	{ actor, caseId }: { actor: Actor; caseId?: string },
	{ db, now = new Date() }: Deps
): Promise<{ stays: StaySummary[] }> {
	assertStaff(actor);
	const stays = await findStays({ db, programmeId: actor.programmeId, caseId });
	return { stays: await summarise(db, stays, now) };
}

export type CaseStay = Pick<DiscoveryStay, 'id' | 'kind' | 'title' | 'startsOn' | 'endsOn'> & {
	state: StayState;
	meetingCount: number;
	confirmedCount: number;
};

/** A case's stays in short, for the case page (staff). */
export async function listCaseStays(
	{ actor, caseId }: { actor: Actor; caseId: string },
	deps: Deps
): Promise<{ stays: CaseStay[] }> {
	const { stays } = await listStays({ actor, caseId }, deps);
	return {
		stays: stays.map(({ stay, state, meetings }) => ({
			id: stay.id,
			kind: stay.kind,
			title: stay.title,
			startsOn: stay.startsOn,
			endsOn: stay.endsOn,
			state,
			meetingCount: meetings.length,
			confirmedCount: meetings.filter((m) => m.response === 'confirmed').length
		}))
	};
}

/** One stay with its households, meetings and outcomes (staff). */
export async function getStay(
	{ actor, stayId }: { actor: Actor; stayId: string },
	{ db, now = new Date() }: Deps
): Promise<StaySummary> {
	const stay = await loadStaffStay({ actor, stayId }, { db });
	const [summary] = await summarise(db, [stay], now);
	return summary;
}

export type HostInvitation = {
	meetingId: string;
	startsAt: Date;
	endsAt: Date;
	place: string;
	topic: string | null;
	response: StayHostResponse;
	stayKind: DiscoveryStay['kind'];
	isCancelled: boolean;
	households: HostHousehold[];
};

/** The meetings the actor hosts: what they need to receive the households, nothing of the case file. */
export async function listHostInvitations(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ invitations: HostInvitation[] }> {
	const rows = await findHostMeetings({ db, programmeId: actor.programmeId, hostUserId: actor.userId });
	const households = await findStayHouseholds({ db, stayIds: [...new Set(rows.map((r) => r.stay.id))] });
	return {
		invitations: rows.map(({ meeting, stay }) => ({
			meetingId: meeting.id,
			startsAt: meeting.startsAt,
			endsAt: meeting.endsAt,
			place: meeting.place,
			topic: meeting.topic,
			response: meeting.response,
			stayKind: stay.kind,
			isCancelled: stay.status === 'cancelled',
			households: households.filter((h) => h.stayId === stay.id).map(toHostHousehold)
		}))
	};
}

/** The host confirms or declines a meeting they host; anyone else (another committee member too) gets not_found. */
export async function respondToInvitation(
	{ actor, meetingId, response }: { actor: Actor; meetingId: string; response: 'confirmed' | 'declined' },
	{ db, now = new Date() }: Deps
): Promise<{ response: StayHostResponse }> {
	const id = parseInput(stayMeetingIdSchema, meetingId);
	const answer = parseInput(respondSchema, response);
	return db.transaction(async (tx) => {
		const meeting = await findHostedMeeting({
			db: tx,
			programmeId: actor.programmeId,
			meetingId: id,
			hostUserId: actor.userId
		});
		if (!meeting) throw stayMeetingNotFound({ meetingId });
		const stay = await findStayById({ db: tx, programmeId: actor.programmeId, stayId: meeting.stayId });
		if (!stay) throw stayMeetingNotFound({ meetingId });
		if (stay.status === 'cancelled') throw stayCancelled({ stayId: stay.id });
		await updateMeetingRow({
			db: tx,
			meetingId: meeting.id,
			values: { response: answer, respondedAt: now, updatedAt: now }
		});
		const households = await findStayHouseholds({ db: tx, stayIds: [stay.id] });
		await writeTimeline(
			{
				stay,
				caseIds: households.map((h) => h.caseId),
				actor,
				messageKey: answer === 'confirmed' ? 'stays_activity_host_confirmed' : 'stays_activity_host_declined',
				params: { host: actor.name, place: meeting.place },
				data: { meetingId: meeting.id },
				now
			},
			{ db: tx }
		);
		return { response: answer };
	});
}

export type OwnStay = {
	stay: Pick<DiscoveryStay, 'id' | 'kind' | 'title' | 'startsOn' | 'endsOn' | 'lodging' | 'status'>;
	state: StayState;
	meetings: Array<{
		id: string;
		startsAt: Date;
		endsAt: Date;
		place: string;
		topic: string | null;
		hostName: string;
		response: StayHostResponse;
	}>;
	ownOutcome: DiscoveryStayOutcome | null;
};

async function ownCaseId(actor: Actor, db: Db): Promise<string> {
	if (actor.role !== 'candidate') throw stayNotFound({ userId: actor.userId });
	const kase = await findCaseOfCandidate({ db, programmeId: actor.programmeId, userId: actor.userId });
	if (!kase) throw stayNotFound({ userId: actor.userId });
	return kase.id;
}

/** The candidate's own stays (their case's), with the programme of meetings; nobody else's. */
export async function listOwnStays(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<{ stays: OwnStay[] }> {
	if (actor.role !== 'candidate') throw stayNotFound({ userId: actor.userId });
	// A candidate whose account is not linked to a case yet simply has no stay.
	const kase = await findCaseOfCandidate({ db, programmeId: actor.programmeId, userId: actor.userId });
	if (!kase) return { stays: [] };
	const caseId = kase.id;
	const stays = await findStays({ db, programmeId: actor.programmeId, caseId });
	const summaries = await summarise(db, stays, now);
	return {
		stays: summaries.map(({ stay, state, meetings, outcomes }) => ({
			stay: {
				id: stay.id,
				kind: stay.kind,
				title: stay.title,
				startsOn: stay.startsOn,
				endsOn: stay.endsOn,
				lodging: stay.lodging,
				status: stay.status
			},
			state,
			meetings: meetings.map((m) => ({
				id: m.id,
				startsAt: m.startsAt,
				endsAt: m.endsAt,
				place: m.place,
				topic: m.topic,
				hostName: m.hostName,
				response: m.response
			})),
			ownOutcome: outcomes.find((o) => o.caseId === caseId && o.authorKind === 'household') ?? null
		}))
	};
}

/** The candidate's stays as an iCalendar file (RFC 5545). */
export async function renderOwnStaysCalendar(
	{ actor }: { actor: Actor },
	deps: Deps & { domain: string }
): Promise<{ ics: string }> {
	const caseId = await ownCaseId(actor, deps.db);
	const stays = await findStays({ db: deps.db, programmeId: actor.programmeId, caseId });
	const summaries = await summarise(deps.db, stays, deps.now ?? new Date());
	const lodgingLabel = translate(actor.locale, 'stays_lodging');
	return {
		ics: renderCalendar({
			name: translate(actor.locale, 'stays_calendar_name'),
			events: summaries.flatMap(({ stay, meetings }) =>
				stayCalendarEvents(stay, meetings, { domain: deps.domain, lodgingLabel })
			),
			now: deps.now
		})
	};
}

/**
 * Records the outcome after the stay: staff for any household of it (`caseId`), the candidate for
 * their own. Written to the case timeline; a second answer of the same author kind replaces the first.
 */
export async function recordOutcome(
	{ actor, stayId, caseId, input }: { actor: Actor; stayId: string; caseId?: string; input: OutcomeInput },
	{ db, now = new Date() }: Deps
): Promise<{ outcome: DiscoveryStayOutcome }> {
	const data = parseInput(outcomeSchema, input);
	const id = parseInput(stayIdSchema, stayId);
	return db.transaction(async (tx) => {
		const isStaff = isStaffActor(actor);
		const targetCaseId = isStaff ? caseId : await ownCaseId(actor, tx);
		const stay = await findStayById({ db: tx, programmeId: actor.programmeId, stayId: id });
		if (!stay || (!isStaff && actor.role !== 'candidate')) throw stayNotFound({ stayId });
		const households = await findStayHouseholds({ db: tx, stayIds: [stay.id] });
		const household = households.find((h) => h.caseId === targetCaseId);
		if (!household) {
			if (isStaff) throw new ValidationError([{ field: 'caseId', code: 'discovery_stay.unknown_case' }]);
			throw stayNotFound({ stayId });
		}
		if (stayStateOf(stay, now) !== 'completed') throw stayNotFinished({ stayId });
		const authorKind = isStaff ? 'advisor' : 'household';
		const outcome = await upsertOutcome({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				stayId: stay.id,
				caseId: household.caseId,
				authorKind,
				authorId: actor.userId,
				wentWell: data.wentWell,
				stillInterested: data.stillInterested,
				villagesConsidered: data.villagesConsidered,
				nextStep: data.nextStep,
				comment: data.comment,
				createdAt: now,
				updatedAt: now
			}
		});
		const t = (key: string) => translate(actor.locale, key);
		await writeTimeline(
			{
				stay,
				caseIds: [household.caseId],
				actor,
				messageKey: `stays_activity_outcome_${authorKind}`,
				params: {
					wentWell: t(data.wentWell ? 'stays_yes' : 'stays_no'),
					interested: t(data.stillInterested ? 'stays_yes' : 'stays_no'),
					next: t(`stays_next_step_${data.nextStep}`)
				},
				data: { outcomeId: outcome.id, villagesConsidered: data.villagesConsidered, comment: data.comment },
				now
			},
			{ db: tx }
		);
		return { outcome };
	});
}

/** What the stay forms offer: the programme's possible hosts (with their villages), workspaces, offers. */
export async function getStayOptions(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{
	hosts: Array<HostCandidate & { villages: Array<{ villageId: string; name: string }> }>;
	workspaces: Array<{ id: string; name: string; organisationId: string | null }>;
	offers: Array<{ id: string; title: string }>;
}> {
	assertStaff(actor);
	const hosts = await findHostCandidates({ db, programmeId: actor.programmeId });
	const villages = await findHostVillages({ db, programmeId: actor.programmeId });
	return {
		hosts: hosts.map((host) => ({
			...host,
			villages: villages
				.filter((v) => v.userId === host.userId)
				.map(({ villageId, name }) => ({ villageId, name }))
		})),
		workspaces: await findProgrammeWorkspaces({ db, programmeId: actor.programmeId }),
		offers: await findProgrammeOffers({ db, programmeId: actor.programmeId })
	};
}

export type StayConversion = {
	/** Households whose first stay is over. */
	households: number;
	/** Of which installed since. */
	installed: number;
	/** installed / households, or null without households. */
	rate: number | null;
	/** Median days from the stay's last day to the installation. */
	medianDays: number | null;
};

/**
 * The funnel's stay → installation figure. Staff see it as it is; committee members and funders
 * see counts of fewer than k households hidden (HIDDEN), and the rate and median hidden with them.
 */
export async function getStayConversion(
	{ viewer, minCellSize }: { viewer: ObservatoryViewer; minCellSize: number },
	{ db, now = new Date() }: Deps
): Promise<StayConversion> {
	const row = await findStayConversion({ db, programmeId: viewer.programmeId, today: todayIso(now) });
	const rate = row.households > 0 ? row.installed / row.households : null;
	if (viewer.kind === 'staff') return { ...row, rate };
	const households = hideSmall(row.households, minCellSize);
	const installed = hideSmall(row.installed, minCellSize);
	const installedShown = !Number.isNaN(installed) && !Number.isNaN(households);
	return {
		households,
		installed: Number.isNaN(households) ? Number.NaN : installed,
		rate: installedShown ? rate : Number.NaN,
		medianDays: installedShown && row.installed >= minCellSize ? row.medianDays : Number.NaN
	};
}
