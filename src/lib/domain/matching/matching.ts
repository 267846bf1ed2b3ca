/**
 * The matching engine: ranks communes (and, within them, offers and workspaces) for a
 * household's needs. Pure code: no database, no framework, safe in the browser.
 *
 * Two steps, so that ranking stays cheap on 35,000 communes:
 * 1. `prepareCommunes` turns raw commune facts (position, connection, village services,
 *    offers, workspaces) into per-commune attributes that do not depend on the household
 *    (distances to the metropole, the nearest station, airport, school of each level and
 *    workspace). The caller does it once per programme and keeps the result.
 * 2. `rankCommunes` applies the hard constraints, then the weighted criteria, and returns
 *    a score per commune with one structured explanation per criterion (a message key and
 *    its values, translated at the edge).
 *
 * Missing data never drops a commune: the criterion scores neutral (0.5), says "unknown",
 * and lowers the commune's confidence (the share of the weights whose data is known).
 * Ties are broken by confidence, then by INSEE code: the order is deterministic.
 */
import { haversineKm, type LatLon } from '../geo.ts';

/** Fixed broadband levels, from the lowest (same order as the connectivity area). */
export const MATCHING_CONNECTION_LEVELS = ['below_8', '8', '30', '100', 'gbit'] as const;
export type MatchingConnectionLevel = (typeof MATCHING_CONNECTION_LEVELS)[number];

export const SCHOOL_LEVELS = ['primary', 'middle', 'high'] as const;
/** primary: école; middle: collège; high: lycée. */
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

export const CHILD_SCHOOLINGS = ['childcare', 'primary', 'middle', 'high', 'none'] as const;
/** What a child needs nearby: childcare (crèche, nanny), a school level, or nothing (home-schooled, grown up). */
export type ChildSchooling = (typeof CHILD_SCHOOLINGS)[number];

export const HOUSING_TENURES = ['rent', 'buy'] as const;
export type HousingTenure = (typeof HOUSING_TENURES)[number];
export const HOUSING_TYPES = ['house', 'flat', 'any'] as const;
export type HousingType = (typeof HOUSING_TYPES)[number];
export const VILLAGE_PREFERENCES = ['partner_only', 'prefer_partner', 'any'] as const;
/** partner_only: a hard constraint; prefer_partner: a weighted criterion; any: indifferent. */
export type VillagePreference = (typeof VILLAGE_PREFERENCES)[number];

/** What the engine reads of a household's needs (validated upstream). */
export type MatchingNeeds = {
	housingTenure: HousingTenure | null;
	/** Whole euros; per month for a rent. */
	budgetMin: number | null;
	budgetMax: number | null;
	housingType: HousingType;
	minRooms: number | null;
	minConnection: MatchingConnectionLevel | null;
	children: { age: number; schooling: ChildSchooling }[];
	/** How far a school may be, in km (default 8). */
	maxSchoolKm: number | null;
	needsChildcare: boolean;
	isPartnerSeekingJob: boolean;
	maxStationKm: number | null;
	maxAirportKm: number | null;
	maxMetropoleKm: number | null;
	wantsCoworking: boolean;
	villagePreference: VillagePreference;
	/** ISO 639-1 codes the household speaks; French (the programme's language) is no criterion. */
	languages: readonly string[];
};

/** The programme's own language: every commune speaks it, so it ranks nothing. */
export const HOME_LANGUAGE = 'fr';

/**
 * The languages the needs form offers by name (ISO 639-1), French first, then those most often
 * spoken by newcomers to rural France; any other is typed as a code.
 */
export const COMMON_LANGUAGES = [
	'fr',
	'en',
	'nl',
	'de',
	'es',
	'it',
	'pt',
	'ar',
	'pl',
	'ro',
	'uk',
	'ru',
	'zh'
] as const;

export const MATCHING_CRITERIA = [
	'connection',
	'housing',
	'schools',
	'childcare',
	'partner_job',
	'station',
	'airport',
	'metropole',
	'coworking',
	'partner_village',
	'languages'
] as const;
export type MatchingCriterion = (typeof MATCHING_CRITERIA)[number];
/** Relative weight of each criterion, 0–10; a programme's admins set them. */
export type MatchingWeights = Record<MatchingCriterion, number>;

export const DEFAULT_MATCHING_WEIGHTS: MatchingWeights = {
	connection: 3,
	housing: 3,
	schools: 2,
	childcare: 1,
	partner_job: 2,
	station: 1,
	airport: 1,
	metropole: 2,
	coworking: 2,
	partner_village: 1,
	languages: 1
};

/** School distance when the household does not say. */
export const DEFAULT_MAX_SCHOOL_KM = 8;
/** How far a workspace still counts as "near" when coworking is wished, in km. */
export const COWORKING_RADIUS_KM = 20;
/** How far a partner's job offer still counts as "near", in km. */
export const PARTNER_JOB_RADIUS_KM = 30;

/** A listing as the engine sees it. */
export type MatchingOffer = {
	id: string;
	kind: string;
	communeCode: string;
	villageId: string | null;
	price: number | null;
	rooms: number | null;
	surfaceM2: number | null;
};

export type MatchingWorkspace = { id: string; communeCode: string; kind: string; name: string };

