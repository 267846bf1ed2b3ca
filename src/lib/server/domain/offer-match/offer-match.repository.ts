import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	caseNeedsTable,
	casesTable,
	caseTargetVillagesTable,
	communesTable,
	membershipsTable,
	offerMatchDigestsTable,
	offerMatchesTable,
	offersTable,
	personsTable,
	programmesTable,
	usersTable,
	type CaseNeedsRow,
	type OfferMatchRow
} from '../../db/schema/index.ts';
import { ofActiveProgramme } from '../../db/active-programme.ts';

/** Households of a programme with saved needs, with their stage (the caller keeps the open ones): one query. */
export async function findCasesWithNeeds({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId?: string;
}): Promise<{ caseId: string; stage: string; needs: CaseNeedsRow }[]> {
	const rows = await db
		.select({ caseId: casesTable.id, stage: casesTable.stage, needs: caseNeedsTable })
		.from(caseNeedsTable)
		.innerJoin(casesTable, eq(casesTable.id, caseNeedsTable.caseId))
		.where(
			and(
				eq(caseNeedsTable.programmeId, programmeId),
				eq(casesTable.programmeId, programmeId),
				caseId ? eq(casesTable.id, caseId) : undefined
			)
		)
		.orderBy(asc(casesTable.id));
	return rows;
}

export type NewOfferMatch = {
	offerId: string;
	caseId: string;
	score: number;
	reasons: OfferMatchRow['reasons'];
};

/**
 * Writes matches: a new pair is recorded with `matchedAt` (the digests will tell it); a pair
 * already recorded only gets its new score and reasons (it is not told twice).
 */
export async function upsertOfferMatches({
	db,
	programmeId,
	matches,
	now
}: {
	db: Db;
	programmeId: string;
	matches: NewOfferMatch[];
	now: Date;
}): Promise<number> {
	if (!matches.length) return 0;
	const rows = await db
		.insert(offerMatchesTable)
		.values(matches.map((match) => ({ ...match, programmeId, matchedAt: now })))
		.onConflictDoUpdate({
			target: [offerMatchesTable.offerId, offerMatchesTable.caseId],
			set: { score: sql`excluded.score`, reasons: sql`excluded.reasons` }
		})
		.returning({ matchedAt: offerMatchesTable.matchedAt });
	return rows.filter((row) => row.matchedAt.getTime() === now.getTime()).length;
}

/**
 * Removes the matches of one offer (`offerId`) or of one household (`caseId`), but those kept:
 * the households `keep` names for an offer, the offers it names for a household (all of them when
 * `keep` is empty). Returns how many were removed.
 */
export async function deleteOfferMatches({
	db,
	programmeId,
	of,
	keep
}: {
	db: Db;
	programmeId: string;
	of: { offerId: string } | { caseId: string };
	keep: string[];
}): Promise<number> {
	const [owner, kept] =
		'offerId' in of
			? [eq(offerMatchesTable.offerId, of.offerId), offerMatchesTable.caseId]
			: [eq(offerMatchesTable.caseId, of.caseId), offerMatchesTable.offerId];
	const rows = await db
		.delete(offerMatchesTable)
		.where(
			and(
				eq(offerMatchesTable.programmeId, programmeId),
				owner,
				keep.length ? notInArray(kept, keep) : undefined
			)
		)
		.returning({ id: offerMatchesTable.offerId });
	return rows.length;
}

/**
 * Offers whose publication date fell in (`since`, `now`]: an offer published with a later date
 * comes on the portal without being saved again, so nothing matched it yet.
 */
export async function findOffersPublishedBetween({
	db,
	since,
	now,
	programmeId
}: {
	db: Db;
	since: Date;
	now: Date;
	programmeId?: string;
}): Promise<{ id: string; programmeId: string }[]> {
	return db
		.select({ id: offersTable.id, programmeId: offersTable.programmeId })
		.from(offersTable)
		.where(
			and(
				gt(offersTable.publishedAt, since),
				lte(offersTable.publishedAt, now),
				ofActiveProgramme(offersTable.programmeId),
				programmeId ? eq(offersTable.programmeId, programmeId) : undefined
			)
		)
		.orderBy(asc(offersTable.id));
}

const publicOffer = (now: Date) =>
	and(eq(offersTable.status, 'available'), lte(offersTable.publishedAt, now), gt(offersTable.expiresAt, now));

