/**
 * A household's needs questionnaire, the ranking of partner villages it gives (with their
 * offers and workspaces and the reasons), the suggestions the household saves, the advisor's
 * "propose this village", and the programme's weights of the criteria.
 *
 * Who may do what: the candidate reads and writes only the case whose account they are
 * (`cases.candidate_user_id`); advisors and admins any case of their programme; committee
 * members and partners nothing here (the needs are the household's private answers).
 */
import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { Case, CaseNeedsRow } from '../../db/schema/index.ts';
import { parseInput } from '../../validation.ts';
import {
	DEFAULT_MATCHING_WEIGHTS,
	prepareCommunes,
	rankCommunes,
	rankedLanguages,
	type ChildSchooling,
	type CommuneMatch,
	type HardConstraint,
	type MatchingWeights,
	type RawMatchingCommune
} from '../../../domain/matching/matching.ts';
import { auditAuthorOf, recordCaseChange, recordSettingsChange } from '../audit/audit.service.ts';
import { setTargetVillages } from '../case/case-committee.service.ts';
import { refreshCaseMatches } from '../offer-match/offer-match.service.ts';
import { findCaseOfCandidate, findCasePersons } from '../case/case.repository.ts';
import { findCandidateApplications } from '../candidate-space/candidate-space.repository.ts';
import { findNationalProgrammes } from '../national/national.repository.ts';
import { loadVisibleCase, type MailConfig } from '../case/case.shared.ts';
import {
	matchingCaseNotFound,
	matchingProposeForbidden,
	matchingVillageNotFound,
	matchingWeightsForbidden
} from './matching.errors.ts';
import {
	deleteSavedSuggestion,
	findMatchableOffers,
	findMatchableWorkspaces,
	findLanguageSpeakers,
	findMatchingCommunes,
	findNeeds,
	findPartnerVillage,
	findProgrammeTerritory,
	findSavedSuggestions,
	findWeights,
	insertSavedSuggestion,
	upsertNeeds,
	upsertWeights
} from './matching.repository.ts';
import { toMatchingNeeds, toRawMatchingCommune } from './matching.rules.ts';
import { matchingWeightsSchema, needsSchema, villageIdSchema, type Needs } from './matching.schemas.ts';
import * as v from 'valibot';

type Deps = { db: Db; now?: Date };

/**
 * The case the actor works on: the candidate's own (a caseId, if given, must be it), or for
 * staff the case named. Everyone else, and any other case, gets matching.case_not_found.
 */
async function resolveCase(
	{ actor, caseId, forUpdate = false }: { actor: Actor; caseId?: string | null; forUpdate?: boolean },
	{ db }: { db: Db }
): Promise<Case> {
	if (actor.role === 'candidate') {
		const own = await findCaseOfCandidate({ db, programmeId: actor.programmeId, userId: actor.userId });
		if (!own || (caseId && caseId !== own.id)) throw matchingCaseNotFound({ caseId, userId: actor.userId });
		return own;
	}
	if (!isStaff(actor) || !caseId) throw matchingCaseNotFound({ caseId, userId: actor.userId });
	const { kase } = await loadVisibleCase({ actor, caseId, forUpdate }, { db });
	return kase;
}

/** The questionnaire's answers as stored and shown. */
export type NeedsView = Needs;

const SCHOOL_LEVEL_OF: Record<string, ChildSchooling> = {
	childcare: 'childcare',
	nursery: 'primary',
	primary: 'primary',
	secondary: 'middle',
	high_school: 'high',
	none: 'none'
};

/** What a child of a given age usually needs nearby, when the household has not said. */
export function schoolingForAge(age: number): ChildSchooling {
	if (age < 3) return 'childcare';
	if (age < 11) return 'primary';
	if (age < 15) return 'middle';
	if (age < 18) return 'high';
	return 'none';
}

