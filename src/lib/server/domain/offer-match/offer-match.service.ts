/**
 * Alerts both ways (issue 15, part 4): which households an offer matches, with the same engine as
 * the candidate's suggestions, kept current when an offer is published or changed and when a
 * household's needs are saved; the candidate's opt-in to a daily mail of them; the daily digest
 * to opted-in candidates and to each household's advisor; the back office's "matching households".
 *
 * Who sees what: a candidate only their own household's matches; staff every household of their
 * programme; a committee member, on an offer they manage, only the households they may see (the
 * case rule: targets one of their villages and agreed to share with committees); partners and
 * members none.
 */
import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import { getProgrammeAddress } from '../programme/programme-host.service.ts';
import type { Db } from '../../db/index.ts';
import {
	DEFAULT_MATCHING_WEIGHTS,
	matchOfferInCommune,
	prepareCommunes,
	type MatchingCommune,
	type MatchingNeeds,
	type MatchingOffer,
	type MatchingWeights
} from '../../../domain/matching/matching.ts';
import { createLogger } from '../../logger.ts';
import {
	findCaseOfCandidate,
	findCommitteeVillageIds,
	findProgrammePipeline
} from '../case/case.repository.ts';
import { canCommitteeSeeCase } from '../case/case.permissions.ts';
import { isOpenStage, resolvePipeline, type Pipeline } from '../case/case.rules.ts';
import { queueMail } from '../mail/mail.service.ts';
import {
	findMatchableOffers,
	findMatchingCommunes,
	findProgrammeTerritory,
	findWeights
} from '../matching/matching.repository.ts';
import { toMatchingNeeds, toRawMatchingCommune } from '../matching/matching.rules.ts';
import { matchingCaseNotFound } from '../matching/matching.errors.ts';
import { findOfferById } from '../offer/offer.repository.ts';
import { canManageOffer, isOfferPublic } from '../offer/offer.rules.ts';
import { offerNotFound } from '../offer/offer.errors.ts';
import { offerIdSchema } from '../offer/offer.schemas.ts';
import { offerMatchNeedsNotFilled } from './offer-match.errors.ts';
import { buildAdvisorOfferMatchMail, buildCandidateOfferMatchMail } from './offer-match.mails.ts';
import {
	claimOfferMatchDigest,
	deleteOfferMatches,
	findCasesWithNeeds,
	findMatchesOfCase,
	findMatchesOfOffer,
	findOfferAlertChoice,
	findOffersPublishedBetween,
	findPendingMatches,
	findRecentMatchesOfAdvisor,
	markMatchesNotified,
	updateOfferAlertChoice,
	upsertOfferMatches,
	type NewOfferMatch,
	type PendingMatch
} from './offer-match.repository.ts';

const log = createLogger({ namespace: 'offer-match' });

type Deps = { db: Db; now?: Date };

/** The programme's weights, its open households' needs, and its communes prepared for some offers. */
async function loadEngine(
	{ programmeId, offers, caseId }: { programmeId: string; offers: MatchingOffer[]; caseId?: string },
	{ db }: { db: Db }
) {
	const codes = [...new Set(offers.map((offer) => offer.communeCode))];
	const territory = await findProgrammeTerritory({ db, programmeId });
	const rows = codes.length
		? await findMatchingCommunes({
				db,
				programmeId,
				departements: territory?.departements ?? [],
				villagesAnd: codes
			})
		: [];
	const communes = new Map<string, MatchingCommune>(
		prepareCommunes({
			communes: rows.map((row) => toRawMatchingCommune(row)),
			metropole: territory?.metropole ?? null,
			only: new Set(codes)
		}).map((commune) => [commune.code, commune])
	);
	const weights: MatchingWeights = {
		...DEFAULT_MATCHING_WEIGHTS,
		...((await findWeights({ db, programmeId })) ?? {})
	};
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId }));
	// Installed, abandoned or gone households are not looking any more.
	const households = (await findCasesWithNeeds({ db, programmeId, caseId }))
		.filter((row) => isOpenStage(pipeline, row.stage))
		.map((row) => ({ caseId: row.caseId, needs: toMatchingNeeds(row.needs) as MatchingNeeds }));
	return { communes, weights, households };
}

