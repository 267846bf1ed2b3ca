/** Pure rules of the portal's search: no database, no I/O. */

/** Words shorter than this are ignored ("à", "l'"); a query made only of them finds nothing. */
export const MIN_TERM_LENGTH = 2;
/** At most this many words are matched (all of them must be found). */
export const MAX_TERMS = 6;

/**
 * The words of a search query, each to be found somewhere in a record (AND).
 * Punctuation separates words, except hyphens and apostrophes inside names
 * ("L'Isle-Jourdain" stays searchable as typed, and as "isle jourdain").
 */
export function searchTerms(q: string): string[] {
	const words = q
		.normalize('NFC')
		.replace(/[’‘]/g, "'")
		.split(/[\s,;:!?()[\]{}"«»/\\|+*=<>]+/)
		.map((word) => word.replace(/^[-'.]+|[-'.]+$/g, ''))
		.filter((word) => [...word].length >= MIN_TERM_LENGTH);
	return [...new Set(words.map((word) => word.toLowerCase()))].slice(0, MAX_TERMS);
}

/** A LIKE pattern matching `term` anywhere, with `%`, `_` and `\` taken literally. */
export function containsPattern(term: string): string {
	return `%${term.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}