/** Facts about a commune before preparation; unknown facts are null. */
export type RawMatchingCommune = {
	code: string;
	name: string;
	lat: number | null;
	lon: number | null;
	/** Partner village of the programme in this commune, if any. */
	villageId: string | null;
	connection: MatchingConnectionLevel | null;
	/** Schools in the commune, as its committee says; null: not said. */
	schools: Partial<Record<SchoolLevel, boolean>> | null;
	/** A childcare place (crèche, childminders) in the commune; null: not said. */
	childcare: boolean | null;
	/** A railway station in the commune; null: not said. */
	hasStation: boolean | null;
	/** Road distance to the nearest station stated by the committee, km. */
	stationDistanceKm: number | null;
	/**
	 * The languages of each member or ambassador of the programme living in the commune, one list
	 * per person (only what they let the programme see); absent: nobody known.
	 */
	speakers?: readonly (readonly string[])[];
};

/** A commune ready to rank: every distance computed once, null when unknown. */
export type MatchingCommune = {
	code: string;
	name: string;
	villageId: string | null;
	connection: MatchingConnectionLevel | null;
	/** Index of `connection` in MATCHING_CONNECTION_LEVELS; -1 when unknown. */
	connectionRank: number;
	metropoleKm: number | null;
	airportKm: number | null;
	/** Name of the nearest airport, for the explanation. */
	airportName: string | null;
	stationKm: number | null;
	/** Distance to the nearest school of each level; null: no known school within reach. */
	schoolKm: Record<SchoolLevel, number | null>;
	/** True when the commune's own schools are known (even "none"): the nearest figures are then reliable. */
	hasSchoolData: boolean;
	childcare: boolean | null;
	coworkingKm: number | null;
	coworkingName: string | null;
	/** Offers of the commune, and partner jobs within PARTNER_JOB_RADIUS_KM. */
	offers: MatchingOffer[];
	nearbyPartnerJobs: number;
	workspaces: MatchingWorkspace[];
	/** As in RawMatchingCommune, empty when nobody is known. */
	speakers: readonly (readonly string[])[];
};

const NO_SPEAKERS: readonly (readonly string[])[] = Object.freeze([]);

/** An airport with regular passenger flights. */
export type Airport = LatLon & { name: string };

/**
 * The main French airports with regular passenger flights (metropolitan France), reference
 * positions from the aeronautical information publication (aerodrome reference points).
 */
export const FRENCH_AIRPORTS: Airport[] = [
	{ name: 'Paris-Charles-de-Gaulle', lat: 49.0097, lon: 2.5479 },
	{ name: 'Paris-Orly', lat: 48.7262, lon: 2.3652 },
	{ name: 'Nice-Côte d’Azur', lat: 43.6584, lon: 7.2159 },
	{ name: 'Lyon-Saint-Exupéry', lat: 45.7256, lon: 5.0811 },
	{ name: 'Marseille-Provence', lat: 43.4393, lon: 5.2214 },
	{ name: 'Toulouse-Blagnac', lat: 43.6291, lon: 1.3638 },
	{ name: 'Bâle-Mulhouse', lat: 47.59, lon: 7.5291 },
	{ name: 'Bordeaux-Mérignac', lat: 44.8283, lon: -0.7156 },
	{ name: 'Nantes-Atlantique', lat: 47.1532, lon: -1.6107 },
	{ name: 'Montpellier-Méditerranée', lat: 43.5762, lon: 3.963 },
	{ name: 'Lille-Lesquin', lat: 50.5619, lon: 3.0894 },
	{ name: 'Strasbourg-Entzheim', lat: 48.5383, lon: 7.6282 },
	{ name: 'Rennes-Saint-Jacques', lat: 48.0695, lon: -1.7348 },
	{ name: 'Brest-Bretagne', lat: 48.4479, lon: -4.4185 },
	{ name: 'Biarritz-Pays basque', lat: 43.4684, lon: -1.5311 },
	{ name: 'Pau-Pyrénées', lat: 43.38, lon: -0.4186 },
	{ name: 'Tarbes-Lourdes-Pyrénées', lat: 43.1787, lon: -0.0064 },
	{ name: 'Clermont-Ferrand-Auvergne', lat: 45.7867, lon: 3.1692 },
	{ name: 'Ajaccio-Napoléon-Bonaparte', lat: 41.9236, lon: 8.8029 },
	{ name: 'Bastia-Poretta', lat: 42.5527, lon: 9.4837 },
	{ name: 'Beauvais-Tillé', lat: 49.4544, lon: 2.1128 },
	{ name: 'Carcassonne', lat: 43.2159, lon: 2.3063 },
	{ name: 'Limoges-Bellegarde', lat: 45.8628, lon: 1.1794 },
	{ name: 'Brive-Vallée de la Dordogne', lat: 45.0397, lon: 1.4856 },
	{ name: 'Rodez-Aveyron', lat: 44.4079, lon: 2.4827 },
	{ name: 'Perpignan-Rivesaltes', lat: 42.7404, lon: 2.8707 },
	{ name: 'Grenoble-Alpes-Isère', lat: 45.3629, lon: 5.3294 },
	{ name: 'Metz-Nancy-Lorraine', lat: 48.9821, lon: 6.2513 }
];

/** Farthest a nearest school or station is looked for, in km: beyond, it counts as unknown. */
const MAX_SITE_KM = 200;
/** Grid cells of the nearest-site index, in degrees. */
const CELL_DEGREES = 0.25;
/** The narrowest a cell gets (its east–west width at 52° N), in km: rings farther than this are skipped. */
const CELL_MIN_KM = CELL_DEGREES * 111.2 * Math.cos((52 * Math.PI) / 180);

