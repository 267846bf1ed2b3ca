/**
 * Pure rules of discovery stays and welcome sessions: when a stay counts as completed, whether a
 * meeting falls within the stay's days, what a host is shown, and the candidate's calendar events.
 */
import { fromLocalInput, todayIso } from '../../../domain/datetime.ts';
import type { CalendarEvent } from '../../calendar/ics.ts';
import type { DiscoveryStay, DiscoveryStayMeeting, StayHostKind, Role } from '../../db/schema/index.ts';

export type StayState = 'planned' | 'completed' | 'cancelled';

/** A planned stay is completed once its last day has come (in the programme's time zone). */
export function stayStateOf(stay: Pick<DiscoveryStay, 'status' | 'endsOn'>, now: Date): StayState {
	if (stay.status === 'cancelled') return 'cancelled';
	return stay.endsOn <= todayIso(now) ? 'completed' : 'planned';
}

/** The day (programme time zone) a meeting starts on must be one of the stay's days. */
export function isMeetingWithinStay(
	stay: Pick<DiscoveryStay, 'startsOn' | 'endsOn'>,
	startsAt: Date,
	endsAt: Date
): boolean {
	const first = todayIso(startsAt);
	const last = todayIso(endsAt);
	return first >= stay.startsOn && last <= stay.endsOn;
}

/** The role a host must hold in the programme for each kind of meeting (a workspace is its partner's). */
export const HOST_ROLE: Record<StayHostKind, Role> = {
	committee: 'committee',
	partner: 'partner',
	member: 'member',
	workspace: 'partner'
};

/** A household as hosts see it: the candidate's first name and the household's size, nothing else. */
export type HostHousehold = { firstName: string | null; size: number };

/** The candidate's calendar: one event per meeting, plus the stay itself as an all-days block. */
export function stayCalendarEvents(
	stay: Pick<
		DiscoveryStay,
		'id' | 'title' | 'startsOn' | 'endsOn' | 'lodging' | 'status' | 'sequence' | 'updatedAt'
	>,
	meetings: Array<
		Pick<DiscoveryStayMeeting, 'id' | 'startsAt' | 'endsAt' | 'place' | 'topic' | 'response'> & {
			hostName: string;
		}
	>,
	{ domain, lodgingLabel }: { domain: string; lodgingLabel: string }
): CalendarEvent[] {
	const isCancelled = stay.status === 'cancelled';
	// From the first day's midnight to the last day's end, in the programme's time zone.
	const dayAfter = new Date(`${stay.endsOn}T00:00:00Z`);
	dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
	const endsAt = new Date(fromLocalInput(`${dayAfter.toISOString().slice(0, 10)}T00:00`));
	const events: CalendarEvent[] = [
		{
			uid: `${stay.id}@${domain}`,
			title: stay.title,
			description: stay.lodging ? `${lodgingLabel}: ${stay.lodging}` : null,
			startsAt: new Date(fromLocalInput(`${stay.startsOn}T00:00`)),
			endsAt,
			isCancelled,
			sequence: stay.sequence,
			updatedAt: stay.updatedAt
		}
	];
	for (const meeting of meetings) {
		events.push({
			uid: `${meeting.id}@${domain}`,
			title: meeting.topic ? `${meeting.topic} — ${meeting.hostName}` : meeting.hostName,
			location: meeting.place,
			startsAt: meeting.startsAt,
			endsAt: meeting.endsAt,
			// A declined meeting will not take place: calendars show it cancelled.
			isCancelled: isCancelled || meeting.response === 'declined',
			sequence: stay.sequence,
			updatedAt: stay.updatedAt
		});
	}
	return events;
}
