import { expect, test } from 'vitest';
import { foldForSearch, SEARCH_FOLD_FROM, SEARCH_FOLD_TO } from './search.ts';

test('the two fold lists pair every letter with one plain letter', () => {
	expect([...SEARCH_FOLD_FROM]).toHaveLength([...SEARCH_FOLD_TO].length);
	for (const [i, letter] of [...SEARCH_FOLD_FROM].entries()) {
		const plain = letter.normalize('NFD').replace(/\p{M}/gu, '');
		// ł and ø have no decomposition: they fold by hand.
		expect(SEARCH_FOLD_TO[i]).toBe(plain === letter ? { ł: 'l', ø: 'o' }[letter] : plain);
	}
});

test('names fold to lower case without accents', () => {
	expect(foldForSearch('Hélène LEFÈVRE')).toBe('helene lefevre');
	expect(foldForSearch('Łukasz Søren Ñúñez')).toBe('lukasz soren nunez');
	expect(foldForSearch('de Vries')).toBe('de vries');
});