/** A grid of sites by cell: the nearest one of 35,000 communes is found without a full scan. */
type SiteGrid<T extends LatLon> = Map<number, T[]>;

const cellOf = (lat: number, lon: number) =>
	Math.floor((lat + 90) / CELL_DEGREES) * 10_000 + Math.floor((lon + 180) / CELL_DEGREES);

function gridOf<T extends LatLon>(sites: readonly T[]): SiteGrid<T> {
	const grid: SiteGrid<T> = new Map();
	for (const site of sites) {
		const key = cellOf(site.lat, site.lon);
		const cell = grid.get(key);
		if (cell) cell.push(site);
		else grid.set(key, [site]);
	}
	return grid;
}

/** Visits the sites of the cells in ring `r` around a point (r = 0: its own cell). */
function forRing<T extends LatLon>(grid: SiteGrid<T>, point: LatLon, r: number, visit: (site: T) => void) {
	const row = Math.floor((point.lat + 90) / CELL_DEGREES);
	const col = Math.floor((point.lon + 180) / CELL_DEGREES);
	for (let i = row - r; i <= row + r; i++)
		for (let j = col - r; j <= col + r; j++) {
			if (Math.max(Math.abs(i - row), Math.abs(j - col)) !== r) continue;
			const cell = grid.get(i * 10_000 + j);
			if (cell) for (const site of cell) visit(site);
		}
}

/**
 * The nearest site to a point, rounded to 0.1 km, or null beyond MAX_SITE_KM. Ties go to the
 * site whose `key` sorts first, so the result does not depend on the input order.
 */
function nearestSite<T extends LatLon & { key: string }>(
	grid: SiteGrid<T>,
	point: LatLon
): { km: number; site: T } | null {
	if (grid.size === 0) return null;
	let bestKm = Infinity;
	let bestSite: T | null = null;
	const maxRing = Math.ceil(MAX_SITE_KM / CELL_MIN_KM) + 1;
	for (let r = 0; r <= maxRing; r++) {
		// Every site of ring r is at least (r − 1) cells away.
		if (bestSite && bestKm < (r - 1) * CELL_MIN_KM) break;
		forRing(grid, point, r, (site) => {
			const km = haversineKm(point, site);
			if (km < bestKm || (km === bestKm && bestSite && site.key < bestSite.key)) {
				bestKm = km;
				bestSite = site;
			}
		});
	}
	const site = bestSite as T | null;
	return site && bestKm <= MAX_SITE_KM ? { km: Math.round(bestKm * 10) / 10, site } : null;
}

/** How many sites lie within `km` of a point. */
function countWithin<T extends LatLon>(grid: SiteGrid<T>, point: LatLon, km: number): number {
	let count = 0;
	const rings = Math.ceil(km / CELL_MIN_KM) + 1;
	for (let r = 0; r <= rings; r++)
		forRing(grid, point, r, (site) => {
			if (haversineKm(point, site) <= km) count++;
		});
	return count;
}

const isKnownPoint = (c: { lat: number | null; lon: number | null }): c is { lat: number; lon: number } =>
	typeof c.lat === 'number' && typeof c.lon === 'number';

type KeyedSite = LatLon & { key: string; name: string };

/**
 * Computes, once, what ranking needs of each commune. Distances are straight lines between
 * centroids; a commune's own school or station counts as 0 km.
 */
