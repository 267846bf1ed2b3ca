import { describe, expect, test } from 'vitest';
import {
	rankAmbassadors,
	scoreAmbassador,
	SCORE,
	type AmbassadorCandidate,
	type Newcomer
} from './ambassador.rules.ts';

const LECTOURE = { lat: 43.934, lon: 0.622, name: 'Lectoure' };
const FLEURANCE = { lat: 43.848, lon: 0.663, name: 'Fleurance' };
const CAHORS = { lat: 44.45, lon: 1.44, name: 'Cahors' };

const newcomer: Newcomer = { languages: ['nl', 'fr'], trades: ['Traductrice'], places: [LECTOURE] };

const candidate = (overrides: Partial<AmbassadorCandidate> = {}): AmbassadorCandidate => ({
	profileId: 'mbr_a',
	displayName: 'Anna',
	languages: ['fr'],
	ambassadorLanguages: [],
	skills: [],
	headline: null,
	commune: null,
	availability: null,
	openPairings: 0,
	...overrides
});

describe('ranking ambassadors for a newcomer household', () => {
	test('a shared language other than French weighs most, French alone a little', () => {
		const dutch = scoreAmbassador(newcomer, candidate({ ambassadorLanguages: ['nl'] }));
		const french = scoreAmbassador(newcomer, candidate());
		expect(dutch.reasons).toContainEqual({ code: 'language', params: { languages: 'nl' } });
		expect(french.reasons).toContainEqual({ code: 'french_only', params: {} });
		expect(dutch.score - french.score).toBe(SCORE.foreignLanguage - SCORE.frenchOnly);
	});

	test('the same trade counts across French and English words', () => {
		const translator = scoreAmbassador(newcomer, candidate({ skills: ['Translation'] }));
		expect(translator.reasons).toContainEqual({ code: 'trade', params: { trade: 'Traductrice' } });
		const potter = scoreAmbassador(newcomer, candidate({ skills: ['Potier'] }));
		expect(potter.reasons.map((r) => r.code)).not.toContain('trade');
	});

	test('an ambassador nearby scores more than one far away, with the distance as a reason', () => {
		const near = scoreAmbassador(newcomer, candidate({ commune: FLEURANCE }));
		const far = scoreAmbassador(newcomer, candidate({ commune: CAHORS }));
		expect(near.distanceKm).toBeGreaterThan(5);
		expect(near.distanceKm).toBeLessThan(15);
		expect(near.reasons).toContainEqual({
			code: 'distance',
			params: { km: expect.any(Number), commune: 'Lectoure' }
		});
		expect(far.reasons.map((r) => r.code)).toContain('far');
		expect(near.score).toBeGreaterThan(far.score);
	});

	test('availability helps and open pairings spread newcomers among ambassadors', () => {
		const free = scoreAmbassador(newcomer, candidate({ availability: 'Le mercredi' }));
		const busy = scoreAmbassador(newcomer, candidate({ availability: 'Le mercredi', openPairings: 2 }));
		expect(free.reasons).toContainEqual({ code: 'available', params: { availability: 'Le mercredi' } });
		expect(busy.reasons).toContainEqual({ code: 'busy', params: { count: 2 } });
		expect(free.score - busy.score).toBe(-2 * SCORE.busy);
		expect(scoreAmbassador(newcomer, candidate()).reasons).toContainEqual({
			code: 'no_availability',
			params: {}
		});
	});

	test('the Dutch-speaking translator next door ranks first; ties go to the nearest', () => {
		const ranked = rankAmbassadors(newcomer, [
			candidate({ profileId: 'mbr_far', displayName: 'Zoé', commune: CAHORS, availability: 'souvent' }),
			candidate({
				profileId: 'mbr_best',
				displayName: 'Bram',
				languages: ['nl', 'fr'],
				skills: ['traduction'],
				commune: FLEURANCE,
				availability: 'le soir'
			}),
			candidate({ profileId: 'mbr_near', displayName: 'Yves', commune: LECTOURE, availability: 'souvent' }),
			candidate({ profileId: 'mbr_mid', displayName: 'Alice', commune: FLEURANCE, availability: 'souvent' })
		]);
		expect(ranked.map((r) => r.profileId)).toEqual(['mbr_best', 'mbr_near', 'mbr_mid', 'mbr_far']);
	});
});