function matchesOf(engine: Awaited<ReturnType<typeof loadEngine>>, offers: MatchingOffer[]): NewOfferMatch[] {
	const matches: NewOfferMatch[] = [];
	for (const offer of offers) {
		const commune = engine.communes.get(offer.communeCode);
		// An offer outside the territory's communes ranks nowhere.
		if (!commune) continue;
		for (const household of engine.households) {
			const match = matchOfferInCommune(household.needs, engine.weights, commune, offer);
			if (match)
				matches.push({
					offerId: offer.id,
					caseId: household.caseId,
					score: match.score,
					reasons: match.reasons
				});
		}
	}
	return matches;
}

/**
 * Re-evaluates which open households an offer matches, in the caller's transaction (the offer
 * service calls it when an offer is created or changed in a way that matters). An offer off the
 * portal (not available, not yet published, expired) matches nobody; a household it stops
 * matching loses the match, told or not. Returns how many new matches were recorded.
 */
export async function refreshOfferMatches(
	{ programmeId, offerId }: { programmeId: string; offerId: string },
	deps: Deps
): Promise<{ added: number; removed: number; matched: number }> {
	const result = await refreshMatchesOfOffers({ programmeId, offerIds: [offerId] }, deps);
	log.info({ offerId, ...result }, 'Offer matches refreshed');
	return result;
}

/**
 * refreshOfferMatches for several offers of one programme at once: the engine (communes, weights,
 * households' needs) is loaded once for all of them (the daily digest matches the offers whose
 * publication date has come).
 */
async function refreshMatchesOfOffers(
	{ programmeId, offerIds }: { programmeId: string; offerIds: readonly string[] },
	{ db, now = new Date() }: Deps
): Promise<{ added: number; removed: number; matched: number }> {
	let removed = 0;
	const matchable: MatchingOffer[] = [];
	for (const offerId of offerIds) {
		const offer = await findOfferById({ db, programmeId, offerId });
		if (!offer || !isOfferPublic(offer, now)) {
			removed += await deleteOfferMatches({ db, programmeId, of: { offerId }, keep: [] });
			continue;
		}
		matchable.push({
			id: offer.id,
			kind: offer.kind,
			communeCode: offer.communeCode,
			villageId: offer.villageId,
			price: offer.price,
			rooms: offer.rooms,
			surfaceM2: offer.surfaceM2
		});
	}
	if (matchable.length === 0) return { added: 0, removed, matched: 0 };
	const engine = await loadEngine({ programmeId, offers: matchable }, { db });
	const matches = matchesOf(engine, matchable);
	for (const offer of matchable)
		removed += await deleteOfferMatches({
			db,
			programmeId,
			of: { offerId: offer.id },
			keep: matches.filter((match) => match.offerId === offer.id).map((match) => match.caseId)
		});
	const added = await upsertOfferMatches({ db, programmeId, matches, now });
	return { added, removed, matched: matches.length };
}

/**
 * Re-evaluates a household's matches against every offer on the portal, in the caller's
 * transaction (saving the needs calls it): new fits are recorded, offers that no longer fit are
 * removed. A household that is not open any more keeps no match.
 */
export async function refreshCaseMatches(
	{ programmeId, caseId }: { programmeId: string; caseId: string },
	{ db, now = new Date() }: Deps
): Promise<{ added: number; removed: number; matched: number }> {
	const offers = await findMatchableOffers({ db, programmeId, now });
	const engine = await loadEngine({ programmeId, offers, caseId }, { db });
	const matches = matchesOf(engine, offers);
	const removed = await deleteOfferMatches({
		db,
		programmeId,
		of: { caseId },
		keep: matches.map((match) => match.offerId)
	});
	const added = await upsertOfferMatches({ db, programmeId, matches, now });
	return { added, removed, matched: matches.length };
}

async function ownCase(actor: Actor, { db }: { db: Db }) {
	const kase =
		actor.role === 'candidate'
			? await findCaseOfCandidate({ db, programmeId: actor.programmeId, userId: actor.userId })
			: null;
	if (!kase) throw matchingCaseNotFound({ userId: actor.userId });
	return kase;
}

/** A matched offer as the candidate sees it: newest match first. */
export type OwnOfferMatch = Awaited<ReturnType<typeof findMatchesOfCase>>[number];

