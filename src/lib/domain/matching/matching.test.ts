import { expect, test } from 'vitest';
import { createRandom } from '../random.ts';
import {
	DEFAULT_MATCHING_WEIGHTS,
	matchCommune,
	matchOffer,
	matchOfferInCommune,
	quickScore,
	prepareCommunes,
	rankCommunes,
	type MatchingNeeds,
	type MatchingOffer,
	type RawMatchingCommune
} from './matching.ts';

const TOULOUSE = { lat: 43.6045, lon: 1.4442 };

const commune = (
	overrides: Partial<RawMatchingCommune> & { code: string; name: string }
): RawMatchingCommune => ({
	lat: 43.6,
	lon: 1.0,
	villageId: null,
	connection: 'gbit',
	schools: { primary: true, middle: true, high: false },
	childcare: true,
	hasStation: true,
	stationDistanceKm: null,
	...overrides
});

/** A couple renting, two children at primary school and collège, fibre wanted, 60 km from Toulouse at most. */
const needs = (overrides: Partial<MatchingNeeds> = {}): MatchingNeeds => ({
	housingTenure: 'rent',
	budgetMin: 500,
	budgetMax: 900,
	housingType: 'house',
	minRooms: 4,
	minConnection: '30',
	children: [
		{ age: 12, schooling: 'middle' },
		{ age: 8, schooling: 'primary' }
	],
	maxSchoolKm: null,
	needsChildcare: false,
	isPartnerSeekingJob: false,
	maxStationKm: null,
	maxAirportKm: null,
	maxMetropoleKm: 60,
	wantsCoworking: false,
	villagePreference: 'any',
	languages: [],
	...overrides
});

const offer = (overrides: Partial<MatchingOffer> & { id: string; communeCode: string }): MatchingOffer => ({
	kind: 'house_rent',
	villageId: null,
	price: 800,
	rooms: 4,
	surfaceM2: 100,
	...overrides
});

const RAW = [
	// 36 km west of Toulouse: fibre, école and collège, a house to rent.
	commune({ code: '32001', name: 'Fibreville', villageId: 'vil_a' }),
	// Same place and facts but no house: below Fibreville.
	commune({ code: '32002', name: 'Jumelle' }),
	// Nothing known about its connection and schools: kept, with a lower confidence.
	commune({
		code: '32003',
		name: 'Inconnue',
		connection: null,
		schools: null,
		childcare: null,
		lat: 43.5,
		lon: 1.1
	}),
	// 100 km from Toulouse: beyond the 60 km asked.
	commune({ code: '32004', name: 'Lointaine', lon: 0.2 }),
	// A slow line: below the minimum connection.
	commune({ code: '32005', name: 'Lente', connection: '8' }),
	// The twin of Jumelle, with a higher code: ties are broken by code.
	commune({ code: '32006', name: 'Jumelle-Bis' })
];
const OFFERS = [
	offer({ id: 'off_house', communeCode: '32001', villageId: 'vil_a' }),
	offer({ id: 'off_dear', communeCode: '32002', price: 1500 }),
	offer({ id: 'off_flat', communeCode: '32002', kind: 'flat_rent', price: 600 })
];
const prepared = prepareCommunes({ communes: RAW, metropole: TOULOUSE, offers: OFFERS });

test('hard constraints set aside the far and the slow communes, and the rest is ranked best first with ties by code', () => {
	const result = rankCommunes({ needs: needs(), communes: prepared });
	expect(result.matches.map((m) => m.name)).toEqual(['Fibreville', 'Jumelle', 'Jumelle-Bis', 'Inconnue']);
	expect(result.eligible).toBe(4);
	expect(result.excluded).toMatchObject({ metropole: 1, connection: 1, not_partner_village: 0 });
	const [, jumelle, bis] = result.matches;
	expect(jumelle.score).toBe(bis.score);
	expect(jumelle.confidence).toBe(bis.confidence);
});