export function prepareCommunes({
	communes,
	metropole,
	offers = [],
	workspaces = [],
	airports = FRENCH_AIRPORTS,
	only
}: {
	communes: readonly RawMatchingCommune[];
	metropole: LatLon | null;
	offers?: readonly MatchingOffer[];
	workspaces?: readonly MatchingWorkspace[];
	airports?: readonly Airport[];
	/**
	 * Prepares only these communes (an offer's, say); the others still serve as nearest schools
	 * and stations. Without it, every commune.
	 */
	only?: ReadonlySet<string>;
}): MatchingCommune[] {
	const positions = new Map<string, LatLon>();
	for (const c of communes) if (isKnownPoint(c)) positions.set(c.code, { lat: c.lat, lon: c.lon });
	const schoolSites: Record<SchoolLevel, KeyedSite[]> = { primary: [], middle: [], high: [] };
	const stationSites: KeyedSite[] = [];
	for (const c of communes) {
		const p = positions.get(c.code);
		if (!p) continue;
		const site = { ...p, key: c.code, name: c.name };
		for (const level of SCHOOL_LEVELS) if (c.schools?.[level]) schoolSites[level].push(site);
		if (c.hasStation) stationSites.push(site);
	}
	const schoolGrids = {
		primary: gridOf(schoolSites.primary),
		middle: gridOf(schoolSites.middle),
		high: gridOf(schoolSites.high)
	};
	const stationGrid = gridOf(stationSites);
	const offersByCommune = new Map<string, MatchingOffer[]>();
	const jobSites: LatLon[] = [];
	for (const offer of offers) {
		const list = offersByCommune.get(offer.communeCode);
		if (list) list.push(offer);
		else offersByCommune.set(offer.communeCode, [offer]);
		const p = positions.get(offer.communeCode);
		if (offer.kind === 'partner_job' && p) jobSites.push(p);
	}
	const jobGrid = gridOf(jobSites);
	const workspacesByCommune = new Map<string, MatchingWorkspace[]>();
	const workspaceSites: KeyedSite[] = [];
	for (const workspace of workspaces) {
		const list = workspacesByCommune.get(workspace.communeCode);
		if (list) list.push(workspace);
		else workspacesByCommune.set(workspace.communeCode, [workspace]);
		const p = positions.get(workspace.communeCode);
		if (p) workspaceSites.push({ ...p, key: `${workspace.name}\u0000${workspace.id}`, name: workspace.name });
	}
	const workspaceGrid = gridOf(workspaceSites);
	const round = (km: number) => Math.round(km * 10) / 10;
	return (only ? communes.filter((c) => only.has(c.code)) : communes).map((c): MatchingCommune => {
		const p = positions.get(c.code) ?? null;
		let airportKm: number | null = null;
		let airportName: string | null = null;
		if (p)
			for (const airport of airports) {
				const km = haversineKm(p, airport);
				if (airportKm === null || km < airportKm) {
					airportKm = km;
					airportName = airport.name;
				}
			}
		const coworking = p ? nearestSite(workspaceGrid, p) : null;
		const schoolKm = {} as Record<SchoolLevel, number | null>;
		for (const level of SCHOOL_LEVELS)
			schoolKm[level] = c.schools?.[level] ? 0 : p ? (nearestSite(schoolGrids[level], p)?.km ?? null) : null;
		let stationKm: number | null = c.hasStation ? 0 : (c.stationDistanceKm ?? null);
		if (stationKm === null && p) stationKm = nearestSite(stationGrid, p)?.km ?? null;
		return {
			code: c.code,
			name: c.name,
			villageId: c.villageId,
			connection: c.connection,
			connectionRank: c.connection === null ? -1 : MATCHING_CONNECTION_LEVELS.indexOf(c.connection),
			metropoleKm: p && metropole ? round(haversineKm(p, metropole)) : null,
			airportKm: airportKm === null ? null : round(airportKm),
			airportName,
			stationKm,
			schoolKm,
			hasSchoolData: c.schools !== null,
			childcare: c.childcare,
			coworkingKm: coworking?.km ?? null,
			coworkingName: coworking?.site.name ?? null,
			offers: offersByCommune.get(c.code) ?? [],
			nearbyPartnerJobs: p ? countWithin(jobGrid, p, PARTNER_JOB_RADIUS_KM) : 0,
			workspaces: workspacesByCommune.get(c.code) ?? [],
			speakers: c.speakers?.length ? c.speakers : NO_SPEAKERS
		};
	});
}

/** One line of explanation: a message key of the `matching` catalogue and its values. */
export type MatchingReason = {
	criterion: MatchingCriterion;
	/** met: fully; partial: in part; unmet: not at all; unknown: no data (lowers confidence). */
	status: 'met' | 'partial' | 'unmet' | 'unknown';
	/** 0–1, before weighting. */
	score: number;
	weight: number;
	key: string;
	values: Record<string, string | number>;
};

export type CommuneMatch = {
	code: string;
	name: string;
	villageId: string | null;
	/** 0–100, weighted mean of the criteria that apply. */
	score: number;
	/** 0–1: the share of the applicable weight whose data is known. */
	confidence: number;
	reasons: MatchingReason[];
	offers: OfferMatch[];
	workspaces: MatchingWorkspace[];
};

export type HardConstraint = 'not_partner_village' | 'connection' | 'station' | 'airport' | 'metropole';

export type RankingResult = {
	/** Best first, at most `limit`. */
	matches: CommuneMatch[];
	/** How many communes passed the hard constraints. */
	eligible: number;
	/** Communes set aside by each hard constraint (the first one that failed). */
	excluded: Record<HardConstraint, number>;
};

const connectionIndex = (level: MatchingConnectionLevel) => MATCHING_CONNECTION_LEVELS.indexOf(level);

/** The school levels the household's children need nearby, in order. */
export function neededSchoolLevels(needs: Pick<MatchingNeeds, 'children'>): SchoolLevel[] {
	return SCHOOL_LEVELS.filter((level) => needs.children.some((child) => child.schooling === level));
}

/** The household's languages that rank communes: its own, French and duplicates left out, in its order. */
export function rankedLanguages(needs: Pick<MatchingNeeds, 'languages'>): string[] {
	return [...new Set(needs.languages)].filter((language) => language !== HOME_LANGUAGE);
}

/** How many of the commune's known speakers speak one of `languages` (each person counted once). */
function countSpeakers(speakers: readonly (readonly string[])[], languages: readonly string[]): number {
	let count = 0;
	for (const spoken of speakers) {
		for (const language of languages)
			if (spoken.includes(language)) {
				count++;
				break;
			}
	}
	return count;
}

function wantsChildcare(needs: MatchingNeeds): boolean {
	return needs.needsChildcare || needs.children.some((child) => child.schooling === 'childcare');
}

/** Offer kinds that fit the household's tenure and housing type. */
export function housingKinds(needs: Pick<MatchingNeeds, 'housingTenure' | 'housingType'>): string[] {
	const tenure = needs.housingTenure === 'buy' ? 'sale' : 'rent';
	const types = needs.housingType === 'any' ? ['house', 'flat'] : [needs.housingType];
	return types.map((type) => `${type}_${tenure}`);
}