function toView(row: CaseNeedsRow): NeedsView {
	return {
		housingTenure: row.housingTenure,
		budgetMin: row.budgetMin,
		budgetMax: row.budgetMax,
		housingType: row.housingType,
		minRooms: row.minRooms,
		minSurfaceM2: row.minSurfaceM2,
		minConnection: row.minConnection,
		children: row.children,
		maxSchoolKm: row.maxSchoolKm,
		needsChildcare: row.needsChildcare,
		isPartnerSeekingJob: row.isPartnerSeekingJob,
		partnerJobSector: row.partnerJobSector,
		maxStationKm: row.maxStationKm,
		maxAirportKm: row.maxAirportKm,
		maxMetropoleKm: row.maxMetropoleKm,
		wantsCoworking: row.wantsCoworking,
		villagePreference: row.villagePreference,
		languages: row.languages
	};
}

/**
 * A first draft of the questionnaire from what the case already knows: the household's
 * children (age from the birth year, school level if given), the partner's job search, the
 * languages, and the needs noted at intake (rent or price, connection, station).
 */
async function draftNeeds({ kase, now }: { kase: Case; now: Date }, { db }: { db: Db }): Promise<NeedsView> {
	const persons = await findCasePersons({ db, caseId: kase.id });
	const year = now.getUTCFullYear();
	const children = persons
		.filter((person) => person.householdRole === 'child' && person.birthYear !== null)
		.map((child) => {
			const age = Math.max(0, Math.min(25, year - child.birthYear!));
			const level = child.needs.schoolLevel ? SCHOOL_LEVEL_OF[child.needs.schoolLevel] : undefined;
			return { age, schooling: level ?? schoolingForAge(age) };
		});
	const intake = kase.needs;
	const tenure = intake.maxPrice ? 'buy' : intake.maxRent ? 'rent' : null;
	return {
		housingTenure: tenure,
		budgetMin: null,
		budgetMax: intake.maxPrice ?? intake.maxRent ?? null,
		housingType: 'any',
		minRooms: null,
		minSurfaceM2: null,
		minConnection: intake.minConnection ?? null,
		children,
		maxSchoolKm: null,
		needsChildcare: Boolean(intake.childcare) || persons.some((p) => p.needs.childcare),
		isPartnerSeekingJob: persons.some((p) => p.householdRole === 'partner' && p.needs.job),
		partnerJobSector: persons.find((p) => p.householdRole === 'partner')?.needs.jobSought ?? null,
		maxStationKm: intake.maxDistanceToStationKm ?? null,
		maxAirportKm: null,
		maxMetropoleKm: null,
		wantsCoworking: false,
		villagePreference: 'prefer_partner',
		languages: [...new Set(persons.flatMap((p) => p.languages.map((l) => l.toLowerCase())))].filter((l) =>
			/^[a-z]{2}$/.test(l)
		)
	};
}

/** The household's needs; `isFilled` false: nobody has saved the questionnaire yet (a draft from the case). */
export async function getNeeds(
	{ actor, caseId }: { actor: Actor; caseId?: string | null },
	{ db, now = new Date() }: Deps
): Promise<{ caseId: string; needs: NeedsView; isFilled: boolean; updatedAt: Date | null }> {
	const kase = await resolveCase({ actor, caseId }, { db });
	const row = await findNeeds({ db, caseId: kase.id });
	if (row) return { caseId: kase.id, needs: toView(row), isFilled: true, updatedAt: row.updatedAt };
	return {
		caseId: kase.id,
		needs: await draftNeeds({ kase, now }, { db }),
		isFilled: false,
		updatedAt: null
	};
}

/** Saves the questionnaire (candidate or staff); every bad field is reported, nothing is written then. */
export async function saveNeeds(
	{ actor, caseId, input }: { actor: Actor; caseId?: string | null; input: unknown },
	{ db, now = new Date() }: Deps
): Promise<{ caseId: string; needs: NeedsView }> {
	const needs = parseInput(needsSchema, input);
	return db.transaction(async (tx) => {
		const kase = await resolveCase({ actor, caseId, forUpdate: true }, { db: tx });
		const before = await findNeeds({ db: tx, caseId: kase.id });
		const row = await upsertNeeds({
			db: tx,
			values: { caseId: kase.id, programmeId: kase.programmeId, ...needs, updatedBy: actor.userId }
		});
		await recordCaseChange(
			{
				kase,
				action: before ? 'update' : 'create',
				entity: { type: 'case', id: kase.id },
				author: auditAuthorOf(actor),
				at: now,
				before: before ? { needs: toView(before) } : null,
				after: { needs: toView(row) }
			},
			{ db: tx }
		);
		// New needs: the offers they match are re-evaluated (added, or removed when they no longer fit).
		await refreshCaseMatches({ programmeId: kase.programmeId, caseId: kase.id }, { db: tx, now });
		return { caseId: kase.id, needs: toView(row) };
	});
}

