/**
 * Folding text for accent- and case-insensitive search that an index can serve.
 *
 * PostgreSQL's unaccent() is not immutable, so it cannot feed an index or a generated column;
 * lower() and translate() are. Columns such as `persons.search_name` are generated with
 * `translate(lower(…), SEARCH_FOLD_FROM, SEARCH_FOLD_TO)` and queries fold the typed text with
 * `foldForSearch`, which gives the same result for every letter of the two lists (Latin letters
 * with diacritics used in European names).
 */
export const SEARCH_FOLD_FROM = 'àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöōőŕřśšşťùúûüūůűųýÿžźżłø';
export const SEARCH_FOLD_TO = 'aaaaaaaaacccdeeeeeeeeiiiiiinnnooooooorrssstuuuuuuuuyyzzzlo';

const FOLD = new Map([...SEARCH_FOLD_FROM].map((letter, i) => [letter, SEARCH_FOLD_TO[i]]));

/** Lower case without diacritics, as the database folds generated search columns: "Lefèvre" → "lefevre". */
export function foldForSearch(text: string): string {
	return [...text.toLowerCase()].map((letter) => FOLD.get(letter) ?? letter).join('');
}