export type OfferMatch = {
	id: string;
	/** 0–100. */
	score: number;
	reasons: { status: MatchingReason['status']; key: string; values: Record<string, string | number> }[];
};

/**
 * Whether an offer fits and why. Housing offers must be of a wanted kind; a price above the
 * budget is not a match; an unknown price or size is said, not held against the offer.
 */
export function matchOffer(needs: MatchingNeeds, offer: MatchingOffer): OfferMatch | null {
	if (offer.kind === 'partner_job') {
		return needs.isPartnerSeekingJob
			? {
					id: offer.id,
					score: 100,
					reasons: [{ status: 'met', key: 'matching_offer_partner_job', values: {} }]
				}
			: null;
	}
	if (!needs.housingTenure || !housingKinds(needs).includes(offer.kind)) return null;
	const reasons: OfferMatch['reasons'] = [
		{ status: 'met', key: `matching_offer_kind_${offer.kind}`, values: {} }
	];
	let score = 1;
	let parts = 1;
	if (offer.price === null) {
		reasons.push({ status: 'unknown', key: 'matching_offer_price_unknown', values: {} });
		score += 0.5;
		parts++;
	} else if (needs.budgetMax !== null) {
		if (offer.price > needs.budgetMax) return null;
		reasons.push({
			status: 'met',
			key: 'matching_offer_price_within',
			values: { price: offer.price, max: needs.budgetMax }
		});
		score += 1;
		parts++;
	}
	if (needs.minRooms !== null) {
		parts++;
		if (offer.rooms === null) {
			reasons.push({ status: 'unknown', key: 'matching_offer_rooms_unknown', values: {} });
			score += 0.5;
		} else if (offer.rooms >= needs.minRooms) {
			reasons.push({
				status: 'met',
				key: 'matching_offer_rooms_met',
				values: { rooms: offer.rooms, min: needs.minRooms }
			});
			score += 1;
		} else {
			reasons.push({
				status: 'unmet',
				key: 'matching_offer_rooms_unmet',
				values: { rooms: offer.rooms, min: needs.minRooms }
			});
		}
	}
	return { id: offer.id, score: Math.round((score / parts) * 100), reasons };
}

/**
 * Whether one offer is for a household, as the suggestions would show it: the offer's commune
 * passes the household's hard constraints (partner village, connection, distances) and the offer
 * itself fits (`matchOffer`). The commune must have been prepared with `prepareCommunes`.
 */
export function matchOfferInCommune(
	needs: MatchingNeeds,
	weights: MatchingWeights,
	commune: MatchingCommune,
	offer: MatchingOffer
): (OfferMatch & { communeScore: number }) | null {
	const quick = quickScore(needs, weights, commune);
	if ('excludedBy' in quick) return null;
	const match = matchOffer(needs, offer);
	return match ? { ...match, communeScore: quick.score } : null;
}

const byOfferScore = (a: OfferMatch, b: OfferMatch) =>
	b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The offers of a commune that fit, best first (ties by id). */
export function matchOffers(needs: MatchingNeeds, offers: readonly MatchingOffer[]): OfferMatch[] {
	const matches: OfferMatch[] = [];
	for (const offer of offers) {
		const match = matchOffer(needs, offer);
		if (match) matches.push(match);
	}
	return matches.sort(byOfferScore);
}

/** Within the limit: 1 at 0 km, down to 0.5 at the limit (a limit of 0 km: 1 when met). */
const distanceScore = (km: number, limit: number) => (limit === 0 ? 1 : 1 - 0.5 * Math.min(1, km / limit));

type Evaluation = { excludedBy: HardConstraint | null; score: number; confidence: number };

/**
 * Scores one commune. With `reasons`, also writes one explanation per applicable criterion
 * into it (ranking calls it without for every commune, then with for the ones it returns).
 */