test('each criterion explains itself with a message key and its values', () => {
	const [fibreville] = rankCommunes({ needs: needs(), communes: prepared, limit: 1 }).matches;
	const km = prepared[0].metropoleKm!;
	expect(km).toBeCloseTo(35.8, 0);
	expect(
		fibreville.reasons.map(({ criterion, status, key, values }) => ({ criterion, status, key, values }))
	).toEqual([
		{ criterion: 'connection', status: 'met', key: 'matching_reason_connection_gbit', values: {} },
		{ criterion: 'housing', status: 'met', key: 'matching_reason_housing_offers', values: { count: 1 } },
		{
			criterion: 'schools',
			status: 'met',
			key: 'matching_reason_schools_met',
			values: { level: 'middle', km: 8 }
		},
		{
			criterion: 'metropole',
			status: 'partial',
			key: 'matching_reason_metropole_within',
			values: { km, max: 60 }
		}
	]);
	// Weighted mean: connection 3×1, housing 3×1, schools 2×1, metropole 2×(1 − 0.5×km/60).
	const expected = (3 + 3 + 2 + 2 * (1 - (0.5 * km) / 60)) / 10;
	expect(fibreville.score).toBeCloseTo(expected * 100, 1);
	expect(fibreville.confidence).toBe(1);
	expect(fibreville.offers.map((o) => o.id)).toEqual(['off_house']);
	expect(fibreville.offers[0].reasons.map((r) => r.key)).toEqual([
		'matching_offer_kind_house_rent',
		'matching_offer_price_within',
		'matching_offer_rooms_met'
	]);
});

test('missing data lowers the confidence and says so, it never drops the commune', () => {
	const result = rankCommunes({ needs: needs(), communes: prepared });
	const inconnue = result.matches.find((m) => m.code === '32003')!;
	expect(inconnue.confidence).toBe(0.5); // connection (3) and schools (2) unknown out of 10
	expect(inconnue.reasons.filter((r) => r.status === 'unknown').map((r) => r.key)).toEqual([
		'matching_reason_connection_unknown',
		'matching_reason_schools_unknown'
	]);
	// An unknown connection does not break the minimum-connection constraint either.
	expect(result.excluded.connection).toBe(1);
});

test('a dearer house and a flat do not count as housing for a household that wants a house within 900 €', () => {
	const jumelle = rankCommunes({ needs: needs(), communes: prepared }).matches.find(
		(m) => m.code === '32002'
	)!;
	expect(jumelle.offers).toEqual([]);
	expect(jumelle.reasons.find((r) => r.criterion === 'housing')).toMatchObject({
		status: 'unmet',
		key: 'matching_reason_housing_none'
	});
	// Any type of housing: the flat fits.
	const any = rankCommunes({ needs: needs({ housingType: 'any', minRooms: null }), communes: prepared });
	expect(any.matches.find((m) => m.code === '32002')!.offers.map((o) => o.id)).toEqual(['off_flat']);
});

test('"partner villages only" is a hard constraint, "prefer" only a criterion', () => {
	const only = rankCommunes({ needs: needs({ villagePreference: 'partner_only' }), communes: prepared });
	expect(only.matches.map((m) => m.code)).toEqual(['32001']);
	expect(only.excluded.not_partner_village).toBe(5);
	const prefer = rankCommunes({ needs: needs({ villagePreference: 'prefer_partner' }), communes: prepared });
	expect(prefer.matches).toHaveLength(4);
	expect(prefer.matches[1].reasons.at(-1)).toMatchObject({
		criterion: 'partner_village',
		status: 'unmet',
		key: 'matching_reason_not_partner_village'
	});
});

test('a school farther than the distance asked counts against the commune; a nearby one counts for it', () => {
	const raw = [
		commune({ code: '32010', name: 'Sans-collège', schools: { primary: true } }),
		// 0.05° north: about 5.6 km away from Sans-collège, it has a collège.
		commune({ code: '32011', name: 'Voisine', lat: 43.65, schools: { primary: true, middle: true } })
	];
	const communes = prepareCommunes({ communes: raw, metropole: TOULOUSE });
	expect(communes[0].schoolKm.middle).toBeCloseTo(5.6, 1);
	const near = rankCommunes({ needs: needs({ housingTenure: null }), communes }).matches.find(
		(m) => m.code === '32010'
	)!;
	expect(near.reasons.find((r) => r.criterion === 'schools')).toMatchObject({
		status: 'met',
		values: { level: 'middle', km: 8 }
	});
	const strict = rankCommunes({
		needs: needs({ housingTenure: null, maxSchoolKm: 5 }),
		communes
	}).matches.find((m) => m.code === '32010')!;
	expect(strict.reasons.find((r) => r.criterion === 'schools')).toMatchObject({
		status: 'partial',
		score: 0.5,
		key: 'matching_reason_schools_partial',
		values: { level: 'primary', km: 5 }
	});
	expect(strict.score).toBeLessThan(near.score);
});