export { toMatchingNeeds };

/** The programme's weights (admins set them; the defaults otherwise). */
async function weightsOf({ db, programmeId }: { db: Db; programmeId: string }): Promise<MatchingWeights> {
	return { ...DEFAULT_MATCHING_WEIGHTS, ...((await findWeights({ db, programmeId })) ?? {}) };
}

/** A ranked partner village, with its offers and workspaces named. */
export type VillageSuggestion = CommuneMatch & {
	villageId: string;
	slug: string;
	isSaved: boolean;
	offerDetails: { id: string; kind: string; titleFr: string; titleEn: string | null; price: number | null }[];
	workspaceDetails: { id: string; name: string; slug: string; kind: string }[];
};

export type SuggestionsResult =
	| { status: 'no_commune_data'; caseId: string; departements: string[] }
	| {
			status: 'ok';
			caseId: string;
			isNeedsFilled: boolean;
			/** Partner villages, best first. */
			villages: VillageSuggestion[];
			/** Partner villages set aside by a hard constraint, per constraint. */
			excluded: Record<HardConstraint, number>;
			partnerVillages: number;
			saved: { villageId: string; slug: string; name: string; communeCode: string; savedAt: Date }[];
			/** The best villages of the other participating programmes the candidate applied to. */
			otherProgrammes: OtherProgrammeSuggestions[];
	  };

/** Another programme's best villages for the household (national portal: one application, several programmes). */
export type OtherProgrammeSuggestions = {
	programmeId: string;
	programmeName: string;
	/** Its site's host; null: this instance's public origin. */
	primaryHost: string | null;
	villages: VillageSuggestion[];
};

/**
 * Ranks the programme's partner villages for the household's needs (the saved questionnaire,
 * or its draft). Nearest schools and stations are looked for among every commune of the
 * territory whose services are known. A territory without imported communes says so.
 */
export async function getSuggestions(
	{ actor, caseId }: { actor: Actor; caseId?: string | null },
	{ db, now = new Date() }: Deps
): Promise<SuggestionsResult> {
	const kase = await resolveCase({ actor, caseId }, { db });
	const { needs, isFilled } = await getNeeds({ actor, caseId: kase.id }, { db, now });
	const ranked = await rankProgrammeVillages(
		{ programmeId: kase.programmeId, needs, caseId: kase.id },
		{ db, now }
	);
	if (ranked.status === 'no_commune_data') return { ...ranked, caseId: kase.id };
	return {
		status: 'ok',
		caseId: kase.id,
		isNeedsFilled: isFilled,
		villages: ranked.villages,
		excluded: ranked.excluded,
		partnerVillages: ranked.partnerVillages,
		saved: ranked.saved,
		otherProgrammes:
			actor.role === 'candidate'
				? await rankElsewhere({ actor, needs, exceptProgrammeId: kase.programmeId }, { db, now })
				: []
	};
}

/** How many villages of each other programme the candidate applied to are suggested. */
const OTHER_PROGRAMME_SUGGESTIONS = 5;

/**
 * The national portal sends one application to several programmes: the candidate's household is
 * also matched, with the same needs, against the partner villages of every other programme that
 * holds one of their cases, takes part in the national portal and is active (each programme's own
 * territory, offers and weights). Read through the candidate's own user id only.
 */