/**
 * The candidate's "new offers for you": their household's matched offers still on the portal,
 * and whether they asked for the daily mail (null: needs not saved yet). Candidates only.
 */
export async function getOwnOfferMatches(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<{ matches: OwnOfferMatch[]; isOfferAlertWanted: boolean | null }> {
	const kase = await ownCase(actor, { db });
	return {
		matches: await findMatchesOfCase({ db, programmeId: kase.programmeId, caseId: kase.id, now }),
		isOfferAlertWanted: await findOfferAlertChoice({ db, caseId: kase.id })
	};
}

/**
 * The candidate's choice of the daily mail of new matching offers (off by default). Only the
 * candidate makes it, once their needs are saved (`offer_match.needs_not_filled` before).
 */
export async function setOfferAlerts(
	{ actor, isWanted }: { actor: Actor; isWanted: boolean },
	{ db }: Deps
): Promise<{ isOfferAlertWanted: boolean }> {
	return db.transaction(async (tx) => {
		const kase = await ownCase(actor, { db: tx });
		if (!(await updateOfferAlertChoice({ db: tx, caseId: kase.id, isWanted })))
			throw offerMatchNeedsNotFilled({ caseId: kase.id });
		log.info({ caseId: kase.id, isWanted }, 'Offer alerts chosen');
		return { isOfferAlertWanted: isWanted };
	});
}

/** A household an offer matches, as the back office lists it. */
export type OfferHousehold = {
	caseId: string;
	reference: string;
	name: string | null;
	score: number;
	reasons: NewOfferMatch['reasons'];
	matchedAt: Date;
};

/**
 * The households an offer matches ("Ménages correspondants"), best first. The offer must be one
 * the actor manages (else `offer.not_found`); staff see every household, a committee member only
 * those the case rules let them see; partners see none (they have no access to case files).
 */
export async function getOfferHouseholds(
	{ actor, offerId }: { actor: Actor; offerId: string },
	{ db }: Deps
): Promise<{ households: OfferHousehold[] }> {
	const offer = v.is(offerIdSchema, offerId)
		? await findOfferById({ db, programmeId: actor.programmeId, offerId })
		: null;
	const memberVillageIds =
		actor.role === 'committee'
			? await findCommitteeVillageIds({ db, programmeId: actor.programmeId, userId: actor.userId })
			: [];
	if (!offer || !canManageOffer(actor, offer, memberVillageIds)) throw offerNotFound({ offerId });
	if (!isStaff(actor) && actor.role !== 'committee') return { households: [] };
	const rows = await findMatchesOfOffer({ db, programmeId: actor.programmeId, offerId: offer.id });
	return {
		households: rows
			.filter((row) => isStaff(actor) || canCommitteeSeeCase(row, row.targetVillageIds, memberVillageIds))
			.map((row) => ({
				caseId: row.caseId,
				reference: row.reference,
				name: [row.firstName, row.lastName].filter(Boolean).join(' ') || null,
				score: row.score,
				reasons: row.reasons,
				matchedAt: row.matchedAt
			}))
	};
}

/** The advisor's households' matches of the last 7 days, for their dashboard (staff only, else none). */
export async function getRecentMatchesOfAdvisor(
	{ actor, limit = 10 }: { actor: Actor; limit?: number },
	{ db, now = new Date() }: Deps
) {
	if (!isStaff(actor)) return { matches: [] };
	const matches = await findRecentMatchesOfAdvisor({
		db,
		programmeId: actor.programmeId,
		advisorId: actor.userId,
		since: new Date(now.getTime() - 7 * 86_400_000),
		now,
		limit
	});
	return { matches };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The server's local date, as the task digest: the programme's working day. */
const localDay = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

export type OfferMatchDigestResult = {
	day: string;
	/** Candidates who were sent their digest. */
	candidates: number;
	/** Advisors who were sent theirs. */
	advisors: number;
	/** Recipients whose digest of the day had already gone. */
	alreadySent: number;
};

function groupByRecipient(matches: PendingMatch[]): PendingMatch[][] {
	const groups = new Map<string, PendingMatch[]>();
	for (const match of matches) {
		const key = `${match.recipientId}\u0000${match.programmeId}`;
		const group = groups.get(key);
		if (group) group.push(match);
		else groups.set(key, [match]);
	}
	return [...groups.values()];
}

/** How far back the digest looks for offers whose publication date has come. */
const SCHEDULED_OFFERS_LOOKBACK_MS = 7 * 86_400_000;

/**
 * The daily digest of new matching offers. Each candidate who opted in gets one mail listing the
 * offers matched since their last digest (with the reasons, a link to each offer and to their
 * suggestions); each advisor gets one mail listing their households' new matches. At most one of
 * each per person and day, however often the job runs (a claim row per user, day and audience,
 * committed with the mail and the "told" marks). A system job: no actor.
 */
export async function sendOfferMatchDigests(
	{ now = new Date(), programmeId }: { now?: Date; programmeId?: string },
	{ db, config }: { db: Db; config: Config }
): Promise<OfferMatchDigestResult> {
	const day = localDay(now);
	/** Each programme's links go to its primary host (programme-host.service.ts). */
	const origins = new Map<string, string>();
	const originOf = async (programmeId: string) => {
		if (!origins.has(programmeId))
			origins.set(programmeId, (await getProgrammeAddress({ programmeId }, { db, config })).address);
		return origins.get(programmeId)!;
	};
	const result: OfferMatchDigestResult = { day, candidates: 0, advisors: 0, alreadySent: 0 };
	// An offer published with a later date comes on the portal without being saved again: its
	// matches are computed here, before the digests are assembled (a week back, so that a day the
	// job did not run is caught up; refreshing an offer already matched records nothing new).
	const scheduled = await findOffersPublishedBetween({
		db,
		since: new Date(now.getTime() - SCHEDULED_OFFERS_LOOKBACK_MS),
		now,
		programmeId
	});
	const scheduledByProgramme = new Map<string, string[]>();
	for (const offer of scheduled)
		scheduledByProgramme.set(offer.programmeId, [
			...(scheduledByProgramme.get(offer.programmeId) ?? []),
			offer.id
		]);
	for (const [offersProgrammeId, offerIds] of scheduledByProgramme)
		await db.transaction((tx) =>
			refreshMatchesOfOffers({ programmeId: offersProgrammeId, offerIds }, { db: tx, now })
		);
	const pipelines = new Map<string, Pipeline>();
	const isOpen = async (match: PendingMatch) => {
		if (!pipelines.has(match.programmeId))
			pipelines.set(
				match.programmeId,
				resolvePipeline(await findProgrammePipeline({ db, programmeId: match.programmeId }))
			);
		return isOpenStage(pipelines.get(match.programmeId)!, match.stage);
	};
	for (const audience of ['candidate', 'advisor'] as const) {
		const pending: PendingMatch[] = [];
		// A household installed or gone since the match is not looking any more.
		for (const match of await findPendingMatches({ db, audience, now, programmeId }))
			if (await isOpen(match)) pending.push(match);
		for (const group of groupByRecipient(pending)) {
			const [first] = group;
			const origin = await originOf(first.programmeId);
			// One short transaction per recipient: the claim, the mail and the marks commit together.
			const isSent = await db.transaction(async (tx) => {
				const claimed = await claimOfferMatchDigest({
					db: tx,
					userId: first.recipientId,
					programmeId: first.programmeId,
					day,
					audience,
					matchCount: group.length
				});
				if (!claimed) return false;
				const mail =
					audience === 'candidate'
						? buildCandidateOfferMatchMail({ matches: group, origin })
						: buildAdvisorOfferMatchMail({ matches: group, origin });
				await queueMail(
					{
						programmeId: first.programmeId,
						kind: `offer_match.${audience}_digest`,
						to: first.email,
						...mail
					},
					{ db: tx, config }
				);
				await markMatchesNotified({
					db: tx,
					programmeId: first.programmeId,
					pairs: group.map((match) => ({ offerId: match.offerId, caseId: match.caseId })),
					audience,
					day
				});
				return true;
			});
			if (!isSent) result.alreadySent++;
			else if (audience === 'candidate') result.candidates++;
			else result.advisors++;
		}
	}
	log.info(result, 'Offer match digests');
	return result;
}