test('weights change the order: with connection alone, the unknown commune comes last; with housing alone, the house wins', () => {
	const zero = Object.fromEntries(
		Object.keys(DEFAULT_MATCHING_WEIGHTS).map((k) => [k, 0])
	) as typeof DEFAULT_MATCHING_WEIGHTS;
	const housingOnly = rankCommunes({ needs: needs(), communes: prepared, weights: { ...zero, housing: 1 } });
	expect(housingOnly.matches[0].code).toBe('32001');
	expect(housingOnly.matches[0].score).toBe(100);
	// Everything else scores 0 on housing and ties: confidence then code decides.
	expect(housingOnly.matches.slice(1).map((m) => m.code)).toEqual(['32002', '32003', '32006']);
});

test('the coworking wish names the nearest workspace and its distance; the limit returns the same head as the full ranking', () => {
	const communes = prepareCommunes({
		communes: RAW,
		metropole: TOULOUSE,
		workspaces: [{ id: 'wsp_1', communeCode: '32003', kind: 'coworking', name: 'La Ruche' }]
	});
	const full = rankCommunes({ needs: needs({ wantsCoworking: true }), communes });
	const inconnue = full.matches.find((m) => m.code === '32003')!;
	expect(inconnue.reasons.find((r) => r.criterion === 'coworking')).toMatchObject({
		status: 'met',
		values: { name: 'La Ruche', km: 0 }
	});
	expect(inconnue.workspaces.map((w) => w.id)).toEqual(['wsp_1']);
	const fibreville = full.matches.find((m) => m.code === '32001')!;
	expect(fibreville.reasons.find((r) => r.criterion === 'coworking')).toMatchObject({
		status: 'partial',
		key: 'matching_reason_coworking_within',
		values: { name: 'La Ruche' }
	});
	const limited = rankCommunes({ needs: needs({ wantsCoworking: true }), communes, limit: 2 });
	expect(limited.matches.map((m) => m.code)).toEqual(full.matches.slice(0, 2).map((m) => m.code));
});

test('ranking is deterministic whatever the input order', () => {
	const reversed = [...prepared].reverse();
	const a = rankCommunes({ needs: needs(), communes: prepared });
	const b = rankCommunes({ needs: needs(), communes: reversed, limit: 3 });
	expect(b.matches.map((m) => m.code)).toEqual(a.matches.slice(0, 3).map((m) => m.code));
});

test('an offer above the budget or of another kind does not match; an unknown price is said', () => {
	expect(matchOffer(needs(), offer({ id: 'o1', communeCode: 'x', price: 950 }))).toBeNull();
	expect(matchOffer(needs(), offer({ id: 'o2', communeCode: 'x', kind: 'house_sale' }))).toBeNull();
	expect(
		matchOffer(needs(), offer({ id: 'o3', communeCode: 'x', price: null }))?.reasons.map((r) => r.key)
	).toEqual(['matching_offer_kind_house_rent', 'matching_offer_price_unknown', 'matching_offer_rooms_met']);
	expect(
		matchOffer(
			needs({ isPartnerSeekingJob: true }),
			offer({ id: 'o4', communeCode: 'x', kind: 'partner_job' })
		)?.score
	).toBe(100);
});

test('childcare: a place to look after a toddler meets it, none said counts against, nothing said is unknown', () => {
	const communes = prepareCommunes({
		communes: [
			commune({ code: '32103', name: 'Sans crèche', childcare: false }),
			commune({ code: '32102', name: 'Pas dit', childcare: null }),
			commune({ code: '32101', name: 'Crèche', childcare: true })
		],
		metropole: TOULOUSE
	});
	const toddler = needs({ children: [{ age: 2, schooling: 'childcare' }] });
	const result = rankCommunes({ needs: toddler, communes });
	expect(
		result.matches.map((m) => {
			const reason = m.reasons.find((r) => r.criterion === 'childcare')!;
			return [m.name, reason.status, reason.key, m.confidence];
		})
	).toEqual([
		['Crèche', 'met', 'matching_reason_childcare_met', 1],
		// Unknown scores neutral (0.5): between the two, with a lower confidence (weight 1 of 9).
		['Pas dit', 'unknown', 'matching_reason_childcare_unknown', 0.89],
		['Sans crèche', 'unmet', 'matching_reason_childcare_unmet', 1]
	]);
	// "Needs childcare" ticked without a toddler counts the same; a household without either skips it.
	const ticked = rankCommunes({ needs: needs({ needsChildcare: true }), communes });
	expect(ticked.matches.map((m) => m.name)).toEqual(['Crèche', 'Pas dit', 'Sans crèche']);
	const none = rankCommunes({ needs: needs(), communes });
	expect(none.matches.flatMap((m) => m.reasons.filter((r) => r.criterion === 'childcare'))).toEqual([]);
	expect(none.matches.map((m) => m.code)).toEqual(['32101', '32102', '32103']);
});

