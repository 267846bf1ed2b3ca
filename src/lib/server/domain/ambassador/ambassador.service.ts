import type { Actor } from '../../auth/actor.ts';
import { findCommuneCentres } from '../territory/territory.repository.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { AmbassadorPairing } from '../../db/schema/index.ts';
import { translate } from '../../../i18n/index.ts';
import { vocabularyLabelKey } from '../vocabulary/vocabulary.rules.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { caseNotFound } from '../case/case.errors.ts';
import {
	findCaseById,
	findCasePersons,
	findCaseTargetVillages,
	findProgrammePipeline,
	insertActivity
} from '../case/case.repository.ts';
import { isInstalledStage, resolvePipeline } from '../case/case.rules.ts';
import { memberForbidden, memberNotFound } from '../member/member.errors.ts';
import { findProfileByUserId, findProfilesOfCase } from '../member/member.repository.ts';
import {
	ambassadorAlreadyPaired,
	ambassadorForbidden,
	ambassadorNotFound,
	ambassadorNotProposed,
	ambassadorOwnCase,
	ambassadorPairingEnded,
	ambassadorPairingNotFound
} from './ambassador.errors.ts';
import {
	findAmbassadorProfile,
	findOpenPairing,
	findPairingById,
	findPairingsOfAmbassador,
	findPairingsOfCase,
	findVolunteerAmbassadors,
	insertPairing,
	updatePairing,
	type AmbassadorPairingRow,
	type CasePairingRow
} from './ambassador.repository.ts';
import {
	rankAmbassadors,
	scoreAmbassador,
	type AmbassadorCandidate,
	type Newcomer,
	type RankedAmbassador
} from './ambassador.rules.ts';
import {
	caseIdSchema,
	endPairingSchema,
	pairAmbassadorSchema,
	type EndPairingInput,
	type PairAmbassadorInput
} from './ambassador.schemas.ts';

const log = createLogger({ namespace: 'ambassador:service' });

type Deps = { db: Db; now?: Date };

function assertStaff(actor: Actor): void {
	if (!isStaff(actor)) throw ambassadorForbidden({ userId: actor.userId });
}

/** What the ranking knows of a household: adults' languages and trades, wished places. */
async function newcomerOf(db: Db, programmeId: string, caseId: string): Promise<Newcomer> {
	const kase = await findCaseById({ db, programmeId, caseId });
	if (!kase) throw caseNotFound({ caseId });
	const adults = (await findCasePersons({ db, caseId })).filter((person) => person.householdRole !== 'child');
	const villages = await findCaseTargetVillages({ db, caseId });
	const codes = [...new Set([...kase.wishedCommuneCodes, ...villages.map((village) => village.communeCode)])];
	const centres = await findCommuneCentres({ db, codes });
	return {
		languages: [...new Set(adults.flatMap((person) => person.languages))],
		trades: adults
			// A sector is a key: its French label (or the words of "other") meets the ambassadors' words.
			.flatMap((person) => [
				person.profession,
				person.sector === 'other'
					? person.sectorOther
					: person.sector && translate('fr', vocabularyLabelKey('sector', person.sector))
			])
			.filter((text): text is string => !!text),
		places: centres.flatMap((centre) =>
			centre.lat !== null && centre.lon !== null
				? [{ lat: centre.lat, lon: centre.lon, name: centre.name }]
				: []
		)
	};
}

function toCandidate(row: Awaited<ReturnType<typeof findVolunteerAmbassadors>>[number]): AmbassadorCandidate {
	return {
		profileId: row.id,
		displayName: row.displayName,
		languages: row.languages,
		ambassadorLanguages: row.ambassadorLanguages,
		skills: row.skills,
		headline: row.headline,
		commune:
			row.lat !== null && row.lon !== null
				? { lat: row.lat, lon: row.lon, name: row.communeName ?? '' }
				: null,
		availability: row.ambassadorAvailability,
		openPairings: row.openPairings
	};
}

/**
 * Volunteer ambassadors ranked for a newcomer household, best first, each with the reasons
 * of its rank. Members who came with this household are left out.
 */
