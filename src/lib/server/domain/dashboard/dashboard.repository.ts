import { and, asc, eq, gte, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	discoveryStayMeetingsTable,
	discoveryStaysTable,
	type DiscoveryStayMeeting,
	type StayKind
} from '../../db/schema/index.ts';

export type UpcomingMeeting = Pick<
	DiscoveryStayMeeting,
	'id' | 'startsAt' | 'endsAt' | 'place' | 'topic' | 'villageId' | 'response'
> & { stayKind: StayKind; isHost: boolean };

/**
 * The next meetings of planned stays that the user hosts or that take place in one of
 * `villageIds`, soonest first: when and where, nothing of the households.
 */
export async function findUpcomingMeetings({
	db,
	programmeId,
	userId,
	villageIds,
	from,
	limit
}: {
	db: Db;
	programmeId: string;
	userId: string;
	villageIds: string[];
	from: Date;
	limit: number;
}): Promise<UpcomingMeeting[]> {
	const m = discoveryStayMeetingsTable;
	const where = villageIds.length
		? or(eq(m.hostUserId, userId), inArray(m.villageId, villageIds))
		: eq(m.hostUserId, userId);
	const rows = await db
		.select({
			id: m.id,
			startsAt: m.startsAt,
			endsAt: m.endsAt,
			place: m.place,
			topic: m.topic,
			villageId: m.villageId,
			response: m.response,
			hostUserId: m.hostUserId,
			stayKind: discoveryStaysTable.kind
		})
		.from(m)
		.innerJoin(discoveryStaysTable, eq(discoveryStaysTable.id, m.stayId))
		.where(
			and(
				eq(m.programmeId, programmeId),
				eq(discoveryStaysTable.status, 'planned'),
				gte(m.endsAt, from),
				where
			)
		)
		.orderBy(asc(m.startsAt), asc(m.id))
		.limit(limit);
	return rows.map(({ hostUserId, ...row }) => ({ ...row, isHost: hostUserId === userId }));
}