test('languages: communes where members speak the household’s languages rank first, with counts and never names', () => {
	const communes = prepareCommunes({
		communes: [
			// Two people here: one speaks Dutch and English (counted once), one French only.
			commune({ code: '32201', name: 'Deux langues', speakers: [['nl', 'en', 'fr'], ['fr']] }),
			commune({ code: '32202', name: 'Néerlandophones', speakers: [['nl'], ['nl', 'fr']] }),
			// Nobody known: same facts otherwise.
			commune({ code: '32203', name: 'Personne' }),
			commune({ code: '32204', name: 'Allemand', speakers: [['de']] }),
			commune({ code: '32200', name: 'Personne-Bis', speakers: [] })
		],
		metropole: TOULOUSE
	});
	const dutch = needs({ languages: ['fr', 'nl', 'en'] });
	const result = rankCommunes({ needs: dutch, communes });
	const explained = result.matches.map((m) => {
		const reason = m.reasons.find((r) => r.criterion === 'languages')!;
		return [m.name, reason.status, reason.key, reason.values];
	});
	expect(explained).toEqual([
		// Met: equal scores, ties by code.
		['Deux langues', 'met', 'matching_reason_languages_met', { count: 1, languages: 'nl,en' }],
		['Néerlandophones', 'met', 'matching_reason_languages_met', { count: 2, languages: 'nl' }],
		// Unmet (nobody known is not "unknown": the confidence stays whole), ties by code.
		['Personne-Bis', 'unmet', 'matching_reason_languages_none', { languages: 'nl,en' }],
		['Personne', 'unmet', 'matching_reason_languages_none', { languages: 'nl,en' }],
		['Allemand', 'unmet', 'matching_reason_languages_none', { languages: 'nl,en' }]
	]);
	expect(result.matches.every((m) => m.confidence === 1)).toBe(true);
	expect(JSON.stringify(result)).not.toMatch(/speakers/);
	// French alone, or nothing said: the criterion does not apply, the order is the code's.
	for (const languages of [['fr'], []]) {
		const plain = rankCommunes({ needs: needs({ languages }), communes });
		expect(plain.matches.flatMap((m) => m.reasons.filter((r) => r.criterion === 'languages'))).toEqual([]);
		expect(plain.matches.map((m) => m.code)).toEqual(['32200', '32201', '32202', '32203', '32204']);
	}
	// Its weight is the programme's: at 0 it still explains, but ranks nothing.
	const unweighted = rankCommunes({
		needs: dutch,
		communes,
		weights: { ...DEFAULT_MATCHING_WEIGHTS, languages: 0 }
	});
	expect(unweighted.matches.map((m) => m.code)).toEqual(['32200', '32201', '32202', '32203', '32204']);
});