export async function suggestAmbassadors(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ ambassadors: RankedAmbassador[] }> {
	assertStaff(actor);
	const id = parseInput(caseIdSchema, caseId);
	const newcomer = await newcomerOf(db, actor.programmeId, id);
	const rows = await findVolunteerAmbassadors({ db, programmeId: actor.programmeId });
	const candidates = rows.filter((row) => row.caseId !== id).map(toCandidate);
	return { ambassadors: rankAmbassadors(newcomer, candidates) };
}

/** Staff pair an ambassador with a household: on the case timeline and in the ambassador's space. */
export async function pairAmbassador(
	{ actor, input }: { actor: Actor; input: PairAmbassadorInput },
	{ db, now = new Date() }: Deps
): Promise<{ pairing: AmbassadorPairing }> {
	assertStaff(actor);
	const data = parseInput(pairAmbassadorSchema, input);
	const pairing = await db.transaction(async (tx) => {
		const kase = await findCaseById({
			db: tx,
			programmeId: actor.programmeId,
			caseId: data.caseId,
			forUpdate: true
		});
		if (!kase) throw caseNotFound({ caseId: data.caseId });
		const profile = await findAmbassadorProfile({
			db: tx,
			programmeId: actor.programmeId,
			profileId: data.ambassadorProfileId
		});
		if (!profile || !profile.isAmbassador) throw ambassadorNotFound({ profileId: data.ambassadorProfileId });
		if (profile.caseId === kase.id) throw ambassadorOwnCase({ caseId: kase.id });
		const open = await findOpenPairing({
			db: tx,
			programmeId: actor.programmeId,
			caseId: kase.id,
			ambassadorProfileId: profile.id
		});
		if (open) throw ambassadorAlreadyPaired({ pairingId: open.id });
		const rows = await findVolunteerAmbassadors({ db: tx, programmeId: actor.programmeId });
		const row = rows.find((candidate) => candidate.id === profile.id);
		const ranked = row
			? scoreAmbassador(await newcomerOf(tx, actor.programmeId, kase.id), toCandidate(row))
			: null;
		const created = await insertPairing({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				ambassadorProfileId: profile.id,
				caseId: kase.id,
				status: data.status,
				note: data.note ?? null,
				reasons: ranked?.reasons.map((reason) => reason.code) ?? [],
				createdBy: actor.userId,
				isDemo: kase.isDemo && profile.isDemo
			}
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				caseId: kase.id,
				kind: 'ambassador',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, `ambassador_activity_paired_${data.status}`, {
					name: profile.displayName
				}),
				body: data.note ?? null,
				data: { pairingId: created.id, ambassadorProfileId: profile.id, status: data.status }
			}
		});
		return created;
	});
	log.info({ pairingId: pairing.id, caseId: pairing.caseId }, 'Ambassador paired');
	return { pairing };
}

/** Staff end a pairing (the welcome is over, or it did not work out); written on the case timeline. */
export async function endPairing(
	{ actor, input }: { actor: Actor; input: EndPairingInput },
	{ db, now = new Date() }: Deps
): Promise<{ pairing: AmbassadorPairing }> {
	assertStaff(actor);
	const data = parseInput(endPairingSchema, input);
	return db.transaction(async (tx) => {
		const current = await findPairingById({
			db: tx,
			programmeId: actor.programmeId,
			pairingId: data.pairingId
		});
		if (!current) throw ambassadorPairingNotFound({ pairingId: data.pairingId });
		if (current.status === 'ended') throw ambassadorPairingEnded({ pairingId: current.id });
		const pairing = await updatePairing({
			db: tx,
			pairingId: current.id,
			values: { status: 'ended', endedAt: now, endedReason: data.note ?? null }
		});
		const profile = await findAmbassadorProfile({
			db: tx,
			programmeId: actor.programmeId,
			profileId: current.ambassadorProfileId
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				caseId: current.caseId,
				kind: 'ambassador',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, 'ambassador_activity_ended', { name: profile?.displayName ?? '' }),
				body: data.note ?? null,
				data: { pairingId: current.id, ambassadorProfileId: current.ambassadorProfileId, status: 'ended' }
			}
		});
		return { pairing };
	});
}