function evaluate(
	needs: MatchingNeeds,
	weights: MatchingWeights,
	c: MatchingCommune,
	reasons: MatchingReason[] | null,
	offerMatches: OfferMatch[] | null
): Evaluation {
	// Hard constraints, on known data only: missing data never excludes.
	if (needs.villagePreference === 'partner_only' && c.villageId === null)
		return { excludedBy: 'not_partner_village', score: 0, confidence: 0 };
	if (
		needs.minConnection &&
		c.connection &&
		connectionIndex(c.connection) < connectionIndex(needs.minConnection)
	)
		return { excludedBy: 'connection', score: 0, confidence: 0 };
	if (needs.maxStationKm !== null && c.stationKm !== null && c.stationKm > needs.maxStationKm)
		return { excludedBy: 'station', score: 0, confidence: 0 };
	if (needs.maxAirportKm !== null && c.airportKm !== null && c.airportKm > needs.maxAirportKm)
		return { excludedBy: 'airport', score: 0, confidence: 0 };
	if (needs.maxMetropoleKm !== null && c.metropoleKm !== null && c.metropoleKm > needs.maxMetropoleKm)
		return { excludedBy: 'metropole', score: 0, confidence: 0 };

	let total = 0;
	let weightSum = 0;
	let knownWeight = 0;
	const add = (
		criterion: MatchingCriterion,
		score: number | null,
		key: string,
		values: Record<string, string | number> = {}
	) => {
		const weight = weights[criterion];
		const known = score !== null;
		const value = known ? score : 0.5;
		total += weight * value;
		weightSum += weight;
		if (known) knownWeight += weight;
		if (reasons)
			reasons.push({
				criterion,
				status: !known ? 'unknown' : value >= 1 ? 'met' : value > 0 ? 'partial' : 'unmet',
				score: Math.round(value * 100) / 100,
				weight,
				key,
				values
			});
	};

	// Connection: always applies (remote work is why households come).
	if (c.connection === null) add('connection', null, 'matching_reason_connection_unknown');
	else
		add(
			'connection',
			(connectionIndex(c.connection) + 1) / MATCHING_CONNECTION_LEVELS.length,
			`matching_reason_connection_${c.connection}`
		);

	// Housing: offers of the commune that fit.
	if (needs.housingTenure) {
		const matches = offerMatches ?? matchOffers(needs, c.offers);
		const housing = matches.filter((m) => m.reasons[0].key !== 'matching_offer_partner_job').length;
		if (housing) add('housing', 1, 'matching_reason_housing_offers', { count: housing });
		else add('housing', 0, 'matching_reason_housing_none');
	}

	// Schools: the highest level a child needs, within the distance.
	const levels = neededSchoolLevels(needs);
	if (levels.length) {
		const maxKm = needs.maxSchoolKm ?? DEFAULT_MAX_SCHOOL_KM;
		let within = 0;
		let unknown = 0;
		let upTo: SchoolLevel | null = null;
		for (const level of SCHOOL_LEVELS) {
			if (!levels.includes(level)) continue;
			const km = c.schoolKm[level];
			// A commune whose own schools are not said may have the school the neighbours lack.
			if (km === null || (km > maxKm && !c.hasSchoolData)) unknown++;
			else if (km <= maxKm) {
				within++;
				upTo = level;
			}
		}
		if (unknown === levels.length) add('schools', null, 'matching_reason_schools_unknown', { km: maxKm });
		else if (within === levels.length)
			add('schools', 1, 'matching_reason_schools_met', { level: upTo!, km: maxKm });
		else if (within > 0)
			add('schools', within / levels.length, 'matching_reason_schools_partial', { level: upTo!, km: maxKm });
		else add('schools', 0, 'matching_reason_schools_unmet', { km: maxKm });
	}

	if (wantsChildcare(needs)) {
		if (c.childcare === null) add('childcare', null, 'matching_reason_childcare_unknown');
		else
			add(
				'childcare',
				c.childcare ? 1 : 0,
				c.childcare ? 'matching_reason_childcare_met' : 'matching_reason_childcare_unmet'
			);
	}

	if (needs.isPartnerSeekingJob) {
		add(
			'partner_job',
			c.nearbyPartnerJobs > 0 ? 1 : 0,
			c.nearbyPartnerJobs > 0 ? 'matching_reason_partner_job_met' : 'matching_reason_partner_job_unmet',
			{ count: c.nearbyPartnerJobs, km: PARTNER_JOB_RADIUS_KM }
		);
	}

	const distance = (
		criterion: 'station' | 'airport' | 'metropole',
		km: number | null,
		limit: number,
		values: Record<string, string | number>
	) => {
		if (km === null) add(criterion, null, `matching_reason_${criterion}_unknown`, values);
		else
			add(criterion, distanceScore(km, limit), `matching_reason_${criterion}_within`, {
				...values,
				km,
				max: limit
			});
	};
	if (needs.maxStationKm !== null) distance('station', c.stationKm, needs.maxStationKm, {});
	if (needs.maxAirportKm !== null)
		distance('airport', c.airportKm, needs.maxAirportKm, { airport: c.airportName ?? '' });
	if (needs.maxMetropoleKm !== null) distance('metropole', c.metropoleKm, needs.maxMetropoleKm, {});

	if (needs.wantsCoworking) {
		if (c.coworkingKm === null)
			add('coworking', 0, 'matching_reason_coworking_none', { km: COWORKING_RADIUS_KM });
		else if (c.coworkingKm <= COWORKING_RADIUS_KM)
			add(
				'coworking',
				distanceScore(c.coworkingKm, COWORKING_RADIUS_KM),
				'matching_reason_coworking_within',
				{
					name: c.coworkingName ?? '',
					km: c.coworkingKm
				}
			);
		else
			add('coworking', 0, 'matching_reason_coworking_far', {
				name: c.coworkingName ?? '',
				km: c.coworkingKm
			});
	}

	if (needs.villagePreference === 'prefer_partner')
		add(
			'partner_village',
			c.villageId ? 1 : 0,
			c.villageId ? 'matching_reason_partner_village' : 'matching_reason_not_partner_village'
		);

	// Languages: people here who speak one of the household's languages (counts, never names).
	const languages = rankedLanguages(needs);
	if (languages.length) {
		const count = countSpeakers(c.speakers, languages);
		if (count > 0) {
			const spoken = languages.filter((language) => c.speakers.some((s) => s.includes(language)));
			add('languages', 1, 'matching_reason_languages_met', { count, languages: spoken.join(',') });
		} else add('languages', 0, 'matching_reason_languages_none', { languages: languages.join(',') });
	}

	return {
		excludedBy: null,
		score: weightSum > 0 ? Math.round((total / weightSum) * 1000) / 10 : 0,
		confidence: weightSum > 0 ? Math.round((knownWeight / weightSum) * 100) / 100 : 1
	};
}