test('the ranking loop and the explained match agree on every commune, for many random households', () => {
	const random = createRandom(7);
	const levels = ['below_8', '8', '30', '100', 'gbit', null] as const;
	const raw = Array.from({ length: 400 }, (_, i) =>
		commune({
			code: String(10000 + i),
			name: `C${i}`,
			lat: random.chance(0.1) ? null : 43 + random.next(),
			lon: random.chance(0.1) ? null : random.next() * 2,
			villageId: random.chance(0.2) ? `vil_${i}` : null,
			connection: random.pick(levels),
			schools: random.chance(0.2)
				? null
				: { primary: random.chance(0.5), middle: random.chance(0.2), high: random.chance(0.1) },
			childcare: random.pick([true, false, null]),
			hasStation: random.pick([true, false, null]),
			speakers: random.chance(0.3)
				? Array.from({ length: random.int(1, 3) }, () => [random.pick(['nl', 'en', 'de', 'fr'])])
				: undefined
		})
	);
	const offers = Array.from({ length: 60 }, (_, i) =>
		offer({
			id: `off_${i}`,
			communeCode: random.pick(raw).code,
			kind: random.pick(['house_rent', 'flat_rent', 'house_sale', 'partner_job']),
			price: random.chance(0.2) ? null : random.int(300, 1500),
			rooms: random.chance(0.2) ? null : random.int(1, 6)
		})
	);
	const communes = prepareCommunes({
		communes: raw,
		metropole: TOULOUSE,
		offers,
		workspaces: [{ id: 'wsp_1', communeCode: raw[3].code, kind: 'coworking', name: 'Atelier' }]
	});
	for (let k = 0; k < 60; k++) {
		const n = needs({
			housingTenure: random.pick(['rent', 'buy', null] as const),
			budgetMax: random.chance(0.3) ? null : random.int(400, 1200),
			housingType: random.pick(['house', 'flat', 'any'] as const),
			minConnection: random.pick(['8', '30', '100', 'gbit', null] as const),
			children: random.chance(0.5)
				? [{ age: 4, schooling: 'childcare' }]
				: [
						{ age: 16, schooling: 'high' },
						{ age: 9, schooling: 'primary' }
					],
			maxSchoolKm: random.chance(0.5) ? null : random.int(2, 20),
			isPartnerSeekingJob: random.chance(0.5),
			maxStationKm: random.chance(0.5) ? null : random.int(0, 40),
			maxAirportKm: random.chance(0.5) ? null : random.int(50, 150),
			maxMetropoleKm: random.chance(0.5) ? null : random.int(20, 150),
			wantsCoworking: random.chance(0.5),
			villagePreference: random.pick(['any', 'prefer_partner', 'partner_only'] as const),
			languages: random.pick([[], ['fr'], ['nl'], ['fr', 'en', 'de']])
		});
		for (const c of communes) {
			const quick = quickScore(n, DEFAULT_MATCHING_WEIGHTS, c);
			const full = matchCommune(n, DEFAULT_MATCHING_WEIGHTS, c);
			if ('excludedBy' in quick) expect(full).toBeNull();
			else expect({ score: full?.score, confidence: full?.confidence }).toEqual(quick);
		}
	}
});

test('an offer is for a household when its commune passes the hard constraints and the offer fits; preparing one commune gives the same commune', () => {
	const raw = [
		commune({ code: '32001', name: 'Proche', lat: 43.6, lon: 1.2, hasStation: true }),
		commune({ code: '32002', name: 'Lente', lat: 43.6, lon: 1.1, connection: '8', hasStation: false }),
		commune({ code: '32003', name: 'Loin', lat: 43.9, lon: 0.2, hasStation: false })
	];
	const all = prepareCommunes({ communes: raw, metropole: TOULOUSE });
	const [lente] = prepareCommunes({ communes: raw, metropole: TOULOUSE, only: new Set(['32002']) });
	// The nearest station is still looked for among all communes.
	expect(lente).toEqual(all[1]);
	const [proche, , loin] = all;
	const house = offer({ id: 'off_1', communeCode: '32001' });
	const quick = quickScore(needs(), DEFAULT_MATCHING_WEIGHTS, proche);
	if ('excludedBy' in quick) throw new Error('expected the commune to pass');
	expect(matchOfferInCommune(needs(), DEFAULT_MATCHING_WEIGHTS, proche, house)).toMatchObject({
		id: 'off_1',
		score: 100,
		communeScore: quick.score
	});
	// Too slow a line, too far from Toulouse, over budget, or not a house: no match.
	expect(matchOfferInCommune(needs(), DEFAULT_MATCHING_WEIGHTS, lente, house)).toBeNull();
	expect(matchOfferInCommune(needs(), DEFAULT_MATCHING_WEIGHTS, loin, house)).toBeNull();
	expect(matchOfferInCommune(needs({ budgetMax: 700 }), DEFAULT_MATCHING_WEIGHTS, proche, house)).toBeNull();
	expect(
		matchOfferInCommune(needs(), DEFAULT_MATCHING_WEIGHTS, proche, { ...house, kind: 'flat_rent' })
	).toBeNull();
});