/** A household's matched offers still on the portal, newest match first. */
export async function findMatchesOfCase({
	db,
	programmeId,
	caseId,
	now
}: {
	db: Db;
	programmeId: string;
	caseId: string;
	now: Date;
}) {
	return db
		.select({
			offerId: offersTable.id,
			kind: offersTable.kind,
			titleFr: offersTable.titleFr,
			titleEn: offersTable.titleEn,
			price: offersTable.price,
			communeName: communesTable.name,
			score: offerMatchesTable.score,
			reasons: offerMatchesTable.reasons,
			matchedAt: offerMatchesTable.matchedAt
		})
		.from(offerMatchesTable)
		.innerJoin(offersTable, eq(offersTable.id, offerMatchesTable.offerId))
		.innerJoin(communesTable, eq(communesTable.code, offersTable.communeCode))
		.where(
			and(
				eq(offerMatchesTable.programmeId, programmeId),
				eq(offerMatchesTable.caseId, caseId),
				publicOffer(now)
			)
		)
		.orderBy(desc(offerMatchesTable.matchedAt), asc(offersTable.id));
}

/** The households an offer matches, best first, with their candidate's name and target villages. */
export async function findMatchesOfOffer({
	db,
	programmeId,
	offerId
}: {
	db: Db;
	programmeId: string;
	offerId: string;
}) {
	const rows = await db
		.select({
			caseId: casesTable.id,
			reference: casesTable.reference,
			consents: casesTable.consents,
			firstName: personsTable.firstName,
			lastName: personsTable.lastName,
			score: offerMatchesTable.score,
			reasons: offerMatchesTable.reasons,
			matchedAt: offerMatchesTable.matchedAt
		})
		.from(offerMatchesTable)
		.innerJoin(casesTable, eq(casesTable.id, offerMatchesTable.caseId))
		.leftJoin(
			personsTable,
			and(eq(personsTable.caseId, casesTable.id), eq(personsTable.householdRole, 'candidate'))
		)
		.where(and(eq(offerMatchesTable.programmeId, programmeId), eq(offerMatchesTable.offerId, offerId)))
		.orderBy(desc(offerMatchesTable.score), asc(casesTable.reference));
	const caseIds = rows.map((row) => row.caseId);
	const targets = caseIds.length
		? await db
				.select({ caseId: caseTargetVillagesTable.caseId, villageId: caseTargetVillagesTable.villageId })
				.from(caseTargetVillagesTable)
				.where(inArray(caseTargetVillagesTable.caseId, caseIds))
		: [];
	return rows.map((row) => ({
		...row,
		targetVillageIds: targets.filter((t) => t.caseId === row.caseId).map((t) => t.villageId)
	}));
}

/** A match waiting for a digest, with its offer and its recipient. */
export type PendingMatch = {
	recipientId: string;
	name: string;
	email: string;
	locale: 'fr' | 'en';
	programmeId: string;
	programmeName: string;
	caseId: string;
	reference: string;
	stage: string;
	/** The household has no advisor yet: the programme's admins are told instead. */
	isUnassigned: boolean;
	offerId: string;
	kind: string;
	titleFr: string;
	titleEn: string | null;
	price: number | null;
	communeName: string;
	score: number;
	reasons: OfferMatchRow['reasons'];
};

/**
 * Matches not yet told, of offers still on the portal, grouped by the caller per recipient:
 * `candidate` for households who opted in (their candidate's account), `advisor` for the case's
 * advisor (an active admin or advisor of the programme).
 */
export async function findPendingMatches({
	db,
	audience,
	now,
	programmeId
}: {
	db: Db;
	audience: 'candidate' | 'advisor';
	now: Date;
	programmeId?: string;
}): Promise<PendingMatch[]> {
	const isCandidate = audience === 'candidate';
	// Staff: the household's advisor; a household nobody holds yet is told to the programme's admins.
	const recipient = isCandidate
		? eq(usersTable.id, casesTable.candidateUserId)
		: or(eq(usersTable.id, casesTable.advisorId), isNull(casesTable.advisorId));
	const recipientRole = isCandidate
		? eq(membershipsTable.role, 'candidate')
		: or(
				and(isNotNull(casesTable.advisorId), inArray(membershipsTable.role, ['admin', 'advisor'])),
				and(isNull(casesTable.advisorId), eq(membershipsTable.role, 'admin'))
			);
	const query = db
		.select({
			recipientId: usersTable.id,
			name: usersTable.name,
			email: usersTable.email,
			locale: usersTable.locale,
			programmeId: offerMatchesTable.programmeId,
			programmeName: programmesTable.name,
			caseId: casesTable.id,
			reference: casesTable.reference,
			stage: casesTable.stage,
			isUnassigned: sql<boolean>`${casesTable.advisorId} is null`,
			offerId: offersTable.id,
			kind: offersTable.kind,
			titleFr: offersTable.titleFr,
			titleEn: offersTable.titleEn,
			price: offersTable.price,
			communeName: communesTable.name,
			score: offerMatchesTable.score,
			reasons: offerMatchesTable.reasons
		})
		.from(offerMatchesTable)
		.innerJoin(casesTable, eq(casesTable.id, offerMatchesTable.caseId))
		.innerJoin(offersTable, eq(offersTable.id, offerMatchesTable.offerId))
		.innerJoin(communesTable, eq(communesTable.code, offersTable.communeCode))
		.innerJoin(programmesTable, eq(programmesTable.id, offerMatchesTable.programmeId))
		.innerJoin(usersTable, recipient)
		.innerJoin(
			membershipsTable,
			and(
				eq(membershipsTable.userId, usersTable.id),
				eq(membershipsTable.programmeId, offerMatchesTable.programmeId),
				eq(membershipsTable.status, 'active'),
				recipientRole
			)
		)
		.innerJoin(caseNeedsTable, eq(caseNeedsTable.caseId, casesTable.id));
	return query
		.where(
			and(
				isCandidate
					? and(isNull(offerMatchesTable.candidateNotifiedOn), eq(caseNeedsTable.isOfferAlertWanted, true))
					: isNull(offerMatchesTable.advisorNotifiedOn),
				publicOffer(now),
				// A suspended programme's matches are told to nobody (ofActiveProgramme).
				ofActiveProgramme(offerMatchesTable.programmeId),
				programmeId ? eq(offerMatchesTable.programmeId, programmeId) : undefined
			)
		)
		.orderBy(asc(usersTable.id), desc(offerMatchesTable.matchedAt), asc(offersTable.id));
}