async function rankElsewhere(
	{ actor, needs, exceptProgrammeId }: { actor: Actor; needs: NeedsView; exceptProgrammeId: string },
	{ db, now }: { db: Db; now: Date }
): Promise<OtherProgrammeSuggestions[]> {
	const participating = new Map((await findNationalProgrammes({ db })).map((p) => [p.id, p]));
	const applications = await findCandidateApplications({ db, userId: actor.userId });
	const others = [...new Set(applications.map((a) => a.programmeId))].filter(
		(id) => id !== exceptProgrammeId && participating.has(id)
	);
	const result: OtherProgrammeSuggestions[] = [];
	for (const programmeId of others) {
		const ranked = await rankProgrammeVillages({ programmeId, needs, caseId: null }, { db, now });
		const programme = participating.get(programmeId)!;
		result.push({
			programmeId,
			programmeName: programme.name,
			primaryHost: programme.primaryHost,
			villages: ranked.status === 'ok' ? ranked.villages.slice(0, OTHER_PROGRAMME_SUGGESTIONS) : []
		});
	}
	return result;
}

/** Ranks one programme's partner villages for these needs (its territory, offers, workspaces and weights). */
async function rankProgrammeVillages(
	{ programmeId, needs, caseId }: { programmeId: string; needs: NeedsView; caseId: string | null },
	{ db, now }: { db: Db; now: Date }
): Promise<
	| { status: 'no_commune_data'; departements: string[] }
	| {
			status: 'ok';
			villages: VillageSuggestion[];
			excluded: Record<HardConstraint, number>;
			partnerVillages: number;
			saved: Awaited<ReturnType<typeof findSavedSuggestions>>;
	  }
> {
	const territory = await findProgrammeTerritory({ db, programmeId: programmeId });
	const departements = territory?.departements ?? [];
	const rows = await findMatchingCommunes({ db, programmeId: programmeId, departements });
	if (rows.length === 0) return { status: 'no_commune_data', departements };
	const [offers, workspaces, savedRows, weights] = [
		await findMatchableOffers({ db, programmeId: programmeId, now }),
		await findMatchableWorkspaces({ db, programmeId: programmeId }),
		caseId ? await findSavedSuggestions({ db, caseId }) : [],
		await weightsOf({ db, programmeId: programmeId })
	];
	// Who speaks what, by commune: read only when the household speaks more than French.
	const speakers = new Map<string, string[][]>();
	if (rankedLanguages(needs).length)
		for (const { communeCode, languages } of await findLanguageSpeakers({
			db,
			programmeId: programmeId
		})) {
			const list = speakers.get(communeCode);
			if (list) list.push(languages);
			else speakers.set(communeCode, [languages]);
		}
	const raw: RawMatchingCommune[] = rows.map((row) => toRawMatchingCommune(row, speakers.get(row.code)));
	const prepared = prepareCommunes({
		communes: raw,
		metropole: territory?.metropole ?? null,
		offers,
		workspaces
	});
	const partners = prepared.filter((commune) => commune.villageId !== null);
	const ranking = rankCommunes({ needs: toMatchingNeeds(needs), communes: partners, weights });
	const slugOf = new Map(rows.filter((r) => r.villageId).map((r) => [r.villageId!, r.villageSlug!]));
	const offerById = new Map(offers.map((offer) => [offer.id, offer]));
	const workspaceById = new Map(workspaces.map((workspace) => [workspace.id, workspace]));
	const savedIds = new Set(savedRows.map((row) => row.villageId));
	return {
		status: 'ok',
		villages: ranking.matches.map((match) => ({
			...match,
			villageId: match.villageId!,
			slug: slugOf.get(match.villageId!) ?? '',
			isSaved: savedIds.has(match.villageId!),
			offerDetails: match.offers.map((o) => {
				const offer = offerById.get(o.id)!;
				return {
					id: offer.id,
					kind: offer.kind,
					titleFr: offer.titleFr,
					titleEn: offer.titleEn,
					price: offer.price
				};
			}),
			workspaceDetails: match.workspaces.map((w) => {
				const workspace = workspaceById.get(w.id)!;
				return { id: workspace.id, name: workspace.name, slug: workspace.slug, kind: workspace.kind };
			})
		})),
		excluded: ranking.excluded,
		partnerVillages: partners.length,
		saved: savedRows
	};
}