/** Staff confirm a proposed pairing once the ambassador agreed; written on the case timeline. */
export async function activatePairing(
	{ actor, input }: { actor: Actor; input: { pairingId: string } },
	{ db, now = new Date() }: Deps
): Promise<{ pairing: AmbassadorPairing }> {
	assertStaff(actor);
	const { pairingId } = parseInput(endPairingSchema, input);
	return db.transaction(async (tx) => {
		const current = await findPairingById({ db: tx, programmeId: actor.programmeId, pairingId });
		if (!current) throw ambassadorPairingNotFound({ pairingId });
		if (current.status !== 'proposed') throw ambassadorNotProposed({ pairingId, status: current.status });
		const pairing = await updatePairing({ db: tx, pairingId, values: { status: 'active' } });
		const profile = await findAmbassadorProfile({
			db: tx,
			programmeId: actor.programmeId,
			profileId: current.ambassadorProfileId
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				caseId: current.caseId,
				kind: 'ambassador',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, 'ambassador_activity_paired_active', {
					name: profile?.displayName ?? ''
				}),
				data: { pairingId, ambassadorProfileId: current.ambassadorProfileId, status: 'active' }
			}
		});
		return { pairing };
	});
}

/** The pairings of a household (case page). */
export async function listPairingsOfCase(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ pairings: CasePairingRow[] }> {
	assertStaff(actor);
	const id = parseInput(caseIdSchema, caseId);
	const kase = await findCaseById({ db, programmeId: actor.programmeId, caseId: id });
	if (!kase) throw caseNotFound({ caseId: id });
	return { pairings: await findPairingsOfCase({ db, programmeId: actor.programmeId, caseId: id }) };
}

/** The signed-in member's pairings as an ambassador: their timeline, newest first. */
export async function listOwnPairings(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ pairings: AmbassadorPairingRow[] }> {
	if (actor.role !== 'member') throw memberForbidden({ userId: actor.userId });
	const profile = await findProfileByUserId({ db, programmeId: actor.programmeId, userId: actor.userId });
	if (!profile) throw memberNotFound({ userId: actor.userId });
	return {
		pairings: await findPairingsOfAmbassador({
			db,
			programmeId: actor.programmeId,
			ambassadorProfileId: profile.id
		})
	};
}

export type CaseCommunity = {
	/** The household's members (usually its candidate, once invited). */
	members: { profileId: string; displayName: string; isListed: boolean; isAmbassador: boolean }[];
	/** Whether "Invite as member" applies: installed or beyond, nobody invited yet. */
	canInvite: boolean;
	pairings: CasePairingRow[];
	/** The best-ranked volunteer ambassadors not already paired with the household. */
	suggestions: RankedAmbassador[];
};

/** The case page's "members and ambassadors" section (staff only). */
export async function getCaseCommunity(
	{ actor, caseId, limit = 5 }: { actor: Actor; caseId: string; limit?: number },
	{ db }: Deps
): Promise<CaseCommunity> {
	assertStaff(actor);
	const id = parseInput(caseIdSchema, caseId);
	const kase = await findCaseById({ db, programmeId: actor.programmeId, caseId: id });
	if (!kase) throw caseNotFound({ caseId: id });
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId: actor.programmeId }));
	const members = await findProfilesOfCase({ db, programmeId: actor.programmeId, caseId: id });
	const pairings = await findPairingsOfCase({ db, programmeId: actor.programmeId, caseId: id });
	const paired = new Set(pairings.filter((p) => p.status !== 'ended').map((p) => p.ambassadorProfileId));
	const { ambassadors } = await suggestAmbassadors({ actor, caseId: id }, { db });
	return {
		members: members.map((m) => ({
			profileId: m.id,
			displayName: m.displayName,
			isListed: m.isListed,
			isAmbassador: m.isAmbassador
		})),
		canInvite: isInstalledStage(pipeline, kase.stage) && members.length === 0,
		pairings,
		suggestions: ambassadors.filter((a) => !paired.has(a.profileId)).slice(0, limit)
	};
}