/** Full match of one commune, with its explanations and its fitting offers and workspaces. */
export function matchCommune(
	needs: MatchingNeeds,
	weights: MatchingWeights,
	commune: MatchingCommune
): CommuneMatch | null {
	const reasons: MatchingReason[] = [];
	const offers = matchOffers(needs, commune.offers);
	const evaluation = evaluate(needs, weights, commune, reasons, offers);
	if (evaluation.excludedBy) return null;
	return {
		code: commune.code,
		name: commune.name,
		villageId: commune.villageId,
		score: evaluation.score,
		confidence: evaluation.confidence,
		reasons,
		offers,
		workspaces: needs.wantsCoworking ? commune.workspaces : []
	};
}

const HARD_CONSTRAINTS: HardConstraint[] = [
	'not_partner_village',
	'connection',
	'station',
	'airport',
	'metropole'
];

/** The needs and weights turned once into plain numbers for the ranking loop (-1: no limit). */
type Plan = {
	isPartnerOnly: boolean;
	minConnectionRank: number;
	maxStationKm: number;
	maxAirportKm: number;
	maxMetropoleKm: number;
	wConnection: number;
	/** Offer kinds that count as housing; null when no housing is sought. */
	housingKinds: string[] | null;
	budgetMax: number;
	wHousing: number;
	schoolLevels: SchoolLevel[];
	maxSchoolKm: number;
	wSchools: number;
	wChildcare: number;
	wPartnerJob: number;
	wStation: number;
	wAirport: number;
	wMetropole: number;
	wCoworking: number;
	wPartnerVillage: number;
	/** The household's languages other than French; empty: the criterion does not apply. */
	languages: string[];
	wLanguages: number;
};

function planOf(needs: MatchingNeeds, weights: MatchingWeights): Plan {
	const levels = neededSchoolLevels(needs);
	const languages = rankedLanguages(needs);
	return {
		isPartnerOnly: needs.villagePreference === 'partner_only',
		minConnectionRank: needs.minConnection ? connectionIndex(needs.minConnection) : -1,
		maxStationKm: needs.maxStationKm ?? -1,
		maxAirportKm: needs.maxAirportKm ?? -1,
		maxMetropoleKm: needs.maxMetropoleKm ?? -1,
		wConnection: weights.connection,
		housingKinds: needs.housingTenure ? housingKinds(needs) : null,
		budgetMax: needs.budgetMax ?? -1,
		wHousing: needs.housingTenure ? weights.housing : 0,
		schoolLevels: levels,
		maxSchoolKm: needs.maxSchoolKm ?? DEFAULT_MAX_SCHOOL_KM,
		wSchools: levels.length ? weights.schools : 0,
		wChildcare: wantsChildcare(needs) ? weights.childcare : 0,
		wPartnerJob: needs.isPartnerSeekingJob ? weights.partner_job : 0,
		wStation: needs.maxStationKm !== null ? weights.station : 0,
		wAirport: needs.maxAirportKm !== null ? weights.airport : 0,
		wMetropole: needs.maxMetropoleKm !== null ? weights.metropole : 0,
		wCoworking: needs.wantsCoworking ? weights.coworking : 0,
		wPartnerVillage: needs.villagePreference === 'prefer_partner' ? weights.partner_village : 0,
		languages,
		wLanguages: languages.length ? weights.languages : 0
	};
}

/** The confidence of the last `scoreOf` call (kept out of the return value: no allocation per commune). */
let lastConfidence = 0;

/**
 * The ranking loop's score of one commune: the same arithmetic as `evaluate`, on plain numbers
 * and without explanations (a test checks that both agree on every commune). Returns the index
 * of the failed hard constraint as −1 − index, else the score (0–100); the confidence is left
 * in `lastConfidence`.
 */
