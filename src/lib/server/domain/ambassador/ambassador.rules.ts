import { haversineKm, type LatLon } from '../../../domain/geo.ts';
import { queryTokens, TRADE_GROUPS } from '../member/member.rules.ts';

/*
 * Pure ranking of volunteer ambassadors for a newcomer household: shared languages,
 * shared trade, distance between the ambassador's commune and the household's wished
 * communes, and availability. Every point comes with a reason staff can read.
 */

export type Newcomer = {
	/** Languages of the household's adults (ISO 639-1). */
	languages: readonly string[];
	/** Professions, sectors and statuses of the adults, as typed. */
	trades: readonly string[];
	/** Centroids of the wished communes and of the target villages' communes. */
	places: readonly (LatLon & { name: string })[];
};

export type AmbassadorCandidate = {
	profileId: string;
	displayName: string;
	languages: readonly string[];
	ambassadorLanguages: readonly string[];
	skills: readonly string[];
	headline: string | null;
	commune: (LatLon & { name: string }) | null;
	availability: string | null;
	/** Pairings currently active or proposed. */
	openPairings: number;
};

/** Why an ambassador ranks where they do; `params` fill the translated message. */
export type RankingReason =
	| { code: 'language'; params: { languages: string } }
	| { code: 'french_only'; params: Record<string, never> }
	| { code: 'trade'; params: { trade: string } }
	| { code: 'distance'; params: { km: number; commune: string } }
	| { code: 'far'; params: { km: number; commune: string } }
	| { code: 'available'; params: { availability: string } }
	| { code: 'no_availability'; params: Record<string, never> }
	| { code: 'busy'; params: { count: number } };

export type RankedAmbassador = AmbassadorCandidate & {
	score: number;
	reasons: RankingReason[];
	distanceKm: number | null;
};

export const SCORE = {
	/** Per shared language other than French (the newcomer's own language is the strongest tie). */
	foreignLanguage: 4,
	/** Sharing French only: everyone does, it counts a little. */
	frenchOnly: 1,
	trade: 3,
	within10km: 3,
	within25km: 2,
	within50km: 1,
	available: 1,
	/** Per open pairing: spread newcomers among ambassadors. */
	busy: -2
} as const;

/** Which trade groups a text belongs to (indices into TRADE_GROUPS), plus its long words. */
function tradeKeys(texts: readonly (string | null)[]): Set<string> {
	const keys = new Set<string>();
	for (const text of texts) {
		if (!text) continue;
		for (const token of queryTokens(text)) {
			const group = TRADE_GROUPS.findIndex((stems) => stems.some((stem) => token.startsWith(stem)));
			if (group !== -1) keys.add(`group:${group}`);
			else if (token.length >= 5) keys.add(`word:${token}`);
		}
	}
	return keys;
}

export function scoreAmbassador(newcomer: Newcomer, candidate: AmbassadorCandidate): RankedAmbassador {
	const reasons: RankingReason[] = [];
	let score = 0;

	const spoken = new Set([...candidate.languages, ...candidate.ambassadorLanguages]);
	const shared = [...new Set(newcomer.languages)].filter((language) => spoken.has(language));
	const foreign = shared.filter((language) => language !== 'fr');
	if (foreign.length > 0) {
		score += SCORE.foreignLanguage * foreign.length;
		reasons.push({ code: 'language', params: { languages: foreign.join(', ') } });
	} else if (shared.includes('fr')) {
		score += SCORE.frenchOnly;
		reasons.push({ code: 'french_only', params: {} });
	}

	const theirs = tradeKeys(newcomer.trades);
	const ours = tradeKeys([...candidate.skills, candidate.headline]);
	const common = [...theirs].filter((key) => ours.has(key));
	if (common.length > 0) {
		score += SCORE.trade;
		const trade = newcomer.trades.find((text) => [...tradeKeys([text])].some((key) => ours.has(key)));
		reasons.push({ code: 'trade', params: { trade: trade ?? '' } });
	}

	let distanceKm: number | null = null;
	if (candidate.commune && newcomer.places.length > 0) {
		let nearest = newcomer.places[0];
		let best = Infinity;
		for (const place of newcomer.places) {
			const km = haversineKm(candidate.commune, place);
			if (km < best) {
				best = km;
				nearest = place;
			}
		}
		distanceKm = Math.round(best * 10) / 10;
		const params = { km: Math.round(best), commune: nearest.name };
		if (best <= 10) score += SCORE.within10km;
		else if (best <= 25) score += SCORE.within25km;
		else if (best <= 50) score += SCORE.within50km;
		reasons.push({ code: best <= 50 ? 'distance' : 'far', params });
	}

	if (candidate.availability && candidate.availability.trim()) {
		score += SCORE.available;
		reasons.push({ code: 'available', params: { availability: candidate.availability.trim() } });
	} else {
		reasons.push({ code: 'no_availability', params: {} });
	}

	if (candidate.openPairings > 0) {
		score += SCORE.busy * candidate.openPairings;
		reasons.push({ code: 'busy', params: { count: candidate.openPairings } });
	}

	return { ...candidate, score, reasons, distanceKm };
}

/** Ambassadors best suited first; ties go to the nearest, then by name. */
export function rankAmbassadors(
	newcomer: Newcomer,
	candidates: readonly AmbassadorCandidate[]
): RankedAmbassador[] {
	return candidates
		.map((candidate) => scoreAmbassador(newcomer, candidate))
		.sort(
			(a, b) =>
				b.score - a.score ||
				(a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) ||
				a.displayName.localeCompare(b.displayName)
		);
}
