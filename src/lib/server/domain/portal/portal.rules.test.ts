import { expect, test } from 'vitest';
import { containsPattern, searchTerms } from './portal.rules.ts';

test('a query is split into distinct words, short words and punctuation dropped', () => {
	expect(searchTerms('  Maison à  louer, Éauze ')).toEqual(['maison', 'louer', 'éauze']);
	expect(searchTerms("L'Isle-Jourdain")).toEqual(["l'isle-jourdain"]);
	expect(searchTerms('fibre fibre FIBRE')).toEqual(['fibre']);
	expect(searchTerms('a b c')).toEqual([]);
	expect(searchTerms('un deux trois quatre cinq six sept huit')).toHaveLength(6);
});

test('LIKE wildcards typed by a visitor are matched literally', () => {
	expect(containsPattern('100%')).toBe('%100\\%%');
	expect(containsPattern('a_b')).toBe('%a\\_b%');
});