function scoreOf(plan: Plan, c: MatchingCommune): number {
	if (plan.isPartnerOnly && c.villageId === null) return -1;
	if (plan.minConnectionRank >= 0 && c.connectionRank >= 0 && c.connectionRank < plan.minConnectionRank)
		return -2;
	if (plan.maxStationKm >= 0 && c.stationKm !== null && c.stationKm > plan.maxStationKm) return -3;
	if (plan.maxAirportKm >= 0 && c.airportKm !== null && c.airportKm > plan.maxAirportKm) return -4;
	if (plan.maxMetropoleKm >= 0 && c.metropoleKm !== null && c.metropoleKm > plan.maxMetropoleKm) return -5;
	let total = 0;
	let sum = 0;
	let known = 0;
	// Connection.
	sum += plan.wConnection;
	if (c.connectionRank < 0) total += plan.wConnection * 0.5;
	else {
		total += plan.wConnection * ((c.connectionRank + 1) / MATCHING_CONNECTION_LEVELS.length);
		known += plan.wConnection;
	}
	if (plan.housingKinds) {
		let hasHousing = false;
		for (const offer of c.offers)
			if (
				plan.housingKinds.includes(offer.kind) &&
				(offer.price === null || plan.budgetMax < 0 || offer.price <= plan.budgetMax)
			) {
				hasHousing = true;
				break;
			}
		sum += plan.wHousing;
		known += plan.wHousing;
		if (hasHousing) total += plan.wHousing;
	}
	if (plan.schoolLevels.length) {
		let within = 0;
		let unknown = 0;
		for (const level of plan.schoolLevels) {
			const km = c.schoolKm[level];
			if (km === null || (km > plan.maxSchoolKm && !c.hasSchoolData)) unknown++;
			else if (km <= plan.maxSchoolKm) within++;
		}
		sum += plan.wSchools;
		if (unknown === plan.schoolLevels.length) total += plan.wSchools * 0.5;
		else {
			total += plan.wSchools * (within / plan.schoolLevels.length);
			known += plan.wSchools;
		}
	}
	if (plan.wChildcare) {
		sum += plan.wChildcare;
		if (c.childcare === null) total += plan.wChildcare * 0.5;
		else {
			known += plan.wChildcare;
			if (c.childcare) total += plan.wChildcare;
		}
	}
	if (plan.wPartnerJob) {
		sum += plan.wPartnerJob;
		known += plan.wPartnerJob;
		if (c.nearbyPartnerJobs > 0) total += plan.wPartnerJob;
	}
	if (plan.maxStationKm >= 0) {
		sum += plan.wStation;
		if (c.stationKm === null) total += plan.wStation * 0.5;
		else {
			known += plan.wStation;
			total += plan.wStation * distanceScore(c.stationKm, plan.maxStationKm);
		}
	}
	if (plan.maxAirportKm >= 0) {
		sum += plan.wAirport;
		if (c.airportKm === null) total += plan.wAirport * 0.5;
		else {
			known += plan.wAirport;
			total += plan.wAirport * distanceScore(c.airportKm, plan.maxAirportKm);
		}
	}
	if (plan.maxMetropoleKm >= 0) {
		sum += plan.wMetropole;
		if (c.metropoleKm === null) total += plan.wMetropole * 0.5;
		else {
			known += plan.wMetropole;
			total += plan.wMetropole * distanceScore(c.metropoleKm, plan.maxMetropoleKm);
		}
	}
	if (plan.wCoworking) {
		sum += plan.wCoworking;
		known += plan.wCoworking;
		if (c.coworkingKm !== null && c.coworkingKm <= COWORKING_RADIUS_KM)
			total += plan.wCoworking * distanceScore(c.coworkingKm, COWORKING_RADIUS_KM);
	}
	if (plan.wPartnerVillage) {
		sum += plan.wPartnerVillage;
		known += plan.wPartnerVillage;
		if (c.villageId !== null) total += plan.wPartnerVillage;
	}
	if (plan.wLanguages) {
		sum += plan.wLanguages;
		known += plan.wLanguages;
		if (c.speakers.length && countSpeakers(c.speakers, plan.languages) > 0) total += plan.wLanguages;
	}
	lastConfidence = sum > 0 ? Math.round((known / sum) * 100) / 100 : 1;
	return sum > 0 ? Math.round((total / sum) * 1000) / 10 : 0;
}

/**
 * The score and confidence the ranking loop gives a commune, or the hard constraint that sets
 * it aside: exposed so that tests hold it equal to `matchCommune`'s.
 */
export function quickScore(
	needs: MatchingNeeds,
	weights: MatchingWeights,
	commune: MatchingCommune
): { score: number; confidence: number } | { excludedBy: HardConstraint } {
	const score = scoreOf(planOf(needs, weights), commune);
	return score < 0 ? { excludedBy: HARD_CONSTRAINTS[-score - 1] } : { score, confidence: lastConfidence };
}

/**
 * Ranks communes for a household: hard constraints, then weighted criteria. Best score first;
 * ties by confidence (better known first), then by INSEE code. Explanations are built only for
 * the `limit` communes returned.
 */
export function rankCommunes({
	needs,
	communes,
	weights = DEFAULT_MATCHING_WEIGHTS,
	limit = Infinity
}: {
	needs: MatchingNeeds;
	communes: readonly MatchingCommune[];
	weights?: MatchingWeights;
	limit?: number;
}): RankingResult {
	const excluded: Record<HardConstraint, number> = {
		not_partner_village: 0,
		connection: 0,
		station: 0,
		airport: 0,
		metropole: 0
	};
	const plan = planOf(needs, weights);
	const scores = new Float64Array(communes.length);
	const confidences = new Float64Array(communes.length);
	const eligible: number[] = [];
	for (let i = 0; i < communes.length; i++) {
		const score = scoreOf(plan, communes[i]);
		if (score < 0) {
			excluded[HARD_CONSTRAINTS[-score - 1]]++;
			continue;
		}
		scores[i] = score;
		confidences[i] = lastConfidence;
		eligible.push(i);
	}
	const compare = (a: number, b: number) =>
		scores[b] - scores[a] ||
		confidences[b] - confidences[a] ||
		(communes[a].code < communes[b].code ? -1 : communes[a].code > communes[b].code ? 1 : 0);
	const top = selectTop(eligible, Math.min(limit, eligible.length), compare);
	return {
		matches: top.map((i) => matchCommune(needs, weights, communes[i])!),
		eligible: eligible.length,
		excluded
	};
}

/** The `k` best indices in order: a full sort when k is large, a bounded insertion otherwise. */
function selectTop(indices: number[], k: number, compare: (a: number, b: number) => number): number[] {
	if (k >= indices.length / 8) return indices.sort(compare).slice(0, k);
	const top: number[] = [];
	for (const i of indices) {
		if (top.length === k && compare(i, top[k - 1]) >= 0) continue;
		let at = top.length === k ? k - 1 : top.length;
		if (top.length < k) top.push(i);
		while (at > 0 && compare(i, top[at - 1]) < 0) {
			top[at] = top[at - 1];
			at--;
		}
		top[at] = i;
	}
	return top;
}