/** Records a digest for a user, day and audience; false when one was already sent (nothing is written). */
export async function claimOfferMatchDigest({
	db,
	userId,
	programmeId,
	day,
	audience,
	matchCount
}: {
	db: Db;
	userId: string;
	programmeId: string;
	day: string;
	audience: 'candidate' | 'advisor';
	matchCount: number;
}): Promise<boolean> {
	const rows = await db
		.insert(offerMatchDigestsTable)
		.values({ userId, programmeId, day, audience, matchCount })
		.onConflictDoNothing()
		.returning({ userId: offerMatchDigestsTable.userId });
	return rows.length > 0;
}

/** Marks matches as told to their candidate or advisor on `day`. */
export async function markMatchesNotified({
	db,
	programmeId,
	pairs,
	audience,
	day
}: {
	db: Db;
	programmeId: string;
	pairs: { offerId: string; caseId: string }[];
	audience: 'candidate' | 'advisor';
	day: string;
}): Promise<void> {
	for (const { offerId, caseId } of pairs)
		await db
			.update(offerMatchesTable)
			.set(audience === 'candidate' ? { candidateNotifiedOn: day } : { advisorNotifiedOn: day })
			.where(
				and(
					eq(offerMatchesTable.programmeId, programmeId),
					eq(offerMatchesTable.offerId, offerId),
					eq(offerMatchesTable.caseId, caseId)
				)
			);
}

/** Whether the household wants the daily mail of new matching offers (null: no saved needs). */
export async function findOfferAlertChoice({
	db,
	caseId
}: {
	db: Db;
	caseId: string;
}): Promise<boolean | null> {
	const [row] = await db
		.select({ isWanted: caseNeedsTable.isOfferAlertWanted })
		.from(caseNeedsTable)
		.where(eq(caseNeedsTable.caseId, caseId));
	return row ? row.isWanted : null;
}

export async function updateOfferAlertChoice({
	db,
	caseId,
	isWanted
}: {
	db: Db;
	caseId: string;
	isWanted: boolean;
}): Promise<boolean> {
	const rows = await db
		.update(caseNeedsTable)
		.set({ isOfferAlertWanted: isWanted })
		.where(eq(caseNeedsTable.caseId, caseId))
		.returning({ caseId: caseNeedsTable.caseId });
	return rows.length > 0;
}

/** An advisor's households' matches of the last days, newest first (the dashboard's list). */
export async function findRecentMatchesOfAdvisor({
	db,
	programmeId,
	advisorId,
	since,
	now,
	limit
}: {
	db: Db;
	programmeId: string;
	advisorId: string;
	since: Date;
	now: Date;
	limit: number;
}) {
	return db
		.select({
			caseId: casesTable.id,
			reference: casesTable.reference,
			offerId: offersTable.id,
			titleFr: offersTable.titleFr,
			titleEn: offersTable.titleEn,
			score: offerMatchesTable.score,
			matchedAt: offerMatchesTable.matchedAt
		})
		.from(offerMatchesTable)
		.innerJoin(casesTable, eq(casesTable.id, offerMatchesTable.caseId))
		.innerJoin(offersTable, eq(offersTable.id, offerMatchesTable.offerId))
		.where(
			and(
				eq(offerMatchesTable.programmeId, programmeId),
				eq(casesTable.advisorId, advisorId),
				gt(offerMatchesTable.matchedAt, since),
				publicOffer(now)
			)
		)
		.orderBy(desc(offerMatchesTable.matchedAt), asc(casesTable.reference))
		.limit(limit);
}