async function loadPartnerVillage({
	db,
	programmeId,
	villageId
}: {
	db: Db;
	programmeId: string;
	villageId: string;
}) {
	const village = v.is(villageIdSchema, villageId)
		? await findPartnerVillage({ db, programmeId, villageId })
		: null;
	if (!village) throw matchingVillageNotFound({ villageId });
	return village;
}

/** Saves a partner village among the household's suggestions (saving twice changes nothing). */
export async function saveSuggestion(
	{ actor, caseId, villageId }: { actor: Actor; caseId?: string | null; villageId: string },
	{ db, now = new Date() }: Deps
): Promise<{ isAdded: boolean }> {
	return db.transaction(async (tx) => {
		const kase = await resolveCase({ actor, caseId, forUpdate: true }, { db: tx });
		const village = await loadPartnerVillage({ db: tx, programmeId: kase.programmeId, villageId });
		const isAdded = await insertSavedSuggestion({
			db: tx,
			values: {
				caseId: kase.id,
				villageId: village.id,
				programmeId: kase.programmeId,
				savedBy: actor.userId,
				savedAt: now
			}
		});
		return { isAdded };
	});
}

/** Removes a saved suggestion (removing one not saved changes nothing). */
export async function removeSuggestion(
	{ actor, caseId, villageId }: { actor: Actor; caseId?: string | null; villageId: string },
	{ db }: Deps
): Promise<{ isRemoved: boolean }> {
	return db.transaction(async (tx) => {
		const kase = await resolveCase({ actor, caseId, forUpdate: true }, { db: tx });
		if (!v.is(villageIdSchema, villageId)) throw matchingVillageNotFound({ villageId });
		return { isRemoved: await deleteSavedSuggestion({ db: tx, caseId: kase.id, villageId }) };
	});
}

/**
 * An advisor proposes a ranked village to the household: the case targets it, and its
 * committee is told as when targeting villages on the case (same use case, same mails).
 */
export async function proposeVillage(
	{ actor, caseId, villageId }: { actor: Actor; caseId: string; villageId: string },
	{ db, config, now = new Date() }: Deps & { config?: MailConfig }
): Promise<{ notified: number; isAlreadyTargeted: boolean }> {
	if (!isStaff(actor)) throw matchingProposeForbidden({ userId: actor.userId });
	const { villages } = await loadVisibleCase({ actor, caseId }, { db });
	const village = await loadPartnerVillage({ db, programmeId: actor.programmeId, villageId });
	if (villages.some((target) => target.id === village.id)) return { notified: 0, isAlreadyTargeted: true };
	const { notified } = await setTargetVillages(
		{ actor, caseId, villages: [...villages.map((target) => target.id), village.id] },
		{ db, config, now }
	);
	return { notified, isAlreadyTargeted: false };
}

/** The weights of the programme's matching criteria (staff read them; the defaults when never set). */
export async function getMatchingWeights(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ weights: MatchingWeights }> {
	if (!isStaff(actor)) throw matchingWeightsForbidden({ userId: actor.userId });
	return { weights: await weightsOf({ db, programmeId: actor.programmeId }) };
}

/** Admins set the weights; audited as a settings section ('matching_weights'). */
export async function setMatchingWeights(
	{ actor, input }: { actor: Actor; input: unknown },
	{ db }: Deps
): Promise<{ weights: MatchingWeights; isChanged: boolean }> {
	if (actor.role !== 'admin') throw matchingWeightsForbidden({ userId: actor.userId });
	const weights = parseInput(matchingWeightsSchema, input) as MatchingWeights;
	return db.transaction(async (tx) => {
		const before = await weightsOf({ db: tx, programmeId: actor.programmeId });
		await upsertWeights({ db: tx, programmeId: actor.programmeId, weights, userId: actor.userId });
		const isChanged = await recordSettingsChange(
			{ programmeId: actor.programmeId, actor, section: 'matching_weights', before, after: weights },
			{ db: tx }
		);
		return { weights, isChanged };
	});
}
